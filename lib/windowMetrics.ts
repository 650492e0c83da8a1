/**
 * The aggregates every window carries, in the one order the output record, the CSV export and
 * every table, tooltip and picker of the browser show them.
 */
export const WINDOW_METRICS = [
  { key: 'count', label: 'Count' },
  { key: 'sum', label: 'Sum' },
  { key: 'min', label: 'Min' },
  { key: 'max', label: 'Max' },
  { key: 'mean', label: 'Mean' },
] as const;

export type WindowMetric = (typeof WINDOW_METRICS)[number]['key'];

export const WINDOW_METRIC_KEYS: readonly WindowMetric[] = WINDOW_METRICS.map((m) => m.key);

export function isWindowMetric(text: string): text is WindowMetric {
  return WINDOW_METRICS.some((m) => m.key === text);
}

export function metricLabel(metric: WindowMetric): string {
  return WINDOW_METRICS.find((m) => m.key === metric)!.label;
}
