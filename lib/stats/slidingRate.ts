/**
 * The rate of a growing total over the last `spanMs` of samples. A rate from one tick to the next
 * shows windows as bursts: 3 sensors with 5 s windows write 3 windows every 5 s, so a per-second
 * rate reads 0, 0, 0, 0, 3 and mostly 0. Over a span of several windows it reads 0.6. Pure: the
 * caller passes the time.
 */
export class SlidingRate {
  private readonly samples: { atMs: number; total: number }[] = [];

  constructor(private readonly spanMs: number) {}

  /** Records `total` at `atMs` and returns the rate per second over the span before it (0 with one sample). */
  sample(atMs: number, total: number): number {
    this.samples.push({ atMs, total });
    // Keep the newest sample at or before the span's start, so the rate covers the whole span.
    while (this.samples.length > 2 && this.samples[1].atMs <= atMs - this.spanMs) this.samples.shift();
    const first = this.samples[0];
    const seconds = (atMs - first.atMs) / 1000;
    return seconds > 0 ? Math.max(0, (total - first.total) / seconds) : 0;
  }
}
