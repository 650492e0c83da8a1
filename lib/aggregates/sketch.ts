/**
 * The quantile sketch of a window: a DDSketch. Its logarithmic mapping (@datadog/sketches-js) puts
 * each value in a bin whose representative lies within the relative accuracy α of every value in
 * it, so the reported quantile is within α of the exact one. Merging two sketches adds their bin
 * counts, which is exact: a window merged from every partition's partial is the sketch of all
 * its readings.
 *
 * The bins are kept here, sparse, rather than in the library's DDSketch: that one keeps a dense
 * array of at least 128 bins per sign and shifts it as values arrive, which for windowpane's many
 * small sketches (one per sensor and open window, ten readings each) cost five times the whole
 * engine's time; and its merge drops the negative bins (DataDog/sketches-js#22, open).
 */
import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping';

/** α, the zero count, then [key, count, key, count, …] of the positive and of the negative bins. */
export type SketchBins = [number, number, number[], number[]];

const mappings = new Map<number, LogarithmicMapping>();

function mappingFor(relativeAccuracy: number): LogarithmicMapping {
  let m = mappings.get(relativeAccuracy);
  if (m === undefined) mappings.set(relativeAccuracy, (m = new LogarithmicMapping(relativeAccuracy)));
  return m;
}

function bump(bins: Map<number, number>, key: number, count: number): void {
  bins.set(key, (bins.get(key) ?? 0) + count);
}

export class Sketch {
  private readonly mapping: LogarithmicMapping;
  private zeros = 0;
  private count = 0;
  /** Bins of positive values, and of negative values by their magnitude; key → count. */
  private readonly positive = new Map<number, number>();
  private negative: Map<number, number> | null = null;

  constructor(readonly relativeAccuracy: number) {
    this.mapping = mappingFor(relativeAccuracy);
  }

  accept(value: number): void {
    const m = this.mapping;
    if (value > m.minPossible) bump(this.positive, m.key(value), 1);
    else if (value < -m.minPossible) bump((this.negative ??= new Map()), m.key(-value), 1);
    else this.zeros++;
    this.count++;
  }

  /** Adds `other`'s bins; false (nothing changed) when it was made with another accuracy. */
  merge(other: Sketch): boolean {
    if (other.relativeAccuracy !== this.relativeAccuracy) return false;
    for (const [k, c] of other.positive) bump(this.positive, k, c);
    if (other.negative) for (const [k, c] of other.negative) bump((this.negative ??= new Map()), k, c);
    this.zeros += other.zeros;
    this.count += other.count;
    return true;
  }

  /**
   * The value at rank ⌊q·(n − 1)⌋ of the sorted readings, as DDSketch defines it: the
   * representative of the bin holding that rank (0 for the zero bin).
   */
  quantile(q: number): number {
    return this.quantiles([q])[0];
  }

  /** `quantile` of each of `qs`, ascending, with one sort of the bins. */
  quantiles(qs: readonly number[]): number[] {
    // Bins in value order: negative ones by falling magnitude, the zero bin, positive ones rising.
    const negative = this.negative ? [...this.negative.keys()].sort((a, b) => b - a) : [];
    const positive = [...this.positive.keys()].sort((a, b) => a - b);
    const bins: { value: number; count: number }[] = [
      ...negative.map((k) => ({ value: -this.mapping.value(k), count: this.negative!.get(k)! })),
      { value: 0, count: this.zeros },
      ...positive.map((k) => ({ value: this.mapping.value(k), count: this.positive.get(k)! })),
    ];
    return qs.map((q) => {
      const rank = Math.floor(q * (this.count - 1));
      let seen = 0;
      for (const bin of bins) {
        seen += bin.count;
        if (seen > rank) return bin.value;
      }
      return bins[bins.length - 1].value;
    });
  }

  bins(): SketchBins {
    const pairs = (bins: Map<number, number> | null) => {
      const out: number[] = [];
      if (bins) for (const [k, c] of bins) out.push(k, c);
      return out;
    };
    return [this.relativeAccuracy, this.zeros, pairs(this.positive), pairs(this.negative)];
  }

  static fromBins([accuracy, zeros, positive, negative]: SketchBins): Sketch {
    const s = new Sketch(accuracy);
    s.zeros = zeros;
    s.count = zeros;
    for (let i = 0; i < positive.length; i += 2) {
      bump(s.positive, positive[i], positive[i + 1]);
      s.count += positive[i + 1];
    }
    if (negative.length > 0) s.negative = new Map();
    for (let i = 0; i < negative.length; i += 2) {
      bump(s.negative!, negative[i], negative[i + 1]);
      s.count += negative[i + 1];
    }
    return s;
  }
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
