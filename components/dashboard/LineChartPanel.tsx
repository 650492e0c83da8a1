'use client';
/**
 * Each charted sensor's chosen aggregate per window, over the range shown: gaps where a sensor had
 * no window, a marker where the window size changed, dense ranges thinned to what the chart can
 * draw, drag across the chart to zoom in. A table of the same rows is one click away.
 */
import { memo, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { AlertEvent, WindowResultRecord } from '@/lib/contract';
import { downsampleRows, labelRows, rowBudget, rowsOf, sizeChanges } from '@/components/dashboard/chartRows';
import { colorAt, type ChartedSensors } from '@/components/dashboard/chartSensors';
import { formatDateTime, formatMetric, formatNumber, formatSeconds, formatTime } from '@/components/shared/format';
import { metricLabel, metricsFor, type WindowMetric } from '@/lib/windowMetrics';
import type { WindowsBySensor } from '@/components/dashboard/windowsBySensor';

/** Rows of the table alternative: the newest ones. */
const TABLE_ROWS = 500;

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
        window {formatDateTime(windowStart)} – {formatTime(windowEnd)} (
        {formatSeconds((windowEnd - windowStart) / 1000)})
      </div>
      {entries.map(({ id, index, w }) => (
        <div key={id}>
          <span className="swatch" style={{ background: colorAt(index) }} aria-hidden="true" /> sensor {id}:{' '}
          {metricsFor(Object.keys(w))
            .map((m) => `${m.key} ${formatMetric(w, m.key)}`)
            .join(' · ')}
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
  return `the ${charted.ids.length} most active live sensor${charted.ids.length === 1 ? '' : 's'}`;
}

export const LineChartPanel = memo(function LineChartPanel({
  windows,
  charted,
  metric,
  perSecond,
  from,
  to,
  onZoom,
  alerts = [],
}: {
  /** Alert events (newest first): each alert's window is marked on its sensor's line. */
  alerts?: readonly AlertEvent[];
  windows: WindowsBySensor;
  charted: ChartedSensors;
  metric: WindowMetric;
  perSecond: boolean;
  from: number;
  to: number;
  onZoom(from: number, to: number): void;
}) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [asTable, setAsTable] = useState(false);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const allRows = useMemo(
    () => rowsOf(windows, charted.ids, metric, { from, to, perSecond }),
    [windows, charted.ids, metric, from, to, perSecond],
  );
  const rows = useMemo(
    () => downsampleRows(allRows, charted.ids.length, rowBudget(charted.ids.length)),
    [allRows, charted.ids.length],
  );
  const changes = useMemo(() => sizeChanges(windows, charted.ids, from, to), [windows, charted.ids, from, to]);
  const changeRows = useMemo(() => labelRows(changes, from, to), [changes, from, to]);
  // Where an alert fired, on the line of its sensor (at the charted value of that window).
  const crossings = useMemo(() => {
    const byTime = new Map(allRows.map((r) => [r.t, r]));
    return alerts.flatMap((e) => {
      const index = charted.ids.indexOf(e.sensorId);
      const y = index < 0 || e.kind !== 'alert' ? null : byTime.get(e.windowEnd)?.[`v${index}`];
      return y === null || y === undefined ? [] : [{ key: e.id, t: e.windowEnd, y, index }];
    });
  }, [alerts, allRows, charted.ids]);
  const unit = `${metricLabel(metric)} per ${perSecond ? 'second' : 'window'}`;
  const title = `${unit}`;
  const summary = `Line chart of ${unit.toLowerCase()} for ${describe(charted)}, ${formatDateTime(from)} to ${formatDateTime(to)}`;

  const toggle = (id: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const endDrag = () => {
    if (drag && Math.abs(drag.end - drag.start) > 0)
      onZoom(Math.min(drag.start, drag.end), Math.max(drag.start, drag.end));
    setDrag(null);
  };

  return (
    <section className="panel" data-testid="line-chart" aria-labelledby="line-chart-title">
      <header className="panel-header">
        <h2 id="line-chart-title">{title}</h2>
        <span className="muted">
          {describe(charted)}
          {rows.length < allRows.length
            ? ` · ${formatNumber(allRows.length)} points thinned to ${formatNumber(rows.length)}`
            : ''}
          {crossings.length > 0 ? ` · ${crossings.length} alert${crossings.length === 1 ? '' : 's'} marked in red` : ''}{' '}
          · drag across the chart to zoom
        </span>
        <button
          type="button"
          className="link"
          aria-pressed={asTable}
          onClick={() => setAsTable((v) => !v)}
          data-testid="chart-as-table"
        >
          {asTable ? 'Show chart' : 'Show as table'}
        </button>
      </header>
      {allRows.length === 0 ? (
        <p className="empty">No windows in this range.</p>
      ) : asTable ? (
        <div className="table-scroll chart-table">
          <table>
            <caption className={allRows.length > TABLE_ROWS ? 'muted' : 'sr-only'}>
              {summary}
              {allRows.length > TABLE_ROWS
                ? ` (the newest ${TABLE_ROWS} of ${formatNumber(allRows.length)} rows; export the range for all of them)`
                : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Window end</th>
                {charted.ids.map((id) => (
                  <th scope="col" key={id} className="num">
                    {id}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {allRows.slice(-TABLE_ROWS).map((row) => (
                <tr key={row.t} data-t={row.t}>
                  <td>{formatDateTime(row.t)}</td>
                  {charted.ids.map((id, i) => (
                    <td key={id} className="num">
                      {formatNumber(row[`v${i}`])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div role="img" aria-label={summary} className="chart-box">
          <ResponsiveContainer width="100%" height={320}>
            <LineChart
              data={rows}
              margin={{ top: 16, right: 16, bottom: 8, left: 8 }}
              onMouseDown={(e) =>
                e?.activeLabel !== undefined && setDrag({ start: Number(e.activeLabel), end: Number(e.activeLabel) })
              }
              onMouseMove={(e) =>
                drag && e?.activeLabel !== undefined && setDrag({ ...drag, end: Number(e.activeLabel) })
              }
              onMouseUp={endDrag}
              onMouseLeave={() => setDrag(null)}
            >
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from, to]}
                allowDataOverflow
                tickFormatter={(t: number) => formatTime(t)}
                stroke="var(--muted)"
                minTickGap={40}
              />
              <YAxis
                stroke="var(--muted)"
                tickFormatter={(v: number) => formatNumber(v)}
                width={72}
                label={{
                  value: unit,
                  angle: -90,
                  position: 'insideLeft',
                  fill: 'var(--muted)',
                  style: { textAnchor: 'middle' },
                }}
              />
              <Tooltip
                isAnimationActive={false}
                content={({ active, label }) => (
                  <WindowTooltip active={active} label={label} ids={charted.ids} windows={windows} hidden={hidden} />
                )}
              />
              {changes.map((c, i) => (
                <ReferenceLine
                  key={c.t}
                  x={c.t}
                  stroke="var(--warn)"
                  strokeDasharray="4 3"
                  // Labels close together go in rows below the first, inside the plot, one line apart.
                  label={{
                    value: `${formatSeconds(c.fromMs / 1000)} → ${formatSeconds(c.toMs / 1000)}`,
                    position: changeRows[i] === 0 ? 'top' : 'insideTopLeft',
                    offset: changeRows[i] === 0 ? 5 : 4 + 14 * (changeRows[i] - 1),
                    fill: 'var(--text)',
                    fontSize: 11,
                  }}
                />
              ))}
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
              {crossings.map((c) => (
                <ReferenceDot
                  key={c.key}
                  x={c.t}
                  y={c.y}
                  r={6}
                  fill="var(--bad)"
                  stroke="var(--panel)"
                  strokeWidth={2}
                  ifOverflow="discard"
                />
              ))}
              {drag && <ReferenceArea x1={drag.start} x2={drag.end} fill="var(--accent)" fillOpacity={0.15} />}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <ul className="legend" aria-label="Lines: press to hide or show">
        {charted.ids.map((id, index) => (
          <li key={id}>
            <button
              type="button"
              aria-pressed={!hidden.has(id)}
              onClick={() => toggle(id)}
              className={hidden.has(id) ? 'off' : undefined}
            >
              <span className="swatch" style={{ background: colorAt(index) }} aria-hidden="true" />
              {id}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
});
