import { describe, expect, it } from 'vitest';
import { compareWindows } from '../../../lib/verification';

const w = (sensorId: string, windowStart: number, sum: number, count = 1) => {
  const text = String(sum);
  return { sensorId, windowStart, windowEnd: windowStart + 1_000, count, sum: text, min: text, max: text, mean: text };
};
const readings = { late: 2, invalid: 3 };

describe('compareWindows', () => {
  it('reports an exact match as ok', () => {
    const r = compareWindows([w('a', 0, 1), w('b', 0, 2)], [w('b', 0, 2), w('a', 0, 1)], readings);
    expect(r).toMatchObject({
      ok: true,
      exact: 2,
      missing: 0,
      duplicated: 0,
      wrong: 0,
      unexpected: 0,
      lateReadings: 2,
      invalidReadings: 3,
    });
  });

  it('finds missing, duplicated, wrong and unexpected windows', () => {
    const expected = [w('a', 0, 1), w('a', 1_000, 5), w('b', 0, 2), w('c', 0, 7)];
    const written = [w('a', 0, 1), w('a', 0, 1), w('b', 0, 3), w('c', 0, 7), w('z', 0, 1)];
    const r = compareWindows(expected, written, readings);
    expect(r).toMatchObject({ ok: false, exact: 1, missing: 1, duplicated: 1, wrong: 1, unexpected: 1 });
    expect(r.samples.map((s) => s.sensorId).sort()).toEqual(['a', 'a', 'b', 'z']);
  });

  it('counts a wrong count or end as wrong even when the sum matches', () => {
    expect(compareWindows([w('a', 0, 1, 1)], [w('a', 0, 1, 2)], readings).wrong).toBe(1);
    expect(compareWindows([w('a', 0, 1)], [{ ...w('a', 0, 1), windowEnd: 5_000 }], readings).wrong).toBe(1);
  });

  it('compares min, max and mean as exact decimal text', () => {
    expect(compareWindows([w('a', 0, 1)], [{ ...w('a', 0, 1), min: '0.9' }], readings).wrong).toBe(1);
    expect(compareWindows([w('a', 0, 1)], [{ ...w('a', 0, 1), max: '1.0000000000000000001' }], readings).wrong).toBe(1);
    expect(compareWindows([w('a', 0, 1)], [{ ...w('a', 0, 1), mean: '1.00000000000001' }], readings).wrong).toBe(1);
    expect(
      compareWindows([{ ...w('a', 0, 0), sum: '0.3' }], [{ ...w('a', 0, 0), sum: '0.30000000000000004' }], readings)
        .wrong,
    ).toBe(1);
  });

  it('checks the extras the reference has: exact ones as text, quantiles within the relative accuracy', () => {
    const e = { ...w('a', 0, 1), variance: '0.25', p99: '100' };
    expect(compareWindows([e], [{ ...e, p99: '100.99' }], readings, undefined, 0.01).ok).toBe(true);
    expect(compareWindows([e], [{ ...e, p99: '98.99' }], readings, undefined, 0.01).wrong).toBe(1);
    expect(compareWindows([e], [{ ...e, variance: '0.250000000000001' }], readings).wrong).toBe(1);
    expect(compareWindows([e], [{ ...w('a', 0, 1), p99: '100' }], readings).wrong).toBe(1); // variance missing
    // Extras written but not recomputed (the reference was not asked for them) are not compared.
    expect(compareWindows([w('a', 0, 1)], [e], readings).ok).toBe(true);
  });
});
