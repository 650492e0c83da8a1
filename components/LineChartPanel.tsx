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
import { formatNumber, formatTime } from './format';
import { metricLabel, type Metric } from './metrics';
import { rowsOf, type Row } from './chartRows';
import type { WindowsBySensor } from './windowStore';

function WindowTooltip({
  active,
  label,
  ids,
  rows,
  hidden,
}: {
  active?: boolean;
  label?: string | number;
  ids: readonly string[];
  rows: readonly Row[];
  hidden: ReadonlySet<string>;
}) {
  if (!active || label === undefined) return null;
  const t = Number(label);
  const row = rows.find((r) => r.t === t);
  if (!row) return null;
  const entries = ids.map((id, index) => ({ id, index, sum: row[`v${index}`] })).filter((e) => e.sum !== null && !hidden.has(e.id));
  if (entries.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <div className="muted">window end {formatTime(t)}</div>
      {entries.map((e) => (
        <div key={e.id} style={{ color: colorAt(e.index) }}>
          {e.id}: {formatNumber(e.sum)}
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
                <WindowTooltip active={active} label={label} ids={charted.ids} rows={rows} hidden={hidden} />
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
