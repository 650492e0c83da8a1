'use client';
/**
 * "What if" panel: recompute a past range's windows at another size from the input topic
 * (POST /api/rewindow) and show them beside the windows the worker emitted (GET /api/windows).
 * Self-contained: it needs only the sensor ids to offer; live state is never touched.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { RewindowJob, WindowResultRecord } from '@/lib/contract';
import { formatNumber, formatTime, sensorCollator } from '@/components/shared/format';
import { fetchEmitted, rewindowApi } from '@/components/rewindow/rewindowApi';
import {
  CHART_METRICS,
  defaultForm,
  errorSentence,
  plural,
  progressLabel,
  requestOf,
  stepPoints,
  totals,
  windowsOf,
  type ChartMetric,
  type RewindowForm,
} from '@/components/rewindow/rewindowForm';

const POLL_MS = 500;
/** Rows per table: a compact view; the chart shows the whole range. */
const TABLE_ROWS = 500;
/** Points per chart line: beyond this a browser's chart gets slow; the note says so. */
const CHART_WINDOWS = 5_000;

export function RewindowPanel({ sensors }: { sensors: string[] }) {
  const id = useId();
  // Filled after mount: the default range depends on the clock, which server rendering must not read.
  const [form, setForm] = useState<RewindowForm>({ from: '', to: '', windowSeconds: '10', sensorId: '' });
  const [job, setJob] = useState<RewindowJob | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState('');
  const [shown, setShown] = useState('');
  const [metric, setMetric] = useState<ChartMetric>('mean');
  const [emitted, setEmitted] = useState<{ key: string; windows: WindowResultRecord[] } | null>(null);
  const [emittedError, setEmittedError] = useState('');
  const jobRef = useRef<RewindowJob | null>(null);
  jobRef.current = job;

  useEffect(() => setForm((f) => (f.from === '' ? defaultForm(Date.now(), f.windowSeconds) : f)), []);

  // A job left running when the panel goes away would hold one of the server's two slots.
  useEffect(
    () => () => {
      const current = jobRef.current;
      if (current?.status === 'running') void rewindowApi.cancel(current.id);
    },
    [],
  );

  const running = job?.status === 'running';
  const jobId = job?.id;

  // Poll the running job until it finishes: each answer is a new `job`, which schedules the next poll.
  useEffect(() => {
    if (!running || !jobId) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      const next = await rewindowApi.get(jobId, abort.signal).catch(() => null);
      if (abort.signal.aborted || next === null) return;
      if (!next.ok) {
        setError(errorSentence(next.error));
        setJob((j) => (j && j.id === jobId ? { ...j, status: 'failed' } : j));
        return;
      }
      setJob(next.value);
      if (next.value.status === 'failed') setError(errorSentence(next.value.error ?? 'the job failed'));
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [running, jobId, job]);

  const result = job?.status === 'done' ? job.result : undefined;
  const resultSensors = useMemo(() => [...new Set(result?.windows.map((w) => w.sensorId))].sort(sensorCollator.compare), [result]);
  const offered = useMemo(() => [...new Set(sensors)].sort(sensorCollator.compare), [sensors]);

  // The sensor shown: the one the job was for, else the one picked, else the first with windows.
  useEffect(() => {
    if (!job || job.status !== 'done') return;
    const wanted = job.request.sensorId;
    setShown((current) => wanted ?? (resultSensors.includes(current) ? current : (resultSensors[0] ?? offered[0] ?? '')));
  }, [job, resultSensors, offered]);

  // The emitted windows of the same range, for the sensor shown.
  const emittedKey = job && result && shown ? `${job.id}\u0000${shown}` : '';
  useEffect(() => {
    if (!emittedKey || !job) return;
    const abort = new AbortController();
    setEmittedError('');
    fetchEmitted(job.range.from, job.range.to, shown, abort.signal)
      .then((answer) => {
        if (abort.signal.aborted) return;
        if (answer.ok) setEmitted({ key: emittedKey, windows: answer.value });
        else setEmittedError(`The emitted windows could not be read: ${errorSentence(answer.error)}`);
      })
      .catch(() => {});
    return () => abort.abort();
    // The key names the job and the sensor; the range comes with the job.
  }, [emittedKey]);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const made = requestOf(form);
    if (!made.ok) return setError(made.error);
    setStarting(true);
    const answer = await rewindowApi.start(made.request);
    setStarting(false);
    if (!answer.ok) return setError(errorSentence(answer.error));
    setEmitted(null);
    setJob(answer.value);
  };

  const cancel = async () => {
    if (!job) return;
    const answer = await rewindowApi.cancel(job.id);
    if (answer.ok) setJob(answer.value);
    else setError(errorSentence(answer.error));
  };

  const field = (name: keyof RewindowForm) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => {
      setForm((f) => ({ ...f, [name]: e.target.value }));
      setError('');
    },
  });

  const recomputed = useMemo(() => (result && shown ? windowsOf(result.windows, shown) : []), [result, shown]);
  const live = emitted && emitted.key === emittedKey ? windowsOf(emitted.windows, shown) : null;

  return (
    <section className="panel rewindow" aria-labelledby={`${id}-title`} data-testid="rewindow-panel">
      <header className="panel-header">
        <h2 id={`${id}-title`}>What if: re-window the past</h2>
        <span className="muted">recomputes a range from the input topic at another window size; live windows are not changed</span>
      </header>

      <form className="rewindow-form" onSubmit={start} noValidate>
        <label>
          From
          <input type="datetime-local" step="1" required {...field('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" step="1" required {...field('to')} />
        </label>
        <label>
          Window size (s)
          <input type="number" inputMode="decimal" min={0.1} step="any" required {...field('windowSeconds')} />
        </label>
        <label>
          Sensor
          <select {...field('sensorId')}>
            <option value="">All sensors</option>
            {offered.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={starting || running}>
          {starting ? 'Starting…' : 'Recompute'}
        </button>
      </form>
      <p className="form-error" role="alert">
        {error}
      </p>

      {job && (
        <div className="rewindow-progress">
          <label htmlFor={`${id}-progress`}>{progressLabel(job)}</label>
          <progress id={`${id}-progress`} max={1} value={job.progress.fraction} />
          {running && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
      )}

      {job && result && (
        <RewindowResult
          id={id}
          job={job}
          skipped={result.skipped}
          sensors={resultSensors}
          shown={shown}
          onShow={setShown}
          metric={metric}
          onMetric={setMetric}
          recomputed={recomputed}
          live={live}
          emittedError={emittedError}
        />
      )}
    </section>
  );
}

/** A finished job's windows for one sensor beside the emitted ones: summary, chart and tables. */
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
  metric: ChartMetric;
  onMetric(metric: ChartMetric): void;
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
        {formatTime(job.range.from)}–{formatTime(job.range.to)}: the whole {size} s windows inside the range you chose (windows are aligned to the
        epoch; partial ones at the edges are left out). Skipped: {plural(skipped.invalid, 'invalid record')},{' '}
        {plural(skipped.outsideRange, 'reading')} outside the range{job.request.sensorId ? `, ${plural(skipped.otherSensors, 'reading')} of other sensors` : ''}.
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
          <select value={metric} onChange={(e) => onMetric(e.target.value as ChartMetric)}>
            {CHART_METRICS.map((m) => (
              <option key={m} value={m}>
                {m}
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
            {theirs ? `Emitted: ${plural(theirs.readings, 'reading')} in ${plural(theirs.windows, 'window')}.` : emittedError ? '' : 'Reading the emitted windows…'}
            {theirs && theirs.readings !== ours.readings && ' The live windows leave out readings the worker found late; the recomputation counts every valid reading.'}
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
  metric: ChartMetric;
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
        {metric} per window: recomputed at {size} s beside the emitted windows{cut ? ` (the first ${CHART_WINDOWS} windows of each)` : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" scale="time" domain={[range.from, range.to]} tickFormatter={(t: number) => formatTime(t)} stroke="var(--muted)" minTickGap={40} />
          <YAxis stroke="var(--muted)" tickFormatter={(v: number) => formatNumber(v)} width={64} />
          <Legend />
          <Line data={theirs} dataKey="v" name="emitted" type="stepAfter" stroke="var(--warn)" dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
          <Line data={ours} dataKey="v" name={`recomputed (${size} s)`} type="stepAfter" stroke="var(--accent)" dot={false} strokeWidth={1.8} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function windowLabel(w: WindowResultRecord, subSecond: boolean): string {
  const at = (t: number) => (subSecond ? `${formatTime(t)}.${String(t % 1000).padStart(3, '0')}` : formatTime(t));
  return `${at(w.windowStart)}–${at(w.windowEnd)}`;
}

function WindowTable({ caption, windows, subSecond }: { caption: string; windows: WindowResultRecord[]; subSecond: boolean }) {
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
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col" className="num">
              Sum
            </th>
            <th scope="col" className="num">
              Mean
            </th>
            <th scope="col" className="num">
              Min
            </th>
            <th scope="col" className="num">
              Max
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.windowStart}>
              <td>{windowLabel(w, subSecond)}</td>
              <td className="num">{w.count}</td>
              <td className="num">{formatNumber(w.sum)}</td>
              <td className="num">{formatNumber(w.mean)}</td>
              <td className="num">{formatNumber(w.min)}</td>
              <td className="num">{formatNumber(w.max)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
