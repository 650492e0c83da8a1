import { describe, expect, it } from 'vitest';
import {
  downsampleRows,
  labelRows,
  rowBudget,
  rowsOf,
  sizeChanges,
  type Row,
} from '../../../../components/dashboard/chartRows';
import type { WindowResultRecord } from '../../../../lib/contract';
import { oneReadingWindow } from '../../../support/windows';

const w = oneReadingWindow;

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

describe('chart rows of an extra aggregate', () => {
  it('plots p95 where a window carries it and leaves a gap where one closed before it was chosen', () => {
    const windows = new Map([['a', [w('a', 0, 1), { ...w('a', 1_000, 2), p95: 2.5 }]]]);
    expect(rowsOf(windows, ['a'], 'p95')).toEqual([
      { t: 1_000, v0: null },
      { t: 2_000, v0: 2.5 },
    ]);
  });
});

describe('chart rows for a range', () => {
  const long = (sensorId: string, windowStart: number, length: number, sum: number): WindowResultRecord => ({
    sensorId,
    windowStart,
    windowEnd: windowStart + length,
    count: 2,
    sum,
    min: 0,
    max: sum,
    mean: sum / 2,
  });

  it('keeps only windows starting in [from, to) and divides sums by the window seconds when asked', () => {
    const windows = new Map([['a', [long('a', 0, 1_000, 4), long('a', 1_000, 1_000, 6), long('a', 2_000, 2_000, 10)]]]);
    expect(rowsOf(windows, ['a'], 'sum', { from: 1_000, to: 4_000, perSecond: true })).toEqual([
      { t: 2_000, v0: 6 },
      { t: 4_000, v0: 5 },
    ]);
  });

  it('marks each change of window size once, where the new size starts', () => {
    const windows = new Map([
      ['a', [long('a', 0, 1_000, 1), long('a', 1_000, 1_000, 1), long('a', 2_000, 5_000, 1)]],
      ['b', [long('b', 1_000, 1_000, 1), long('b', 2_000, 5_000, 1), long('b', 7_000, 2_000, 1)]],
    ]);
    expect(sizeChanges(windows, ['a', 'b'])).toEqual([
      { t: 2_000, fromMs: 1_000, toMs: 5_000 },
      { t: 7_000, fromMs: 5_000, toMs: 2_000 },
    ]);
  });

  it('does not take a calendar day the clocks made 25 or 23 hours long for a size change', () => {
    const H = 3_600_000;
    const days = [24, 25, 24, 23, 24].reduce<WindowResultRecord[]>((list, hours) => {
      const start = list.length === 0 ? 0 : list[list.length - 1].windowEnd;
      return [...list, long('a', start, hours * H, 1)];
    }, []);
    expect(sizeChanges(new Map([['a', days]]), ['a'])).toEqual([]);
    const toHours = [long('a', 0, 24 * H, 1), long('a', 24 * H, H, 1)];
    expect(sizeChanges(new Map([['a', toHours]]), ['a'])).toEqual([{ t: 24 * H, fromMs: 24 * H, toMs: H }]);
  });
});

describe('downsampled rows', () => {
  const rows = (values: (number | null)[]): Row[] => values.map((v, i) => ({ t: i * 1_000, v0: v }));

  it('leaves a range that fits alone', () => {
    const input = rows([1, 2, 3]);
    expect(downsampleRows(input, 1, 10)).toBe(input);
  });

  it('keeps each bucket’s lowest and highest point in time order, so a spike survives', () => {
    const values = Array.from({ length: 1_000 }, (_, i) => (i === 537 ? 900 : i === 212 ? -50 : i % 7));
    const out = downsampleRows(rows(values), 1, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    const kept = out.map((r) => r.v0);
    expect(Math.max(...(kept as number[]))).toBe(900);
    expect(Math.min(...(kept as number[]))).toBe(-50);
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThan(out[i - 1].t);
  });

  it('keeps a gap as a break', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i >= 200 && i < 204 ? null : 1));
    const out = downsampleRows(rows(values), 1, 40);
    expect(out.some((r) => r.v0 === null)).toBe(true);
  });
});

describe('rowBudget', () => {
  it('gives a few lines every row a wide screen shows, and many lines fewer each within the point budget', () => {
    expect(rowBudget(1)).toBe(1_200);
    expect(rowBudget(10)).toBe(1_200);
    expect(rowBudget(100)).toBe(240);
    expect(rowBudget(100) * 100).toBeLessThanOrEqual(24_000);
    expect(rowBudget(1_000)).toBe(200);
  });
});

describe('labelRows', () => {
  it('puts a size change label close after another one in the next row, and a far one back in the top row', () => {
    // A 10-minute range: 12 % of it is 72 s.
    const from = 0;
    const to = 600_000;
    expect(labelRows([{ t: 100_000 }, { t: 130_000 }, { t: 150_000 }, { t: 400_000 }], from, to)).toEqual([0, 1, 2, 0]);
    expect(labelRows([{ t: 100_000 }, { t: 200_000 }], from, to)).toEqual([0, 0]);
    expect(labelRows([], from, to)).toEqual([]);
  });
});
