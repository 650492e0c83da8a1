/**
 * The partition Kafka's default partitioner gives a key: murmur2 of its UTF-8 bytes, made
 * positive, modulo the partition count (Java's `Utils.toPositive(Utils.murmur2(key)) % n`, which
 * kafkajs' DefaultPartitioner reproduces). The first stage routes partial windows with it, so a
 * sensor's partials meet in the partition they went to when each was its own keyed record.
 * Plain 32-bit arithmetic (Math.imul) rather than kafkajs' Long objects: this runs per partial.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & ~3;
  switch (length % 4) {
    case 3:
      h ^= data[rest + 2] << 16;
    // falls through
    case 2:
      h ^= data[rest + 1] << 8;
    // falls through
    case 1:
      h ^= data[rest];
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

const encoder = new TextEncoder();

/** A router for `partitions` partitions that remembers the keys it has seen (sensor ids repeat). */
export function keyPartitioner(partitions: number, maxRemembered = 1_000_000): (key: string) => number {
  let known = new Map<string, number>();
  return (key) => {
    let partition = known.get(key);
    if (partition === undefined) {
      partition = (murmur2(encoder.encode(key)) & 0x7fffffff) % partitions;
      if (known.size >= maxRemembered) known = new Map();
      known.set(key, partition);
    }
    return partition;
  };
}
