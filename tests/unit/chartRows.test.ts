import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../components/chartRows';
import type { WindowResultRecord } from '../../lib/contract';

const w = (sensorId: string, windowStart: number, sum: number): WindowResultRecord => ({ sensorId, windowStart, windowEnd: windowStart + 1_000, count: 1, sum, min: sum, max: sum, mean: sum });

describe('chart rows', () => {
  it('breaks a line where its sensor has no window, even when no other sensor has one there', () => {
    const windows = new Map([
      ['a', [w('a', 0, 1), w('a', 1_000, 2), w('a', 5_000, 3)]],
      ['b', [w('b', 0, 7), w('b', 1_000, 8)]],
    ]);
    expect(rowsOf(windows, ['a', 'b'], 'sum')).toEqual([
      { t: 1_000, v0: 1, v1: 7 },
      { t: 2_000, v0: 2, v1: 8 },
      { t: 5_000, v0: null, v1: null }, // a's gap: nobody had a window ending here
      { t: 6_000, v0: 3, v1: null },
    ]);
  });
});
