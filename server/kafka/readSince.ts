/**
 * Reads a topic from a point in time (offsets by timestamp) up to its end as it was when asked,
 * read_committed, handing each batch to `visit`: for history older than the web tier keeps in
 * memory. A partition is finished at its end, or at the first record stamped after `untilMs`.
 * Bounded: past `maxRecords` records it stops with RangeTooLargeError.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { Refusal } from '../../lib/refusal';
import { kafkaRetry } from './retriable';

/** Refused with 413: the API's answer names the query's fields. */
export class RangeTooLargeError extends Refusal {
  constructor(readonly maxRecords: number) {
    const advice = 'ask for a shorter range or one sensor';
    super(413, `from, to: the range holds more than ${maxRecords} window records to read; ${advice}`);
    this.name = 'RangeTooLargeError';
  }
}

export interface ReadSinceOptions {
  fromMs: number;
  /** Records stamped after this end their partition's read (timestamps rise with the log, roughly). */
  untilMs: number;
  maxRecords: number;
  timeoutMs: number;
}

export async function readSince(kafka: Kafka, topic: string, options: ReadSinceOptions, visit: (messages: KafkaMessage[]) => void): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let ends: { partition: number; high: string }[];
  try {
    starts = await kafkaRetry(`offsets of ${topic} at ${options.fromMs}`, () => admin.fetchTopicOffsetsByTimestamp(topic, options.fromMs));
    ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
  } finally {
    await admin.disconnect();
  }
  const endOf = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  // A partition with no record at or after fromMs answers its end offset (or -1): nothing to read.
  const remaining = new Map<number, { start: number; end: number }>();
  for (const s of starts) {
    const end = endOf.get(s.partition) ?? 0;
    const start = Number(s.offset);
    if (start >= 0 && start < end) remaining.set(s.partition, { start, end });
  }
  if (remaining.size === 0) return;
  const consumer = kafka.consumer({ groupId: `windowpane-range-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${options.timeoutMs} ms`)), options.timeoutMs);
      const done = (partition: number) => {
        remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const range = remaining.get(payload.partition);
        if (range && Number(payload.lastOffset) >= range.end - 1) done(payload.partition);
      });
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const range = remaining.get(batch.partition);
            if (!range) return;
            const messages: KafkaMessage[] = [];
            for (const m of batch.messages) {
              if (Number(m.offset) < range.start || Number(m.offset) >= range.end) continue;
              if (Number(m.timestamp) > options.untilMs) {
                visit(messages);
                return done(batch.partition);
              }
              messages.push(m);
            }
            read += messages.length;
            if (read > options.maxRecords) {
              clearTimeout(timer);
              return reject(new RangeTooLargeError(options.maxRecords));
            }
            visit(messages);
          },
        })
        .then(() => {
          for (const [partition, { start }] of remaining) consumer.seek({ topic, partition, offset: String(start) });
        }, reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
