/**
 * Planning a "what if" re-windowing of the past (POST /api/rewindow): which event times it covers
 * and which input offsets it must read (lib/kafka/readPlan.ts plans the read itself). Pure.
 */
import type { PartitionRange } from '../kafka/readPlan';

/**
 * The whole windows of `windowMs` inside [fromMs, toMs): windows are epoch-aligned, as the live
 * ones are, so a window that straddles `fromMs` or `toMs` would hold only part of its readings and
 * could not be compared with the emitted one. The range is shrunk to the first boundary at or after
 * `fromMs` and the last at or before `toMs`. Null when no whole window fits.
 */
export function wholeWindowRange(
  fromMs: number,
  toMs: number,
  windowMs: number,
): { fromMs: number; toMs: number } | null {
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

/**
 * Records to read: an upper bound, since transaction markers and aborted records take offsets too
 * and are never delivered.
 */
export function estimateRecords(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((n, r) => n + (r.end - r.start), 0);
}
