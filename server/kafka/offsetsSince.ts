/**
 * Per partition of a topic: the first offset stamped at or after `sinceMs` and the end offset
 * (last stable offset, read_committed) as of now, the ranges a read of "everything since" covers.
 */
import type { Kafka } from 'kafkajs';
import { rangesSince, type PartitionRange } from '../../lib/kafka/readPlan';
import { kafkaRetry } from './retriable';

export async function offsetsSince(kafka: Kafka, topic: string, sinceMs: number): Promise<PartitionRange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Ends first: a record appended between the two answers is then simply not read, never half-read.
    const ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
    const starts = await kafkaRetry(`offsets of ${topic} at ${sinceMs}`, () =>
      admin.fetchTopicOffsetsByTimestamp(topic, sinceMs),
    );
    return rangesSince(starts, ends);
  } finally {
    await admin.disconnect();
  }
}
