/** The line chart's data: one table for all lines, with a break wherever a sensor has no window. */
import type { WindowResultRecord } from '@/lib/contract';
import type { WindowMetric } from '@/lib/windowMetrics';
import type { WindowsBySensor } from '@/components/dashboard/windowsBySensor';

/** One row per window end: `v<i>` is the chosen aggregate of the i-th charted sensor's window ending then. */
export type Row = { t: number } & Record<string, number | null>;

interface RowOptions {
  /** Only windows whose start is in [from, to). */
  from?: number;
  to?: number;
  /** Divide by the window's length in seconds (sum and count only: see viewState.ratesApply). */
  perSecond?: boolean;
}

/** Null (a gap) for a window without the chosen aggregate: one that closed before it was chosen. */
function valueOf(w: WindowResultRecord, metric: WindowMetric, perSecond: boolean): number | null {
  const value = w[metric];
  if (value === undefined) return null;
  return perSecond ? value / ((w.windowEnd - w.windowStart) / 1000) : value;
}

/**
 * One data array for the whole chart. recharts handles a single table far better than one data
 * array per line (with 100 lines, per-line data froze the page). A sensor without a window at a
 * time gets null there, which breaks its line: no readings, no window, no line. When no charted
 * sensor had a window in a sensor's gap, a row is added at the gap so the line still breaks
 * instead of being drawn across it.
 */
export function rowsOf(
  windows: WindowsBySensor,
  ids: readonly string[],
  metric: WindowMetric,
  options: RowOptions = {},
): Row[] {
  const { from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY, perSecond = false } = options;
  const byTime = new Map<number, Row>();
  const rowAt = (t: number): Row => {
    let row = byTime.get(t);
    if (!row) byTime.set(t, (row = { t } as Row));
    return row;
  };
  ids.forEach((id, index) => {
    let previousEnd: number | null = null;
    for (const w of windows.get(id) ?? []) {
      if (w.windowStart < from || w.windowStart >= to) continue;
      // A window missing before this one: its end (this window's start) has no value for this sensor.
      if (previousEnd !== null && w.windowStart > previousEnd) rowAt(w.windowStart);
      rowAt(w.windowEnd)[`v${index}`] = valueOf(w, metric, perSecond);
      previousEnd = w.windowEnd;
    }
  });
  const rows = [...byTime.values()].sort((a, b) => a.t - b.t);
  for (const row of rows) for (let i = 0; i < ids.length; i++) if (row[`v${i}`] === undefined) row[`v${i}`] = null;
  return rows;
}

/**
 * At most about `maxRows` rows, for a range denser than the chart has pixels: the time axis is
 * cut into buckets and each line keeps, per bucket, its lowest and its highest point (in time
 * order), so peaks and dips stay visible. A bucket in which a line had a gap keeps the gap.
 */
export function downsampleRows(rows: readonly Row[], lines: number, maxRows: number): Row[] {
  if (rows.length <= maxRows || rows.length === 0) return rows as Row[];
  const buckets = Math.max(1, Math.floor(maxRows / 2));
  const first = rows[0].t;
  const span = rows[rows.length - 1].t - first + 1;
  const out: Row[] = [];
  let start = 0;
  for (let b = 0; b < buckets && start < rows.length; b++) {
    const limit = first + ((b + 1) * span) / buckets;
    let end = start;
    while (end < rows.length && rows[end].t < limit) end++;
    if (end === start) continue;
    const low = { t: rows[start].t } as Row;
    const high = { t: rows[end - 1].t } as Row;
    for (let i = 0; i < lines; i++) {
      const key = `v${i}`;
      let min: Row | null = null;
      let max: Row | null = null;
      let gap = false;
      for (let r = start; r < end; r++) {
        const v = rows[r][key];
        if (v === null) gap = true;
        else {
          if (!min || v < (min[key] as number)) min = rows[r];
          if (!max || v > (max[key] as number)) max = rows[r];
        }
      }
      const [a, z] = min && max && min.t > max.t ? [max, min] : [min, max];
      low[key] = a?.[key] ?? null;
      high[key] = gap ? null : (z?.[key] ?? null);
    }
    out.push(low);
    if (end - 1 > start) out.push(high);
    start = end;
  }
  return out;
}

interface SizeChange {
  /** Where the new size starts (epoch ms). */
  t: number;
  fromMs: number;
  toMs: number;
}

const HOUR = 3_600_000;

/**
 * A window's length as a size: a calendar day or week that the clocks made 23 or 25 hours long
 * (or 167, 169) is still a day or a week, not a size change. A fixed size is at most 24 h, so
 * only a day-sized one could be taken for a calendar day, and it is never longer.
 */
function sizeOf(lengthMs: number): number {
  if (Math.abs(lengthMs - 24 * HOUR) <= 2 * HOUR) return 24 * HOUR;
  if (Math.abs(lengthMs - 168 * HOUR) <= 2 * HOUR) return 168 * HOUR;
  return lengthMs;
}

/** Every time the window size of a charted sensor changes, once per time. */
export function sizeChanges(
  windows: WindowsBySensor,
  ids: readonly string[],
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): SizeChange[] {
  const byTime = new Map<number, SizeChange>();
  for (const id of ids) {
    let previous: number | null = null;
    for (const w of windows.get(id) ?? []) {
      const length = sizeOf(w.windowEnd - w.windowStart);
      if (
        previous !== null &&
        length !== previous &&
        w.windowStart >= from &&
        w.windowStart < to &&
        !byTime.has(w.windowStart)
      ) {
        byTime.set(w.windowStart, { t: w.windowStart, fromMs: previous, toMs: length });
      }
      previous = length;
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/**
 * The row each size change's label goes in, 0 the top one: a label in a row must lie at least
 * `minShare` of the shown range after the one before it in that row, or the two would be drawn
 * over each other ("5 s → 1 min" is about a tenth of a chart's width). Greedy, left to right.
 */
export function labelRows(changes: readonly { t: number }[], from: number, to: number, minShare = 0.12): number[] {
  const minGap = (to - from) * minShare;
  const lastInRow: number[] = [];
  return changes.map(({ t }) => {
    let row = lastInRow.findIndex((last) => t - last >= minGap);
    if (row === -1) row = lastInRow.length;
    lastInRow[row] = t;
    return row;
  });
}

/** About one point per pixel pair on a wide screen. */
const MAX_ROWS = 1_200;
/**
 * Points drawn over all lines: SVG cost grows with them, and 100 lines × 1 200 rows took most of a
 * second per frame (bench/browser.ts). Many lines get fewer rows each (min and max of every bucket
 * are kept, so peaks still show).
 */
const MAX_POINTS = 24_000;
const MIN_ROWS = 200;

/** Rows to draw for `lines` lines: MAX_ROWS for a few, fewer each when many share MAX_POINTS. */
export function rowBudget(lines: number): number {
  return Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.floor(MAX_POINTS / Math.max(1, lines))));
}
