import { describe, expect, it } from 'vitest';
import {
  entryAt,
  pendingEntries,
  scheduleChange,
  singleSizeSchedule,
  windowFor,
} from '../../../../lib/engine/schedule';

describe('windowFor', () => {
  const s = singleSizeSchedule(5_000);

  it('aligns windows to the epoch', () => {
    expect(windowFor(s, 1_763_900_002_250)).toEqual({ start: 1_763_900_000_000, end: 1_763_900_005_000 });
  });

  it('puts an event exactly at a window end into the next window', () => {
    expect(windowFor(s, 10_000)).toEqual({ start: 10_000, end: 15_000 });
    expect(windowFor(s, 9_999)).toEqual({ start: 5_000, end: 10_000 });
  });

  it('handles the epoch itself', () => {
    expect(windowFor(s, 0)).toEqual({ start: 0, end: 5_000 });
  });
});

describe('scheduleChange', () => {
  it('takes effect at the first boundary of the old size at or after the earliest time', () => {
    const s = scheduleChange(singleSizeSchedule(10_000), { windowMs: 5_000 }, 12_345);
    expect(s[1]).toEqual({ fromMs: 20_000, windowMs: 5_000 });
    expect(windowFor(s, 19_999)).toEqual({ start: 10_000, end: 20_000 });
    expect(windowFor(s, 20_000)).toEqual({ start: 20_000, end: 25_000 });
  });

  it('starts with a shorter transition window when the boundary is not one of the new size', () => {
    const s = scheduleChange(singleSizeSchedule(5_000), { windowMs: 30_000 }, 40_001);
    expect(s[1].fromMs).toBe(45_000);
    expect(windowFor(s, 44_999)).toEqual({ start: 40_000, end: 45_000 });
    expect(windowFor(s, 45_000)).toEqual({ start: 45_000, end: 60_000 });
    expect(windowFor(s, 59_999)).toEqual({ start: 45_000, end: 60_000 });
    expect(windowFor(s, 60_000)).toEqual({ start: 60_000, end: 90_000 });
  });

  it('replaces a change that is still pending and keeps earlier ones', () => {
    let s = scheduleChange(singleSizeSchedule(1_000), { windowMs: 5_000 }, 10_500); // from 11 000
    s = scheduleChange(s, { windowMs: 10_000 }, 20_000); // 5 s size in force at 20 000 → boundary 20 000
    expect(s.map((e) => e.fromMs)).toEqual([Number.NEGATIVE_INFINITY, 11_000, 20_000]);
    const replaced = scheduleChange(s, { windowMs: 30_000 }, 15_000); // drops the entry at 20 000
    expect(replaced).toEqual([
      { fromMs: Number.NEGATIVE_INFINITY, windowMs: 1_000 },
      { fromMs: 11_000, windowMs: 5_000 },
      { fromMs: 15_000, windowMs: 30_000 },
    ]);
  });

  it('does nothing when the size in force is already the requested one', () => {
    const s = singleSizeSchedule(5_000);
    expect(scheduleChange(s, { windowMs: 5_000 }, 1_000)).toEqual(s);
  });

  it('reports pending entries relative to an event time', () => {
    const s = scheduleChange(singleSizeSchedule(1_000), { windowMs: 2_000 }, 5_000);
    expect(pendingEntries(s, 4_999)).toHaveLength(1);
    expect(pendingEntries(s, 5_000)).toHaveLength(0);
    expect(entryAt(s, 5_000).windowMs).toBe(2_000);
  });

  it('assigns every instant around a change to exactly one window with no gap or overlap', () => {
    const s = scheduleChange(singleSizeSchedule(3_000), { windowMs: 7_000 }, 10_000); // from 12 000
    let previous = windowFor(s, 0);
    for (let t = 1; t < 40_000; t++) {
      const w = windowFor(s, t);
      expect(w.start <= t && t < w.end).toBe(true);
      if (w.start !== previous.start) expect(w.start).toBe(previous.end);
      previous = w;
    }
  });
});
