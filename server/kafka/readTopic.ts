/** Reads every record currently in a topic (read_committed), each partition in log order. */
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { kafkaRetry } from './retriable';

export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 120_000): Promise<Map<number, KafkaMessage[]>> {
  const byPartition = new Map<number, KafkaMessage[]>();
  await scanTopic(kafka, topic, (partition, messages) => {
    let list = byPartition.get(partition);
    if (!list) byPartition.set(partition, (list = []));
    for (const message of messages) list.push(message);
  }, timeoutMs);
  return byPartition;
}

/**
 * Hands every record currently in a topic (read_committed) to `visit`, batch by batch, each
 * partition in log order, without keeping them: for topics too big to hold in memory.
 * Every partition appears at least once (with no messages when it is empty).
 */
export async function scanTopic(
  kafka: Kafka,
  topic: string,
  visit: (partition: number, messages: KafkaMessage[]) => void,
  timeoutMs = 120_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic)).finally(() => admin.disconnect());
  for (const e of ends) visit(e.partition, []);
  const remaining = new Map(ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high)]));
  if (remaining.size === 0) return;
  const consumer = kafka.consumer({ groupId: `windowpane-read-${randomUUID()}`, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), timeoutMs);
      // A transactional topic ends with a commit marker, which is never delivered as a message:
      // a partition is read once a batch (of messages or of markers only) reaches its end.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const high = remaining.get(payload.partition);
        if (high !== undefined && Number(payload.lastOffset) >= high - 1) remaining.delete(payload.partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const high = remaining.get(batch.partition);
          if (high === undefined) return;
          visit(batch.partition, batch.messages.filter((m) => Number(m.offset) < high));
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}
