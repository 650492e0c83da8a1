/**
 * The quantile sketch of a window: DDSketch (@datadog/sketches-js), whose every reported quantile
 * lies within its relative accuracy α of the exact one, and whose merge of two sketches is exact
 * (bin counts add up), so a window merged from every partition's partial is the sketch of all its
 * readings. Its merge of negative values is fixed by patches/@datadog+sketches-js+2.1.1.patch.
 *
 * Between the stages a sketch travels as its non-empty bins, not the library's protobuf form: that
 * writes every bin of its dense range, hundreds of zeros for a handful of readings.
 */
import { DDSketch } from '@datadog/sketches-js';

export type Sketch = DDSketch;

/** α, the zero count, then [key, count, key, count, …] of the positive and of the negative bins. */
export type SketchBins = [number, number, number[], number[]];

export function newSketch(relativeAccuracy: number): Sketch {
  return new DDSketch({ relativeAccuracy });
}

interface BinStore {
  bins: number[];
  offset: number;
  count: number;
  add(key: number, weight?: number): void;
}

function storeBins(store: BinStore): number[] {
  const out: number[] = [];
  if (store.count === 0) return out;
  for (let i = 0; i < store.bins.length; i++) if (store.bins[i] > 0) out.push(i + store.offset, store.bins[i]);
  return out;
}

/** The sketch's accuracy is not part of the library's public state; it is the one it was made with. */
const accuracyOf = (s: Sketch): number => (s.mapping as unknown as { relativeAccuracy: number }).relativeAccuracy;

export function sketchBins(s: Sketch): SketchBins {
  return [accuracyOf(s), s.zeroCount, storeBins(s.store), storeBins(s.negativeStore)];
}

function fill(store: BinStore, pairs: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    store.add(pairs[i], pairs[i + 1]);
    total += pairs[i + 1];
  }
  return total;
}

export function sketchFromBins([accuracy, zero, positive, negative]: SketchBins): Sketch {
  const s = newSketch(accuracy);
  s.zeroCount = zero;
  s.count = zero + fill(s.store, positive) + fill(s.negativeStore, negative);
  return s;
}

/** Adds `from` into `into`; false (nothing changed) when they were made with different accuracies. */
export function mergeSketch(into: Sketch, from: Sketch): boolean {
  if (!into.mergeable(from)) return false;
  into.merge(from);
  return true;
}

export function sketchQuantile(s: Sketch, q: number): number {
  return s.getValueAtQuantile(q);
}

/** Why `v` is not SketchBins (a partials entry's), or null when it is. */
export function sketchBinsError(v: unknown): string | null {
  if (!Array.isArray(v) || v.length !== 4) return 'must be [accuracy, zeros, positive bins, negative bins]';
  const [a, z, p, n] = v as unknown[];
  if (typeof a !== 'number' || !(a > 0 && a < 1)) return 'accuracy must be in (0, 1)';
  if (!Number.isSafeInteger(z) || (z as number) < 0) return 'zeros must be a non-negative integer';
  for (const bins of [p, n]) {
    if (!Array.isArray(bins) || bins.length % 2 !== 0) return 'bins must be [key, count, …] pairs';
    for (let i = 0; i < bins.length; i += 2)
      if (!Number.isSafeInteger(bins[i]) || !Number.isSafeInteger(bins[i + 1]) || (bins[i + 1] as number) <= 0)
        return 'bins must be integer keys with positive integer counts';
  }
  return null;
}
