/** The aggregates of a window the charts can show; sum is the default. */
export const METRICS = [
  { key: 'sum', label: 'Sum' },
  { key: 'mean', label: 'Mean' },
  { key: 'min', label: 'Min' },
  { key: 'max', label: 'Max' },
  { key: 'count', label: 'Count' },
] as const;

export type Metric = (typeof METRICS)[number]['key'];

export function metricLabel(metric: Metric): string {
  return METRICS.find((m) => m.key === metric)!.label;
}
