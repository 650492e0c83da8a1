/**
 * Reads the records at given offsets of a topic (read_committed): for a redrive, the whole
 * original bytes, which the web tier's tail does not keep. An offset with no committed record (past
 * the end, a transaction marker, an aborted or compacted record) is simply absent from the answer.
 */
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { offsetReads } from '../../lib/kafka/readPlan';
import { readRanges } from './readRanges';
import { kafkaRetry } from './retriable';

/** By `${partition}/${offset}`. */
export async function readAtOffsets(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  wanted: { partition: number; offset: string }[],
  timeoutMs = 30_000,
): Promise<Map<string, KafkaMessage>> {
  const found = new Map<string, KafkaMessage>();
  const want = new Set(wanted.map((w) => `${w.partition}/${w.offset}`));
  const ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
  // Offsets far apart in one partition take a read each (lib/kafka/readPlan.ts).
  for (const ranges of offsetReads(wanted, ends)) {
    await readRanges(
      kafka,
      topic,
      ranges,
      (partition, messages) => {
        for (const message of messages) {
          const id = `${partition}/${message.offset}`;
          if (want.has(id)) found.set(id, message);
        }
      },
      { timeoutMs },
    );
  }
  return found;
}
