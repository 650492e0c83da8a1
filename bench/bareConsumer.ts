/**
 * A client's ceiling: a bare consumer that decodes and parses every value and does nothing else.
 * Run as its own process so that its CPU and memory are measured alone.
 * Args: brokers topic total [kafkajs|rdkafka]. Prints one JSON line when it has read `total`.
 *
 * `rdkafka` is @confluentinc/kafka-javascript (librdkafka behind a KafkaJS-compatible API),
 * installed by the benchmark into .bench/ckjs only when asked (it builds librdkafka from source).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import { RDKAFKA_MODULE } from './engines';

function kafkajsConsumer(brokers: string[]): Consumer {
  const kafka = new Kafka({ clientId: 'bench-bare', brokers, logLevel: logLevel.NOTHING });
  // The worker's fetch settings.
  return kafka.consumer({
    groupId: `bench-bare-${randomUUID()}`,
    maxBytes: 32 * 1024 * 1024,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxWaitTimeInMs: 500,
  });
}

function rdkafkaConsumer(brokers: string[]): Consumer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KafkaJS } = require(RDKAFKA_MODULE) as {
    KafkaJS: { Kafka: new (config: unknown) => { consumer(config: unknown): Consumer } };
  };
  const kafka = new KafkaJS.Kafka({ kafkaJS: { clientId: 'bench-bare', brokers, logLevel: 0 } });
  return kafka.consumer({ kafkaJS: { groupId: `bench-bare-${randomUUID()}`, fromBeginning: true, autoCommit: false } });
}

async function main(): Promise<void> {
  const [brokers, topic, totalText, client = 'kafkajs'] = process.argv.slice(2);
  const total = Number(totalText);
  const consumer = client === 'rdkafka' ? rdkafkaConsumer(brokers.split(',')) : kafkajsConsumer(brokers.split(','));
  await consumer.connect();
  await consumer.subscribe(client === 'rdkafka' ? { topics: [topic] } : { topic, fromBeginning: true });
  let count = 0;
  let checksum = 0;
  let firstFetchAt = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      ...(client === 'rdkafka' ? {} : { autoCommit: false }),
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }: EachBatchPayload) => {
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
