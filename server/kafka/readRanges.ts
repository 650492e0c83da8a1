/**
 * The one bounded read of a topic: given offset ranges of its partitions (planned by
 * lib/kafka/readPlan.ts), read read_committed by a short-lived consumer of its own (a fresh group
 * that commits nothing), each batch handed to `visit`, each partition in log order and every offset
 * at most once. Resolves once every range is read, or as soon as `signal` is aborted (at any point,
 * connecting included); rejects on timeout, on a crash, or with what `visit` threw. The consumer is
 * disconnected before it returns either way.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { PartitionRange } from '../../lib/kafka/readPlan';

/** How long a give-up waits for a group join under way before disconnecting anyway. */
const JOIN_WAIT_MS = 5_000;
/** Before a new consumer goes on with a read whose consumer crashed on a retriable error. */
const RESTART_DELAY_MS = 500;

export interface ReadRangesOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

/**
 * Handed each partition's records in log order, only those in its range. Returning 'done' ends
 * that partition's read early (the caller has seen what it needed); throwing ends the whole read.
 */
export type RangeVisitor = (partition: number, messages: KafkaMessage[]) => void | 'done';

export async function readRanges(
  kafka: Kafka,
  topic: string,
  ranges: readonly PartitionRange[],
  visit: RangeVisitor,
  options: ReadRangesOptions,
): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  // Next offset to hand on per partition: a refetch never visits an offset twice.
  const next = new Map(ranges.filter((r) => r.start < r.end).map((r) => [r.partition, r.start]));
  const endOf = new Map(ranges.map((r) => [r.partition, r.end]));
  if (next.size === 0 || signal.aborted) return;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    const seconds = Math.round(options.timeoutMs / 1000);
    timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${seconds} s`)), options.timeoutMs);
  });
  // Set once the read is given up (done, aborted, timed out): a consumer still starting then goes no further.
  let stopping = false;
  let current: ConsumerRead | null = null;
  const read = (async () => {
    for (;;) {
      current = readWithOneConsumer(kafka, topic, next, endOf, visit, signal, () => stopping);
      try {
        await current.done;
        return;
      } catch (error) {
        // A coordinator still loading its groups, a leader moving: a new consumer goes on from
        // `next`, so nothing is visited twice. Anything else (or what `visit` threw) ends the read.
        if (stopping || !retriable(error)) throw error;
      } finally {
        await current.stop();
      }
      await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
      if (stopping) return;
    }
  })();
  try {
    await Promise.race([read, aborted, timedOut]);
  } finally {
    stopping = true;
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    await (current as ConsumerRead | null)?.stop();
    await read.catch(() => {});
  }
}

/** kafkajs marks a passing condition retriable, also under the error that says its retries ran out. */
function retriable(error: unknown): boolean {
  const e = error as { retriable?: boolean; originalError?: { retriable?: boolean } } | null;
  return e?.retriable === true || e?.originalError?.retriable === true;
}

interface ConsumerRead {
  /** Resolves once every partition in `next` is read; rejects on a crash or with what `visit` threw. */
  done: Promise<void>;
  /** Ends the read and disconnects the consumer (at most once, however often called). */
  stop(): Promise<void>;
}

function readWithOneConsumer(
  kafka: Kafka,
  topic: string,
  next: Map<number, number>,
  endOf: Map<number, number>,
  visit: RangeVisitor,
  signal: AbortSignal,
  givenUp: () => boolean,
): ConsumerRead {
  const consumer = kafka.consumer({
    groupId: `windowpane-read-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 200,
    // Never restarted after a crash: a restarted consumer would start from the end (its seeks are
    // gone), and one restarting while being disconnected would outlive the read. This read fails
    // instead (CRASH below), and readRanges goes on with a new consumer if the cause was retriable.
    retry: { retries: 5, restartOnFailure: async () => false },
  });
  let stopping = false;
  let endRead = () => {};
  let running: Promise<unknown> = Promise.resolve();
  const done = (async () => {
    await consumer.connect();
    if (stopping) return;
    // From the end: nothing is fetched before the seeks below put each partition at its start.
    await consumer.subscribe({ topic, fromBeginning: false });
    if (stopping) return;
    await new Promise<void>((resolve, reject) => {
      endRead = resolve;
      const finished = (partition: number) => {
        next.delete(partition);
        if (next.size === 0) resolve();
      };
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      // A transactional topic ends with a commit marker, never delivered as a message: a partition
      // is read once a batch (of messages or of markers only) that starts before its end reaches
      // its end. A batch fetched before the seek starts at or past the end (the consumer started
      // there), so it never counts; a batch after the seek may start past the next offset to read
      // when the offsets between hold no record (markers, aborted records, compacted away).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = endOf.get(payload.partition);
        if (end === undefined || !next.has(payload.partition) || payload.firstOffset === null) return;
        if (Number(payload.firstOffset) < end && Number(payload.lastOffset) >= end - 1) finished(payload.partition);
      });
      running = consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const from = next.get(batch.partition);
          const end = endOf.get(batch.partition);
          if (from === undefined || end === undefined || stopping || givenUp() || signal.aborted) return;
          const messages = batch.messages.filter((m) => Number(m.offset) >= from && Number(m.offset) < end);
          if (messages.length === 0) return;
          next.set(batch.partition, Number(messages[messages.length - 1].offset) + 1);
          try {
            if (visit(batch.partition, messages) === 'done') finished(batch.partition);
          } catch (error) {
            reject(error);
          }
        },
      });
      running
        .then(() => {
          // Given up while the consumer was starting: it is being disconnected, and a seek would throw.
          if (stopping) return;
          for (const [partition, offset] of next) consumer.seek({ topic, partition, offset: String(offset) });
        })
        .catch(reject);
    });
  })();
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      endRead();
      // A connect under way finishes (or fails) first, bounded by the client's own timeouts, so that
      // the disconnect really leaves nothing behind.
      await done.catch(() => {});
      // Disconnecting while the consumer joins its group makes kafkajs log a crash: let the join end
      // first, but not for long (a cancel should free its slot within seconds).
      let joinTimer: NodeJS.Timeout | undefined;
      await Promise.race([running.catch(() => {}), new Promise((r) => (joinTimer = setTimeout(r, JOIN_WAIT_MS)))]);
      clearTimeout(joinTimer);
      await consumer.disconnect();
    })());
  return { done, stop };
}
