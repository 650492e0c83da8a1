/**
 * Adds up the counters that worker processes publish, so a web server shows the whole consumer
 * group whether the workers run in its own process or elsewhere. Pure: time is passed in.
 *
 * A worker not heard from for `ttlMs` is gone (stopped, crashed, or moved away): its last
 * counters are kept in the totals, which therefore never go down, but its partitions, open
 * windows and watermark no longer count.
 */
import type { WorkerStats } from '../contract';
import { addSensorCount } from './sensorCounts';
import { DEFAULT_MAX_SENSORS } from './workerCounters';

export interface ClusterTotals {
  workers: number;
  partitions: number[];
  readingsTotal: number;
  windowsTotal: number;
  lateTotal: number;
  invalidTotal: number;
  lateBySensor: Map<string, number>;
  /** Late readings not counted per sensor: MAX_SENSORS sensors were counted already. */
  lateUntracked: number;
  openWindows: number;
  /** Lowest watermark over the live workers' partitions; null when none has one. */
  lowestWatermarkMs: number | null;
}

export const WORKER_STATS_TTL_MS = 10_000;

export class ClusterStats {
  private readonly live = new Map<string, WorkerStats>();
  private readonly retired = {
    readings: 0,
    windows: 0,
    late: 0,
    invalid: 0,
    lateBySensor: new Map<string, number>(),
    lateUntracked: 0,
  };

  constructor(
    private readonly ttlMs = WORKER_STATS_TTL_MS,
    /** MAX_SENSORS: sensors whose late readings are added up one by one. */
    private readonly maxSensors = DEFAULT_MAX_SENSORS,
  ) {}

  /** Keeps the newest report of each worker; an older one arriving late is ignored. */
  accept(report: WorkerStats): void {
    const known = this.live.get(report.instance);
    if (known && known.at >= report.at) return;
    this.live.set(report.instance, report);
  }

  totals(nowMs: number): ClusterTotals {
    for (const [instance, report] of this.live) {
      if (report.at < nowMs - this.ttlMs) {
        this.retire(report);
        this.live.delete(instance);
      }
    }
    const lateBySensor = new Map(this.retired.lateBySensor);
    const totals: ClusterTotals = {
      workers: this.live.size,
      partitions: [],
      readingsTotal: this.retired.readings,
      windowsTotal: this.retired.windows,
      lateTotal: this.retired.late,
      invalidTotal: this.retired.invalid,
      lateBySensor,
      lateUntracked: this.retired.lateUntracked,
      openWindows: 0,
      lowestWatermarkMs: null,
    };
    for (const report of this.live.values()) {
      totals.partitions.push(...report.partitions);
      totals.readingsTotal += report.readingsTotal;
      totals.windowsTotal += report.windowsTotal;
      totals.lateTotal += report.lateTotal;
      totals.invalidTotal += report.invalidTotal;
      totals.openWindows += report.openWindows;
      totals.lateUntracked += this.addCounts(lateBySensor, report.lateBySensor);
      if (report.lowestWatermarkMs !== null) {
        totals.lowestWatermarkMs = Math.min(
          totals.lowestWatermarkMs ?? Number.POSITIVE_INFINITY,
          report.lowestWatermarkMs,
        );
      }
    }
    totals.partitions.sort((a, b) => a - b);
    return totals;
  }

  private retire(report: WorkerStats): void {
    this.retired.readings += report.readingsTotal;
    this.retired.windows += report.windowsTotal;
    this.retired.late += report.lateTotal;
    this.retired.invalid += report.invalidTotal;
    this.retired.lateUntracked += this.addCounts(this.retired.lateBySensor, report.lateBySensor);
  }

  /** Returns the counts left out (their sensors new once MAX_SENSORS were counted). */
  private addCounts(into: Map<string, number>, counts: Record<string, number>): number {
    let untracked = 0;
    for (const sensorId in counts)
      if (!addSensorCount(into, sensorId, counts[sensorId], this.maxSensors)) untracked += counts[sensorId];
    return untracked;
  }
}

/** The `limit` sensors with the most late readings: what a worker publishes, so a report stays small. */
export function topLateSensors(lateBySensor: Map<string, number>, limit: number): Record<string, number> {
  const entries = [...lateBySensor];
  if (entries.length > limit) entries.sort((a, b) => b[1] - a[1]).length = limit;
  return Object.fromEntries(entries);
}
