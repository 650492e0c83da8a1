import { describe, expect, it } from 'vitest';
import { ReadingGenerator, createRandom, poisson } from '../../../lib/simulation';

const params = {
  seed: 42,
  sensors: 3,
  ratePerSensor: 2,
  lambda: 2,
  values: 'counts' as const,
  jitterMs: 0,
  lateShare: 0,
  lateOffsetMs: 120_000,
  startMs: 1_000_000,
};

describe('ReadingGenerator', () => {
  it('emits one reading per sensor per slot, at the slot time', () => {
    const g = new ReadingGenerator(params);
    const due = g.due(1_000_999);
    expect(due.map((r) => [r.id, r.time])).toEqual([
      [1, 1000],
      [2, 1000],
      [3, 1000],
      [1, 1000.5],
      [2, 1000.5],
      [3, 1000.5],
    ]);
    expect(g.due(1_000_999)).toEqual([]);
  });

  it('is deterministic for a seed', () => {
    const a = new ReadingGenerator(params).due(1_010_000);
    const b = new ReadingGenerator(params).due(1_010_000);
    expect(a).toEqual(b);
    expect(new ReadingGenerator({ ...params, seed: 43 }).due(1_010_000)).not.toEqual(a);
  });

  it('stamps late readings in the past and jittered ones earlier, never later', () => {
    const g = new ReadingGenerator({ ...params, jitterMs: 500, lateShare: 0.5 });
    const due = g.due(1_100_000);
    const offsets = due.map((r, i) => r.time * 1000 - (1_000_000 + Math.floor(i / 3) * 500));
    expect(offsets.every((o) => o <= 0)).toBe(true);
    expect(offsets.filter((o) => o <= -120_000).length).toBeGreaterThan(due.length / 4);
  });

  it('draws temperature-like decimals with at most two decimals, around 15–25', () => {
    const due = new ReadingGenerator({ ...params, values: 'temperatures', sensors: 20 }).due(1_100_000);
    expect(due.every((r) => /^-?\d+(\.\d{1,2})?$/.test(JSON.stringify(r.value)))).toBe(true);
    expect(due.every((r) => r.value > 10 && r.value < 30)).toBe(true);
    expect(due.some((r) => !Number.isInteger(r.value))).toBe(true);
  });

  it('draws Poisson values with the requested mean', () => {
    const random = createRandom(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += poisson(2, random);
    expect(sum / 20_000).toBeCloseTo(2, 1);
  });
});
