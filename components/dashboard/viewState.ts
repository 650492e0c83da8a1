/**
 * What the dashboard shows — time range, sensors, metric, per-second — kept in the page's URL so a
 * link opens the same view. Parsing is forgiving: anything it does not understand falls back to the
 * default rather than breaking the page.
 */
import { isWindowMetric, type WindowMetric } from '@/lib/windowMetrics';

export const RECENT_RANGES = [
  { key: '5m', label: '5 min', ms: 5 * 60_000 },
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '6h', label: '6 h', ms: 6 * 3_600_000 },
] as const;

export type RecentKey = (typeof RECENT_RANGES)[number]['key'];

/** A recent range follows the clock (live); a custom one is fixed. */
export type TimeRange = { kind: 'recent'; key: RecentKey } | { kind: 'custom'; from: number; to: number };

export interface ViewState {
  range: TimeRange;
  /** Sensors chosen for the charts; empty: the most recently active ones. */
  sensors: string[];
  metric: WindowMetric;
  /** Sum and count divided by the window's seconds, so windows of different sizes compare. */
  perSecond: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  range: { kind: 'recent', key: '5m' },
  sensors: [],
  metric: 'sum',
  perSecond: false,
};

const MAX_SENSORS_IN_URL = 100;

export function parseView(search: string): ViewState {
  const params = new URLSearchParams(search);
  const view: ViewState = { ...DEFAULT_VIEW, sensors: [] };
  const range = params.get('range');
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (range && RECENT_RANGES.some((r) => r.key === range)) view.range = { kind: 'recent', key: range as RecentKey };
  else if (
    params.has('from') &&
    params.has('to') &&
    Number.isSafeInteger(from) &&
    Number.isSafeInteger(to) &&
    from >= 0 &&
    to > from
  )
    view.range = { kind: 'custom', from, to };
  const metric = params.get('metric');
  if (metric && isWindowMetric(metric)) view.metric = metric;
  view.perSecond = params.get('perSecond') === '1' && ratesApply(view.metric);
  view.sensors = params
    .getAll('sensor')
    .filter((s) => s.length > 0 && s.length <= 256)
    .slice(0, MAX_SENSORS_IN_URL);
  return view;
}

export function viewQuery(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.range.kind === 'recent') {
    if (view.range.key !== '5m') params.set('range', view.range.key);
  } else {
    params.set('from', String(view.range.from));
    params.set('to', String(view.range.to));
  }
  if (view.metric !== DEFAULT_VIEW.metric) params.set('metric', view.metric);
  if (view.perSecond && ratesApply(view.metric)) params.set('perSecond', '1');
  for (const s of view.sensors.slice(0, MAX_SENSORS_IN_URL)) params.append('sensor', s);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The span shown: windows whose start is in [from, to). */
export function rangeBounds(range: TimeRange, now: number): { from: number; to: number } {
  if (range.kind === 'custom') return { from: range.from, to: range.to };
  const ms = RECENT_RANGES.find((r) => r.key === range.key)!.ms;
  return { from: now - ms, to: now + 1 };
}

/** Only sums and counts grow with the window's length; a mean, min or max per second means nothing. */
export function ratesApply(metric: WindowMetric): boolean {
  return metric === 'sum' || metric === 'count';
}
