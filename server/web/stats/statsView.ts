/**
 * Turns the cluster's counters into the `stats` browsers see: totals as they are, rates from
 * the change since the previous tick (about a second).
 */
import type { Stats } from '../../../lib/contract';
import type { ClusterStats } from '../../../lib/stats/clusterStats';

export class StatsView {
  private last = { at: Date.now(), readings: 0, windows: 0 };
  latest: Stats | null = null;

  constructor(
    private readonly cluster: ClusterStats,
    private readonly kafkaConnected: () => boolean,
  ) {}

  tick(now = Date.now()): Stats {
    const t = this.cluster.totals(now);
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    const stats: Stats = {
      at: now,
      kafkaConnected: this.kafkaConnected(),
      readingsPerSecond: Math.max(0, Math.round((t.readingsTotal - this.last.readings) / seconds)),
      windowsPerSecond: Math.max(0, Math.round((10 * (t.windowsTotal - this.last.windows)) / seconds) / 10),
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
    this.last = { at: now, readings: t.readingsTotal, windows: t.windowsTotal };
    this.latest = stats;
    return stats;
  }
}
