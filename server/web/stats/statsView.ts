/**
 * Turns the cluster's counters into the `stats` browsers see: totals as they are, rates over the
 * last few seconds (readings) and the last minute (windows, which arrive in bursts of one per
 * sensor at each window end).
 */
import type { Stats } from '../../../lib/contract';
import type { ClusterStats } from '../../../lib/stats/clusterStats';
import { SlidingRate } from '../../../lib/stats/slidingRate';

const READINGS_RATE_SPAN_MS = 5_000;
const WINDOWS_RATE_SPAN_MS = 60_000;

export class StatsView {
  private readonly readingsRate = new SlidingRate(READINGS_RATE_SPAN_MS);
  private readonly windowsRate = new SlidingRate(WINDOWS_RATE_SPAN_MS);
  latest: Stats | null = null;

  constructor(
    private readonly cluster: ClusterStats,
    private readonly kafkaConnected: () => boolean,
  ) {}

  tick(now = Date.now()): Stats {
    const t = this.cluster.totals(now);
    const stats: Stats = {
      at: now,
      kafkaConnected: this.kafkaConnected(),
      readingsPerSecond: Math.round(this.readingsRate.sample(now, t.readingsTotal)),
      windowsPerSecond: Math.round(10 * this.windowsRate.sample(now, t.windowsTotal)) / 10,
      watermarkDelayMs: t.lowestWatermarkMs === null ? null : now - t.lowestWatermarkMs,
      readingsTotal: t.readingsTotal,
      windowsTotal: t.windowsTotal,
      lateTotal: t.lateTotal,
      invalidTotal: t.invalidTotal,
      lateBySensor: Object.fromEntries(t.lateBySensor),
      openWindows: t.openWindows,
      partitions: t.partitions,
      workers: t.workers,
    };
    this.latest = stats;
    return stats;
  }
}
