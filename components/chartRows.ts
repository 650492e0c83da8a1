/** The line chart's data: one table for all lines, with a break wherever a sensor has no window. */
import type { Metric } from './metrics';
import type { WindowsBySensor } from './windowStore';

/** One row per window end: `v<i>` is the chosen aggregate of the i-th charted sensor's window ending then. */
export type Row = { t: number } & Record<string, number | null>;

/**
 * One data array for the whole chart. recharts handles a single table far better than one data
 * array per line (with 100 lines, per-line data froze the page). A sensor without a window at a
 * time gets null there, which breaks its line: no readings, no window, no line. When no charted
 * sensor had a window in a sensor's gap, a row is added at the gap so the line still breaks
 * instead of being drawn across it.
 */
export function rowsOf(windows: WindowsBySensor, ids: readonly string[], metric: Metric): Row[] {
  const byTime = new Map<number, Row>();
  const rowAt = (t: number): Row => {
    let row = byTime.get(t);
    if (!row) byTime.set(t, (row = { t } as Row));
    return row;
  };
  ids.forEach((id, index) => {
    let previousEnd: number | null = null;
    for (const w of windows.get(id) ?? []) {
      // A window missing before this one: its end (this window's start) has no value for this sensor.
      if (previousEnd !== null && w.windowStart > previousEnd) rowAt(w.windowStart);
      rowAt(w.windowEnd)[`v${index}`] = w[metric];
      previousEnd = w.windowEnd;
    }
  });
  const rows = [...byTime.values()].sort((a, b) => a.t - b.t);
  for (const row of rows) for (let i = 0; i < ids.length; i++) if (row[`v${i}`] === undefined) row[`v${i}`] = null;
  return rows;
}
