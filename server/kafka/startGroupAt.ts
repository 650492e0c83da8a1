import type { Kafka } from 'kafkajs';
import { kafkaRetry } from './retriable';

/** Points a new consumer group (no committed offsets yet) at the first record of `topic` from `timestampMs` on. */
export async function startGroupAt(kafka: Kafka, groupId: string, topic: string, timestampMs: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await kafkaRetry(`offsets of ${topic} at ${timestampMs}`, () =>
      admin.fetchTopicOffsetsByTimestamp(topic, timestampMs),
    );
    const partitions = offsets.map((o) => ({ partition: o.partition, offset: o.offset }));
    await kafkaRetry(`offsets of group ${groupId}`, () => admin.setOffsets({ groupId, topic, partitions }));
  } finally {
    await admin.disconnect();
  }
}
