import { describe, expect, it } from 'vitest';
import { keyPartitioner, murmur2 } from '../../../lib/keyPartition';

// kafkajs' own murmur2 (Java-compatible), the reference the fast one must equal bit for bit.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('keyPartition', () => {
  it('hashes exactly as kafkajs (and Java) do, for every length remainder and non-ASCII text', () => {
    const rand = seeded(11);
    const keys = ['', 'a', 'ab', 'abc', 'abcd', 'sensor-1', 'é', '温度計-7', '🌡️42'];
    for (let i = 0; i < 2_000; i++) {
      const length = Math.floor(rand() * 40);
      keys.push(Array.from({ length }, () => String.fromCharCode(32 + Math.floor(rand() * 0x2fff))).join(''));
    }
    for (const key of keys) expect(murmur2(Buffer.from(key)), key).toBe(kafkajsMurmur2(Buffer.from(key)));
  });

  it('routes a key to the partition the default partitioner would', () => {
    const route = keyPartitioner(3);
    for (let i = 0; i < 500; i++) {
      const key = `s${i}`;
      expect(route(key)).toBe((kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % 3);
      expect(route(key)).toBe(route(key));
    }
  });

  it('forgets its memory when full and still routes the same', () => {
    const route = keyPartitioner(7, 3);
    const first = Array.from({ length: 10 }, (_, i) => route(`k${i}`));
    expect(Array.from({ length: 10 }, (_, i) => route(`k${i}`))).toEqual(first);
  });
});
