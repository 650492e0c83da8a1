import type { Kafka } from 'kafkajs';

/** Points a new consumer group (no committed offsets yet) at the first record of `topic` from `timestampMs` on. */
export async function startGroupAt(kafka: Kafka, groupId: string, topic: string, timestampMs: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
    await admin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset })) });
  } finally {
    await admin.disconnect();
  }
}
