/**
 * windowpane's sparse DDSketch (lib/aggregates/sketch.ts): on one sketch it answers exactly what the
 * library's own DDSketch answers for the same values, with the same mapping; merged, it answers
 * what one sketch of all the values answers; and it survives the partials' bin form.
 */
import { DDSketch } from '@datadog/sketches-js';
import { describe, expect, it } from 'vitest';
import { Sketch } from '../../../../lib/aggregates/sketch';

function values(seed: number, n: number): number[] {
  let s = seed;
  const next = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => {
    const r = next();
    if (r < 0.1) return 0;
    const magnitude = 10 ** (next() * 8 - 4);
    return r < 0.45 ? -magnitude : magnitude;
  });
}

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

describe('the window sketch', () => {
  it.each([1, 2, 3])('answers as the library DDSketch on the same values (seed %i)', (seed) => {
    const ours = new Sketch(0.01);
    const theirs = new DDSketch({ relativeAccuracy: 0.01 });
    for (const v of values(seed, 1_000)) {
      ours.accept(v);
      theirs.accept(v);
    }
    for (const q of QUANTILES) expect(ours.quantile(q)).toBe(theirs.getValueAtQuantile(q));
  });

  it('merged from parts, answers as one sketch of all the values, negative ones included', () => {
    const all = values(7, 900);
    const whole = new Sketch(0.02);
    for (const v of all) whole.accept(v);
    const parts = [0, 1, 2].map(() => new Sketch(0.02));
    all.forEach((v, i) => parts[i % 3].accept(v));
    const merged = new Sketch(0.02);
    for (const p of parts) expect(merged.merge(Sketch.fromBins(JSON.parse(JSON.stringify(p.bins()))))).toBe(true);
    for (const q of QUANTILES) expect(merged.quantile(q)).toBe(whole.quantile(q));
  });

  it('refuses to merge a sketch of another accuracy', () => {
    const a = new Sketch(0.01);
    a.accept(1);
    const b = new Sketch(0.05);
    b.accept(-1);
    expect(a.merge(b)).toBe(false);
    expect(a.quantile(0)).toBeGreaterThan(0);
  });
});
