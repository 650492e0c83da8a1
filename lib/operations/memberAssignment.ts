/**
 * Decodes a consumer-group member's assignment as DescribeGroups returns it: the bytes of Kafka's
 * consumer protocol `Assignment` (int16 version; int32 count of {int16-length topic, int32 count
 * of int32 partitions}; user data after). Every version so far starts this way, so the decoder
 * reads that prefix and ignores the rest. Null when the bytes are not that (an empty assignment
 * during a rebalance, another protocol type): the Operations view then shows "unknown" rather
 * than failing.
 */
export interface TopicAssignment {
  topic: string;
  partitions: number[];
}

/** Far beyond any real group; guards against reading garbage counts as allocations. */
const MAX_ENTRIES = 100_000;

export function decodeMemberAssignment(bytes: Uint8Array | null | undefined): TopicAssignment[] | null {
  if (!bytes || bytes.length < 6) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new RangeError('truncated');
  };
  const int16 = () => (need(2), (at += 2), view.getInt16(at - 2));
  const int32 = () => (need(4), (at += 4), view.getInt32(at - 4));
  try {
    const version = int16();
    if (version < 0) return null;
    const topics = int32();
    if (topics < 0 || topics > MAX_ENTRIES) return null;
    const out: TopicAssignment[] = [];
    for (let t = 0; t < topics; t++) {
      const length = int16();
      if (length < 0) return null;
      need(length);
      const topic = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
      at += length;
      const count = int32();
      if (count < 0 || count > MAX_ENTRIES) return null;
      const partitions: number[] = [];
      for (let p = 0; p < count; p++) {
        const partition = int32();
        if (partition < 0) return null;
        partitions.push(partition);
      }
      out.push({ topic, partitions: partitions.sort((a, b) => a - b) });
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  } catch {
    return null;
  }
}
