/**
 * The aggregates a window can carry, in the one order the output record, the CSV export and every
 * table, tooltip and picker of the browser show them: the base five every window has, then the
 * extras a definition chooses (lib/aggregates/choice.ts).
 */
import type { ExtraAggregate } from './aggregates/choice';

export const BASE_METRICS = [
  { key: 'count', label: 'Count' },
  { key: 'sum', label: 'Sum' },
  { key: 'min', label: 'Min' },
  { key: 'max', label: 'Max' },
  { key: 'mean', label: 'Mean' },
] as const;

const EXTRA_METRICS: readonly { key: ExtraAggregate; label: string }[] = [
  { key: 'variance', label: 'Variance' },
  { key: 'stddev', label: 'Std deviation' },
  { key: 'first', label: 'First' },
  { key: 'last', label: 'Last' },
  { key: 'p50', label: 'Median (p50)' },
  { key: 'p90', label: 'p90' },
  { key: 'p95', label: 'p95' },
  { key: 'p99', label: 'p99' },
];

export type BaseMetric = (typeof BASE_METRICS)[number]['key'];
export type WindowMetric = BaseMetric | ExtraAggregate;

const ALL_METRICS: readonly { key: WindowMetric; label: string }[] = [...BASE_METRICS, ...EXTRA_METRICS];

export const BASE_METRIC_KEYS: readonly BaseMetric[] = BASE_METRICS.map((m) => m.key);

/** The base metrics and the extras chosen, in the one order. */
export function metricsFor(extras: readonly string[]): readonly { key: WindowMetric; label: string }[] {
  return ALL_METRICS.filter((m) => BASE_METRIC_KEYS.includes(m.key as BaseMetric) || extras.includes(m.key));
}

export function isWindowMetric(text: string): text is WindowMetric {
  return ALL_METRICS.some((m) => m.key === text);
}

export function metricLabel(metric: WindowMetric): string {
  return ALL_METRICS.find((m) => m.key === metric)!.label;
}
