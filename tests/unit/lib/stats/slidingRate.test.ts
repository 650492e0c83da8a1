import { describe, expect, it } from 'vitest';
import { SlidingRate } from '../../../../lib/stats/slidingRate';

describe('SlidingRate', () => {
  it('reads a steady trickle of bursts as its average, not as zeros', () => {
    // 3 windows every 5 s, sampled once a second (the dashboard's "windows/s out").
    const rate = new SlidingRate(30_000);
    let total = 0;
    const rates: number[] = [];
    for (let second = 1; second <= 60; second++) {
      if (second % 5 === 0) total += 3;
      rates.push(rate.sample(second * 1_000, total));
    }
    expect(rates.slice(35).every((r) => r >= 0.5 && r <= 0.7)).toBe(true);
    expect(rates.at(-1)).toBeCloseTo(0.6, 5);
  });

  it('forgets what is older than its span', () => {
    const rate = new SlidingRate(10_000);
    for (let second = 0; second <= 10; second++) rate.sample(second * 1_000, second * 100); // 100/s
    let last = 0;
    for (let second = 11; second <= 25; second++) last = rate.sample(second * 1_000, 1_000); // then nothing
    expect(last).toBe(0);
  });

  it('is 0 with a single sample, and never negative when a total restarts lower', () => {
    const rate = new SlidingRate(10_000);
    expect(rate.sample(1_000, 50)).toBe(0);
    expect(rate.sample(2_000, 10)).toBe(0);
  });
});
