/**
 * The client's ceiling: a bare kafkajs consumer with the worker's fetch settings and concurrency that decodes and
 * parses every value and does nothing else. Run as its own process so that its CPU and memory
 * are measured alone. Args: brokers topic total. Prints one JSON line when it has read `total`.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const [brokers, topic, totalText] = process.argv.slice(2);
  const total = Number(totalText);
  const kafka = new Kafka({ clientId: 'bench-bare', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-bare-${randomUUID()}`, maxBytes: 32 * 1024 * 1024, maxBytesPerPartition: 8 * 1024 * 1024, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let checksum = 0;
  let firstFetchAt = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        if (firstFetchAt === 0) firstFetchAt = Date.now();
        for (const message of batch.messages) {
          const reading = JSON.parse(message.value!.toString('utf8')) as { value: number };
          checksum += reading.value;
          count++;
        }
        if (count >= total) resolve();
      },
    });
  });
  const lastAt = Date.now();
  await consumer.disconnect();
  process.stdout.write(`${JSON.stringify({ count, checksum, firstFetchAt, lastAt })}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
