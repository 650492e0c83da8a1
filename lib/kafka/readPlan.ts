/**
 * Plans for a bounded read of a topic (server/kafka/readRanges.ts): Kafka's answers about a topic's
 * offsets turned into the offsets to read, per partition. Pure; the answers are passed in.
 */

/** One partition's records to read: offsets [start, end). */
export interface PartitionRange {
  partition: number;
  start: number;
  end: number;
}

/** Kafka's offsets as kafkajs answers them (strings), or as numbers. */
type Offset = string | number;

/**
 * The whole topic as it is now: each partition from its first offset kept (`low`) up to its end
 * (`high`, the last stable offset). Empty partitions are left out.
 */
export function wholeTopicRanges(
  watermarks: readonly { partition: number; low: Offset; high: Offset }[],
): PartitionRange[] {
  const ranges = watermarks.map((w) => ({ partition: w.partition, start: Number(w.low), end: Number(w.high) }));
  return ranges.filter((r) => r.start < r.end).sort((a, b) => a.partition - b.partition);
}

/**
 * Everything since a point in time: per partition, from the first offset stamped at or after it
 * (Kafka's answer to a ListOffsets by timestamp; -1 or the end when there is none) up to the end
 * offset. Partitions with nothing to read are left out.
 */
export function rangesSince(
  starts: readonly { partition: number; offset: Offset }[],
  ends: readonly { partition: number; high: Offset }[],
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

/** Offsets at most this far apart are read in one range. */
const GAP = 1_000;

/** Ranges of one partition, ascending: `offsets` grouped where they are at most GAP apart. */
export function rangesOf(offsets: readonly number[]): { start: number; end: number }[] {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const ranges: { start: number; end: number }[] = [];
  for (const offset of sorted) {
    const last = ranges.at(-1);
    if (last && offset - (last.end - 1) <= GAP) last.end = offset + 1;
    else ranges.push({ start: offset, end: offset + 1 });
  }
  return ranges;
}

/**
 * These exact offsets, as reads of at most one range per partition each: offsets close together
 * are read as one range, ranges far apart in the same partition take one read each, so asking for
 * offsets 0 and 10 000 000 does not read ten million records. Offsets at or past a partition's end
 * (or in a partition the topic does not have) are left out: there is nothing there to read.
 */
export function offsetReads(
  wanted: readonly { partition: number; offset: Offset }[],
  ends: readonly { partition: number; high: Offset }[],
): PartitionRange[][] {
  const reads: PartitionRange[][] = [];
  for (const { partition, high } of [...ends].sort((a, b) => a.partition - b.partition)) {
    const offsets = wanted.filter((w) => w.partition === partition && Number(w.offset) < Number(high));
    rangesOf(offsets.map((w) => Number(w.offset))).forEach((range, pass) => {
      (reads[pass] ??= []).push({ partition, ...range });
    });
  }
  return reads;
}
