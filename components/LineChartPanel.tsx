'use client';
/** Live line chart: each charted sensor's chosen aggregate per window, against the window's end time. */
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
import type { WindowResultRecord } from '@/lib/contract';
import { formatNumber, formatSeconds, formatTime } from './format';
import { metricLabel, type Metric } from './metrics';
import { rowsOf } from './chartRows';
import type { WindowsBySensor } from './windowStore';

function WindowTooltip({
  active,
  label,
  ids,
  windows,
  hidden,
}: {
  active?: boolean;
  label?: string | number;
  ids: readonly string[];
  windows: WindowsBySensor;
  hidden: ReadonlySet<string>;
}) {
  if (!active || label === undefined) return null;
  const t = Number(label);
  const entries = ids.flatMap((id, index) => {
    if (hidden.has(id)) return [];
    const w = windowEndingAt(windows.get(id), t);
    return w ? [{ id, index, w }] : [];
  });
  if (entries.length === 0) return null;
  const { windowStart, windowEnd } = entries[0].w;
  return (
    <div className="chart-tooltip">
      <div className="muted">
        window {formatTime(windowStart)}–{formatTime(windowEnd)} ({formatSeconds((windowEnd - windowStart) / 1000)})
      </div>
      {entries.map(({ id, index, w }) => (
        <div key={id} style={{ color: colorAt(index) }}>
          {id}: sum {formatNumber(w.sum)} · count {w.count} · min {formatNumber(w.min)} · max {formatNumber(w.max)} · mean {formatNumber(w.mean)}
        </div>
      ))}
    </div>
  );
}

/** The sensor's window ending at `t`; windows are ordered by start, and recent ones are asked for most. */
function windowEndingAt(list: readonly WindowResultRecord[] | undefined, t: number): WindowResultRecord | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].windowEnd === t) return list[i];
    if (list[i].windowEnd < t) return undefined;
  }
  return undefined;
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
  metric,
}: {
  windows: WindowsBySensor;
  charted: ChartedSensors;
  metric: Metric;
}) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => rowsOf(windows, charted.ids, metric), [windows, charted.ids, metric]);
  const empty = rows.length === 0;

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
        <h2>{metricLabel(metric)} per window</h2>
        <span className="muted">{describe(charted)} · click a legend entry to hide or show its line</span>
      </header>
      {empty ? (
        <p className="empty">No windows yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={320}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
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
                <WindowTooltip active={active} label={label} ids={charted.ids} windows={windows} hidden={hidden} />
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
                dataKey={`v${index}`}
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
