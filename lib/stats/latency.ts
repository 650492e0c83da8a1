/** Percentiles of recent delivery latencies (window close → arrival), over a bounded sample. */
export class LatencySample {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 2_000) {}

  add(ms: number): void {
    if (this.values.length < this.capacity) this.values.push(ms);
    else {
      this.values[this.next] = ms;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  get size(): number {
    return this.values.length;
  }

  /** Nearest-rank percentile (0 < p ≤ 100); null when empty. */
  percentile(p: number): number | null {
    return percentile(this.values, p);
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
