'use client';
/** Bar chart of each charted sensor's latest closed window. */
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { colorAt, type ChartedSensors } from '@/components/dashboard/chartSensors';
import { formatNumber, formatTime } from '@/components/shared/format';
import { metricLabel, type WindowMetric } from '@/lib/windowMetrics';
import { latestOf, type WindowsBySensor } from '@/components/dashboard/windowsBySensor';

interface BarRow {
  sensorId: string;
  value: number;
  count: number;
  windowEnd: number;
  color: string;
}

export const LatestBarChart = memo(function LatestBarChart({
  windows,
  charted,
  metric,
}: {
  windows: WindowsBySensor;
  charted: ChartedSensors;
  metric: WindowMetric;
}) {
  const rows = useMemo(() => {
    const out: BarRow[] = [];
    charted.ids.forEach((id, index) => {
      const w = latestOf(windows.get(id));
      const value = w?.[metric];
      // A window without the chosen aggregate (chosen after it closed) has no bar.
      if (w && value !== undefined)
        out.push({ sensorId: id, value, count: w.count, windowEnd: w.windowEnd, color: colorAt(index) });
    });
    return out;
  }, [windows, charted.ids, metric]);
  const label = metricLabel(metric).toLowerCase();

  return (
    <section className="panel" data-testid="bar-chart">
      <header className="panel-header">
        <h2>Latest closed window</h2>
        <span className="muted">{label} of each charted sensor&apos;s newest window</span>
      </header>
      {rows.length === 0 ? (
        <p className="empty">No windows yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={320}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="sensorId" stroke="var(--muted)" interval="preserveStartEnd" />
            <YAxis stroke="var(--muted)" tickFormatter={(v: number) => formatNumber(v)} width={64} />
            <Tooltip
              isAnimationActive={false}
              cursor={{ fill: 'var(--hover)' }}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
              formatter={(v, _name, item) => {
                const row = item.payload as BarRow;
                return [`${formatNumber(Number(v))} (${row.count} readings, ends ${formatTime(row.windowEnd)})`, label];
              }}
            />
            <Bar dataKey="value" isAnimationActive={false}>
              {rows.map((r) => (
                <Cell key={r.sensorId} fill={r.color} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </section>
  );
});
