/**
 * Reads the records at given offsets of a topic (read_committed), for a redrive: the whole
 * original bytes, which the web tier's tail does not keep. Offsets close together are read as one
 * range; ranges far apart in the same partition take one pass each, so asking for offsets 0 and
 * 10 000 000 does not read ten million records. An offset with no committed record (past the end,
 * a transaction marker, an aborted or compacted record) is simply absent from the answer.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { kafkaRetry } from './retriable';

/** Offsets at most this far apart are read in one range. */
const GAP = 1_000;

interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Ranges per partition, ascending: `offsets` grouped where they are at most GAP apart. */
export function rangesOf(offsets: number[]): Range[] {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const ranges: Range[] = [];
  for (const offset of sorted) {
    const last = ranges.at(-1);
    if (last && offset - (last.end - 1) <= GAP) last.end = offset + 1;
    else ranges.push({ start: offset, end: offset + 1 });
  }
  return ranges;
}

/** By `${partition}/${offset}`. */
export async function readOffsets(kafka: Kafka, admin: Admin, topic: string, wanted: { partition: number; offset: string }[], timeoutMs = 30_000): Promise<Map<string, KafkaMessage>> {
  const found = new Map<string, KafkaMessage>();
  const ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
  const endOf = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const want = new Set(wanted.map((w) => `${w.partition}/${w.offset}`));
  const byPartition = new Map<number, Range[]>();
  for (const [partition, end] of endOf) {
    const offsets = wanted.filter((w) => w.partition === partition && Number(w.offset) < end).map((w) => Number(w.offset));
    if (offsets.length > 0) byPartition.set(partition, rangesOf(offsets));
  }
  const passes = Math.max(0, ...[...byPartition.values()].map((r) => r.length));
  for (let pass = 0; pass < passes; pass++) {
    const ranges = new Map<number, Range>();
    for (const [partition, list] of byPartition) if (list[pass]) ranges.set(partition, list[pass]);
    await readPass(kafka, admin, topic, ranges, endOf, timeoutMs, (partition, message) => {
      const id = `${partition}/${message.offset}`;
      if (want.has(id)) found.set(id, message);
    });
  }
  return found;
}

async function readPass(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  ranges: Map<number, Range>,
  endOf: Map<number, number>,
  timeoutMs: number,
  visit: (partition: number, message: KafkaMessage) => void,
): Promise<void> {
  const groupId = `windowpane-read-${randomUUID()}`;
  // A new group starts where it is told: the ranges, and the end of every other partition.
  const partitions = [...endOf].map(([partition, end]) => ({ partition, offset: String(ranges.get(partition)?.start ?? end) }));
  await kafkaRetry(`offsets of group ${groupId}`, () => admin.setOffsets({ groupId, topic, partitions }));
  const remaining = new Map(ranges);
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${timeoutMs} ms`)), timeoutMs);
      // A batch of markers only is never handed to eachBatch; its end still counts.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const range = remaining.get(payload.partition);
        if (range && Number(payload.lastOffset) >= range.end - 1) remaining.delete(payload.partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const range = remaining.get(batch.partition);
            if (!range) return;
            for (const m of batch.messages) if (Number(m.offset) >= range.start && Number(m.offset) < range.end) visit(batch.partition, m);
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    // The group was for this read only.
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
