/**
 * Planning a "what if" re-windowing of the past (POST /api/rewindow): which event times it covers
 * and which input offsets it must read. Pure; the Kafka answers are passed in.
 */

/**
 * The whole windows of `windowMs` inside [fromMs, toMs): windows are epoch-aligned, as the live
 * ones are, so a window that straddles `fromMs` or `toMs` would hold only part of its readings and
 * could not be compared with the emitted one. The range is shrunk to the first boundary at or after
 * `fromMs` and the last at or before `toMs`. Null when no whole window fits.
 */
export function wholeWindowRange(fromMs: number, toMs: number, windowMs: number): { fromMs: number; toMs: number } | null {
  const start = Math.ceil(fromMs / windowMs) * windowMs;
  const end = Math.floor(toMs / windowMs) * windowMs;
  return end > start ? { fromMs: start, toMs: end } : null;
}

/**
 * The record timestamp from which the input must be read to see every reading whose event time is
 * at or after `fromMs`. A reading's event time may be ahead of its record's timestamp by at most
 * `maxFutureMs` (MAX_FUTURE_SECONDS): the decoder refuses one further ahead, judged against the
 * record's own timestamp (lib/input/readingDecoder.ts). So a record stamped before
 * `fromMs - maxFutureMs` is either invalid or holds an event time before `fromMs`: this margin is
 * exact, not a guess. Readings behind their record's timestamp (late arrivals, back-fills) come
 * later in the log and are found by reading up to the end offsets.
 */
export function readFromTimestamp(fromMs: number, maxFutureMs: number): number {
  return Math.max(0, fromMs - maxFutureMs);
}

/** One partition's records to read: offsets [start, end). */
export interface PartitionRange {
  partition: number;
  start: number;
  end: number;
}

/**
 * Per partition, from the first offset stamped at or after the read timestamp (Kafka's answer to a
 * ListOffsets by timestamp; -1 or the end when there is none) up to the end offset captured now.
 * Partitions with nothing to read are left out.
 */
export function planReads(
  starts: readonly { partition: number; offset: string | number }[],
  ends: readonly { partition: number; high: string | number }[],
): PartitionRange[] {
  const endOf = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const ranges: PartitionRange[] = [];
  for (const s of starts) {
    const end = endOf.get(s.partition) ?? 0;
    const start = Number(s.offset);
    if (start >= 0 && start < end) ranges.push({ partition: s.partition, start, end });
  }
  return ranges.sort((a, b) => a.partition - b.partition);
}

/**
 * Records to read: an upper bound, since transaction markers and aborted records take offsets too
 * and are never delivered.
 */
export function estimateRecords(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((n, r) => n + (r.end - r.start), 0);
}
