/**
 * The worker role's metrics. Counters are read from the worker's own counts when Prometheus
 * scrapes (each task owns its counts; nothing here is written per reading).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DEAD_LETTER_REASONS, type WorkerCounters } from '../../lib/stats/workerCounters';
import { collectedTotal, LATENCY_BUCKETS, METRIC_PREFIX } from '../metrics/registry';

export interface WorkerMetricsSource {
  totals(): WorkerCounters;
  watermarks(): { partition: number; watermarkMs: number }[];
  readonly assignedPartitions: readonly number[];
  readonly openWindows: number;
  readonly rebalances: number;
}

/** Made before the worker, which observes into it as each transaction commits. */
export function commitDelayHistogram(registry: Registry): Histogram {
  return new Histogram({
    name: `${METRIC_PREFIX}window_commit_delay_seconds`,
    help: 'From a window closing (the watermark passing its end) to its transaction committing',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

export function registerWorkerMetrics(
  registry: Registry,
  source: WorkerMetricsSource,
  nowMs: () => number = Date.now,
): void {
  const registers = [registry];
  const total = (name: string, help: string, read: (t: WorkerCounters) => number) =>
    collectedTotal(registry, name, help, () => read(source.totals()));
  total(
    'readings_consumed_total',
    'Valid readings consumed from the input topic (late ones included)',
    (t) => t.readings,
  );
  total('windows_emitted_total', 'Closed windows written to the output topic', (t) => t.windows);
  total(
    'partials_emitted_total',
    "Partial windows (one input partition's share) written to the partials topic",
    (t) => t.partials,
  );
  total(
    'repeated_partials_skipped_total',
    'Partials the merge skipped because their input partition had sent them already (a first-stage restart from an older checkpoint); each one would have counted a share twice',
    (t) => t.repeatedPartials,
  );
  total('late_readings_total', 'Readings that arrived after their window was emitted', (t) => t.late);
  total(
    'late_readings_untracked_total',
    'Late readings not counted per sensor: the worker already counted MAX_SENSORS sensors',
    (t) => t.lateUntracked,
  );
  new Counter({
    name: `${METRIC_PREFIX}dead_letters_total`,
    help: 'Input records set aside to the dead-letter topic, by reason',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      const counts = source.totals().deadLetters;
      // Every code, so each series exists from the start at 0.
      for (const reason of DEAD_LETTER_REASONS) this.inc({ reason }, counts.get(reason) ?? 0);
    },
  });
  new Counter({
    name: `${METRIC_PREFIX}rebalances_total`,
    help: 'Consumer group rebalances this worker took part in',
    registers,
    collect() {
      this.reset();
      this.inc(source.rebalances);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}watermark_delay_seconds`,
    help: "Wall-clock time minus the partition's watermark",
    labelNames: ['partition'],
    registers,
    collect() {
      this.reset();
      const now = nowMs();
      for (const { partition, watermarkMs } of source.watermarks())
        this.set({ partition: String(partition) }, (now - watermarkMs) / 1000);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}assigned_partitions`,
    help: 'Input partitions assigned to this worker',
    registers,
    collect() {
      this.set(source.assignedPartitions.length);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}open_windows`,
    help: 'Sensor windows open (not yet closed by the watermark) in this worker',
    registers,
    collect() {
      this.set(source.openWindows);
    },
  });
}
