'use client';
/**
 * "What if" panel: recompute a past range's windows at another size from the input topic
 * (POST /api/rewindow) and show them beside the windows the worker emitted (GET /api/windows).
 * Self-contained: it needs only the sensor ids to offer; live state is never touched.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { RewindowJob, WindowResultRecord } from '@/lib/contract';
import type { BaseMetric } from '@/lib/windowMetrics';
import { fetchEmitted, rewindowApi } from '@/components/rewindow/rewindowApi';
import {
  defaultForm,
  errorSentence,
  progressLabel,
  requestOf,
  windowsOf,
  type RewindowForm,
} from '@/components/rewindow/rewindowForm';
import { RewindowResult } from '@/components/rewindow/RewindowResult';
import { sensorCollator } from '@/components/shared/format';
import type { RequestFailure } from '@/components/shared/request';
import { usePolling } from '@/components/shared/usePolling';
import { useSubmit } from '@/components/shared/useSubmit';

const POLL_MS = 500;

/** The server's `field: rule` errors, named as the panel's controls are. */
const explainFailure = (failure: RequestFailure) => errorSentence(failure.message);

export function RewindowPanel({ sensors }: { sensors: string[] }) {
  const id = useId();
  // Filled after mount: the default range depends on the clock, which server rendering must not read.
  const [form, setForm] = useState<RewindowForm>({ from: '', to: '', windowSeconds: '10', sensorId: '' });
  const [job, setJob] = useState<RewindowJob | null>(null);
  const { busy: starting, error, setError, submit } = useSubmit(explainFailure);
  const [picked, setPicked] = useState('');
  const [metric, setMetric] = useState<BaseMetric>('mean');
  const [emitted, setEmitted] = useState<{ key: string; windows: WindowResultRecord[] } | null>(null);
  const [emittedFailure, setEmittedFailure] = useState<{ key: string; sentence: string } | null>(null);

  // eslint-disable-next-line react-hooks/set-state-in-effect -- clock read once mounted
  useEffect(() => setForm((f) => (f.from === '' ? defaultForm(Date.now(), f.windowSeconds) : f)), []);

  // A job left running when the panel goes away would hold one of the server's two slots.
  const jobRef = useRef<RewindowJob | null>(null);
  useEffect(() => {
    jobRef.current = job;
  }, [job]);
  useEffect(
    () => () => {
      const current = jobRef.current;
      if (current?.status === 'running') void rewindowApi.cancel(current.id);
    },
    [],
  );

  const running = job?.status === 'running';

  // Poll the running job until it finishes; an answer replaces the job only while it still runs here.
  usePolling(
    async (signal) => {
      const jobId = job?.id;
      if (!jobId) return;
      const next = await rewindowApi.get(jobId, signal);
      if (signal.aborted) return;
      if (!next.ok) {
        setError(explainFailure(next));
        setJob((j) => (j && j.id === jobId ? { ...j, status: 'failed' } : j));
        return;
      }
      setJob((j) => (j && j.id === jobId && j.status === 'running' ? next.data : j));
      if (next.data.status === 'failed') setError(errorSentence(next.data.error ?? 'the job failed'));
    },
    POLL_MS,
    running,
  );

  const result = job?.status === 'done' ? job.result : undefined;
  const resultSensors = useMemo(
    () => [...new Set(result?.windows.map((w) => w.sensorId))].sort(sensorCollator.compare),
    [result],
  );
  const offered = useMemo(() => [...new Set(sensors)].sort(sensorCollator.compare), [sensors]);

  // The sensor shown: the one the job was for, else the one picked, else the first with windows.
  const shown =
    job && result
      ? (job.request.sensorId ?? (resultSensors.includes(picked) ? picked : (resultSensors[0] ?? offered[0] ?? '')))
      : picked;

  // The emitted windows of the same range, for the sensor shown.
  const emittedKey = job && result && shown ? `${job.id}\u0000${shown}` : '';
  const rangeFrom = job?.range.from;
  const rangeTo = job?.range.to;
  useEffect(() => {
    if (!emittedKey || rangeFrom === undefined || rangeTo === undefined) return;
    const abort = new AbortController();
    void fetchEmitted(rangeFrom, rangeTo, shown, abort.signal).then((answer) => {
      if (abort.signal.aborted) return;
      if (answer.ok) setEmitted({ key: emittedKey, windows: answer.data });
      else
        setEmittedFailure({
          key: emittedKey,
          sentence: `The emitted windows could not be read: ${explainFailure(answer)}`,
        });
    });
    return () => abort.abort();
  }, [emittedKey, rangeFrom, rangeTo, shown]);
  const emittedError = emittedFailure?.key === emittedKey ? emittedFailure.sentence : '';

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const made = requestOf(form);
    if (!made.ok) return setError(made.error);
    const answer = await submit(() => rewindowApi.start(made.request));
    if (!answer.ok) return;
    setEmitted(null);
    setJob(answer.data);
  };

  const cancel = async () => {
    if (!job) return;
    const answer = await rewindowApi.cancel(job.id);
    if (answer.ok) setJob(answer.data);
    else setError(explainFailure(answer));
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
        <span className="muted">
          recomputes a range from the input topic at another window size; live windows are not changed
        </span>
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
          onShow={setPicked}
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
