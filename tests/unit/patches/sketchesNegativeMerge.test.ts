/**
 * The patched DDSketch merge (patches/@datadog+sketches-js+2.1.1.patch): upstream 2.1.1 merges the
 * positive bins and the counts but not the negative bins (DataDog/sketches-js#22, open), so a window
 * merged from partitions' partials reported wrong quantiles whenever it held negative readings.
 */
import { DDSketch } from '@datadog/sketches-js';
import { describe, expect, it } from 'vitest';

describe('DDSketch.merge (patched)', () => {
  it('keeps the negative values of the sketch merged in', () => {
    const a = new DDSketch({ relativeAccuracy: 0.01 });
    const b = new DDSketch({ relativeAccuracy: 0.01 });
    for (const v of [1, 2, 3]) a.accept(v);
    for (const v of [-10, -20, -30]) b.accept(v);
    a.merge(b);
    // Sorted: -30 -20 -10 1 2 3; the lowest quantile is -30, the median rank 2.5 is -10.
    expect(a.getValueAtQuantile(0)).toBeCloseTo(-30, 0);
    expect(Math.abs(a.getValueAtQuantile(0.5) + 10)).toBeLessThanOrEqual(0.1);
    expect(a.negativeStore.count).toBe(3);
  });
});
