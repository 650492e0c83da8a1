'use client';
/** Live line chart: each charted sensor's sum per window, against the window's end time. */
import { memo, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type LegendPayload,
} from 'recharts';
import { colorAt, type ChartedSensors } from './chartSensors';
import { formatNumber, formatTime } from './format';
import type { WindowResultRecord } from '@/lib/contract';
import type { WindowsBySensor } from './windowStore';

interface Point {
  t: number;
  /** Null draws a break in the line. */
  sum: number | null;
}

/** A gap longer than this many window lengths (no readings, simulator stopped) breaks the line. */
const BREAK_AFTER_WINDOWS = 3;

/** One sensor's points; each series carries its own data so a missing window in one does not break another. */
function seriesOf(windows: WindowsBySensor, id: string): Point[] {
  const points: Point[] = [];
  let previous: WindowResultRecord | undefined;
  for (const w of windows.get(id) ?? []) {
    if (previous && w.windowStart - previous.windowEnd > BREAK_AFTER_WINDOWS * (previous.windowEnd - previous.windowStart)) {
      points.push({ t: (previous.windowEnd + w.windowStart) / 2, sum: null });
    }
    points.push({ t: w.windowEnd, sum: w.sum });
    previous = w;
  }
  return points;
}

/** Every window end drawn, for the tooltip to snap to. */
function timesOf(series: Point[][]): { t: number }[] {
  const times = new Set<number>();
  for (const points of series) for (const p of points) if (p.sum !== null) times.add(p.t);
  return [...times].sort((a, b) => a - b).map((t) => ({ t }));
}

function WindowTooltip({
  active,
  label,
  ids,
  series,
  hidden,
}: {
  active?: boolean;
  label?: string | number;
  ids: readonly string[];
  series: Point[][];
  hidden: ReadonlySet<string>;
}) {
  if (!active || label === undefined) return null;
  const t = Number(label);
  const entries = ids
    .map((id, index) => ({ id, index, point: series[index].find((p) => p.t === t && p.sum !== null) }))
    .filter((e) => e.point && !hidden.has(e.id));
  if (entries.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <div className="muted">window end {formatTime(t)}</div>
      {entries.map((e) => (
        <div key={e.id} style={{ color: colorAt(e.index) }}>
          {e.id}: {formatNumber(e.point!.sum)}
        </div>
      ))}
    </div>
  );
}

function describe(charted: ChartedSensors): string {
  if (charted.reason === 'selected') {
    const more = charted.omitted > 0 ? ` (${charted.omitted} more selected, not drawn)` : '';
    return `${charted.ids.length} selected sensor${charted.ids.length === 1 ? '' : 's'}${more}`;
  }
  return `top ${charted.ids.length} live sensors by latest sum`;
}

export const LineChartPanel = memo(function LineChartPanel({
  windows,
  charted,
}: {
  windows: WindowsBySensor;
  charted: ChartedSensors;
}) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const series = useMemo(() => charted.ids.map((id) => seriesOf(windows, id)), [windows, charted.ids]);
  const times = useMemo(() => timesOf(series), [series]);
  const empty = times.length === 0;

  const toggle = (entry: LegendPayload) => {
    const id = String(entry.value ?? '');
    if (!charted.ids.includes(id)) return;
    setHidden((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };

  return (
    <section className="panel" data-testid="line-chart">
      <header className="panel-header">
        <h2>Sum per window</h2>
        <span className="muted">{describe(charted)} · click a legend entry to hide or show its line</span>
      </header>
      {empty ? (
        <p className="empty">No windows yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={320}>
          <LineChart data={times} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(t: number) => formatTime(t)}
              stroke="var(--muted)"
              minTickGap={40}
            />
            <YAxis stroke="var(--muted)" tickFormatter={(v: number) => formatNumber(v)} width={64} />
            <Tooltip
              isAnimationActive={false}
              content={({ active, label }) => (
                <WindowTooltip active={active} label={label} ids={charted.ids} series={series} hidden={hidden} />
              )}
            />
            <Legend
              onClick={toggle}
              itemSorter={(item) => charted.ids.indexOf(String(item.value))}
              wrapperStyle={{ cursor: 'pointer' }}
            />
            {charted.ids.map((id, index) => (
              <Line
                key={id}
                data={series[index]}
                dataKey="sum"
                name={id}
                stroke={colorAt(index)}
                hide={hidden.has(id)}
                dot={false}
                strokeWidth={1.8}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </section>
  );
});
