'use client';
/** A finished re-window job's windows for one sensor beside the emitted ones: summary, chart and tables. */
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { RewindowJob, WindowResultRecord } from '@/lib/contract';
import { BASE_METRICS, type BaseMetric } from '@/lib/windowMetrics';
import { plural, stepPoints, totals } from '@/components/rewindow/rewindowForm';
import { formatMetric, formatNumber, formatTime } from '@/components/shared/format';

/** Rows per table: a compact view; the chart shows the whole range. */
const TABLE_ROWS = 500;
/** Points per chart line: beyond this a browser's chart gets slow; the note says so. */
const CHART_WINDOWS = 5_000;

export function RewindowResult({
  id,
  job,
  skipped,
  sensors,
  shown,
  onShow,
  metric,
  onMetric,
  recomputed,
  live,
  emittedError,
}: {
  id: string;
  job: RewindowJob;
  skipped: NonNullable<RewindowJob['result']>['skipped'];
  sensors: string[];
  shown: string;
  onShow(sensor: string): void;
  metric: BaseMetric;
  onMetric(metric: BaseMetric): void;
  recomputed: WindowResultRecord[];
  live: WindowResultRecord[] | null;
  emittedError: string;
}) {
  const size = job.request.windowSeconds;
  const ours = totals(recomputed, job.range);
  const theirs = live && totals(live, job.range);
  const subSecond = size < 1 || (live?.some((w) => w.windowEnd - w.windowStart < 1000) ?? false);
  return (
    <div className="rewindow-result">
      <p className="muted">
        {formatTime(job.range.from)}–{formatTime(job.range.to)}: the whole {size} s windows inside the range you chose
        (windows are aligned to the epoch; partial ones at the edges are left out). Skipped:{' '}
        {plural(skipped.invalid, 'invalid record')}, {plural(skipped.outsideRange, 'reading')} outside the range
        {job.request.sensorId ? `, ${plural(skipped.otherSensors, 'reading')} of other sensors` : ''}.
      </p>
      <div className="rewindow-pickers">
        {!job.request.sensorId && (
          <label>
            Sensor shown
            <select value={shown} onChange={(e) => onShow(e.target.value)}>
              {sensors.length === 0 && <option value="">no sensor had readings</option>}
              {sensors.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Chart
          <select value={metric} onChange={(e) => onMetric(e.target.value as BaseMetric)}>
            {BASE_METRICS.map((m) => (
              <option key={m.key} value={m.key}>
                {m.key}
              </option>
            ))}
          </select>
        </label>
      </div>
      {recomputed.length === 0 ? (
        <p className="empty">No readings of {shown || 'any sensor'} in that range.</p>
      ) : (
        <>
          <p className="rewindow-summary">
            Recomputed: {plural(ours.readings, 'reading')} in {plural(ours.windows, 'window')} of {size} s.{' '}
            {theirs
              ? `Emitted: ${plural(theirs.readings, 'reading')} in ${plural(theirs.windows, 'window')}.`
              : emittedError
                ? ''
                : 'Reading the emitted windows…'}
            {theirs &&
              theirs.readings !== ours.readings &&
              ' The live windows leave out readings the worker found late; the recomputation counts every valid reading.'}
          </p>
          <p className="form-error" role="alert">
            {emittedError}
          </p>
          <ComparisonChart id={id} range={job.range} metric={metric} recomputed={recomputed} live={live} size={size} />
          <div className="rewindow-tables">
            <WindowTable caption={`Recomputed, ${size} s windows`} windows={recomputed} subSecond={subSecond} />
            {live && <WindowTable caption="Emitted by the worker" windows={live} subSecond={subSecond} />}
          </div>
        </>
      )}
    </div>
  );
}

function ComparisonChart({
  id,
  range,
  metric,
  recomputed,
  live,
  size,
}: {
  id: string;
  range: { from: number; to: number };
  metric: BaseMetric;
  recomputed: WindowResultRecord[];
  live: WindowResultRecord[] | null;
  size: number;
}) {
  const ours = useMemo(() => stepPoints(recomputed.slice(0, CHART_WINDOWS), metric), [recomputed, metric]);
  const theirs = useMemo(() => (live ? stepPoints(live.slice(0, CHART_WINDOWS), metric) : []), [live, metric]);
  const cut = recomputed.length > CHART_WINDOWS || (live?.length ?? 0) > CHART_WINDOWS;
  return (
    <figure className="rewindow-chart" aria-labelledby={`${id}-chart`}>
      <figcaption id={`${id}-chart`} className="muted">
        {metric} per window: recomputed at {size} s beside the emitted windows
        {cut ? ` (the first ${CHART_WINDOWS} windows of each)` : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[range.from, range.to]}
            tickFormatter={(t: number) => formatTime(t)}
            stroke="var(--muted)"
            minTickGap={40}
          />
          <YAxis stroke="var(--muted)" tickFormatter={(v: number) => formatNumber(v)} width={64} />
          <Legend />
          <Line
            data={theirs}
            dataKey="v"
            name="emitted"
            type="stepAfter"
            stroke="var(--warn)"
            dot={false}
            strokeWidth={1.5}
            connectNulls={false}
            isAnimationActive={false}
          />
          <Line
            data={ours}
            dataKey="v"
            name={`recomputed (${size} s)`}
            type="stepAfter"
            stroke="var(--accent)"
            dot={false}
            strokeWidth={1.8}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function windowLabel(w: WindowResultRecord, subSecond: boolean): string {
  const at = (t: number) => (subSecond ? `${formatTime(t)}.${String(t % 1000).padStart(3, '0')}` : formatTime(t));
  return `${at(w.windowStart)}–${at(w.windowEnd)}`;
}

function WindowTable({
  caption,
  windows,
  subSecond,
}: {
  caption: string;
  windows: WindowResultRecord[];
  subSecond: boolean;
}) {
  const rows = windows.slice(0, TABLE_ROWS);
  return (
    // Scrolls on its own; focusable so the keyboard can scroll it.
    <div className="rewindow-table table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>
          {caption}
          {windows.length > TABLE_ROWS ? ` (the first ${TABLE_ROWS} of ${windows.length})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Window</th>
            {BASE_METRICS.map((m) => (
              <th key={m.key} scope="col" className="num">
                {m.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.windowStart}>
              <td>{windowLabel(w, subSecond)}</td>
              {BASE_METRICS.map((m) => (
                <td key={m.key} className="num">
                  {formatMetric(w, m.key)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
