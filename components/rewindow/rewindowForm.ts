/**
 * Pure helpers of the "what if" panel (RewindowPanel.tsx): its form values, the request they make,
 * the server's errors as sentences, and the emitted and recomputed windows set side by side.
 */
import type { RewindowJob, RewindowRequest, WindowResultRecord } from '@/lib/contract';
import type { BaseMetric } from '@/lib/windowMetrics';

/** The panel opens on the last 15 minutes. */
export const DEFAULT_RANGE_MS = 15 * 60_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch ms as a `datetime-local` value (local time, to the second). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `datetime-local` value (local time) as epoch ms; null when blank or not a date-time. */
export function fromLocalInput(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text.trim())) return null;
  const ms = new Date(text.trim()).getTime();
  return Number.isFinite(ms) ? ms : null;
}

export interface RewindowForm {
  from: string;
  to: string;
  windowSeconds: string;
  /** '' for every sensor. */
  sensorId: string;
}

export function defaultForm(nowMs: number, windowSeconds = '10'): RewindowForm {
  const to = Math.floor(nowMs / 1000) * 1000;
  return { from: toLocalInput(to - DEFAULT_RANGE_MS), to: toLocalInput(to), windowSeconds, sensorId: '' };
}

/**
 * The POST /api/rewindow body, or a sentence saying what to fix. Only what the browser cannot send
 * at all is caught here; every rule (24 h, sizes, whole windows) is the server's, in its words.
 */
export function requestOf(form: RewindowForm): { ok: true; request: RewindowRequest } | { ok: false; error: string } {
  const from = fromLocalInput(form.from);
  const to = fromLocalInput(form.to);
  if (from === null) return { ok: false, error: 'Choose the start of the range (date and time).' };
  if (to === null) return { ok: false, error: 'Choose the end of the range (date and time).' };
  const text = form.windowSeconds.trim();
  const windowSeconds = Number(text);
  if (text === '' || !Number.isFinite(windowSeconds))
    return { ok: false, error: 'Enter a window size in seconds, such as 10 or 2.5.' };
  return { ok: true, request: { from, to, windowSeconds, ...(form.sensorId ? { sensorId: form.sensorId } : {}) } };
}

const FIELD_NAMES: [RegExp, string][] = [
  [/^from, to: /, 'The range: '],
  [/^from: /, 'The start: '],
  [/^to: /, 'The end: '],
  [/^windowSeconds: /, 'The window size: '],
  [/^sensorId: /, 'The sensor: '],
  [/^rewindow: /, ''],
  [/^kafka: /, 'Kafka: '],
  [/^id: /, 'The job: '],
];

/** The server's `field: rule` errors as a sentence naming the control, e.g. "The window size: must be at least 0.1." */
export function errorSentence(message: string): string {
  let text = message.trim();
  for (const [pattern, name] of FIELD_NAMES) {
    if (pattern.test(text)) {
      text = text.replace(pattern, name);
      break;
    }
  }
  if (text === '') return 'Something went wrong.';
  text = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const count = new Intl.NumberFormat(undefined);

/** The progress bar's label: records read of the estimate, and the share. */
export function progressLabel(job: Pick<RewindowJob, 'status' | 'progress'>): string {
  const { readRecords, totalRecords, fraction } = job.progress;
  const share = `${Math.floor(fraction * 100)} %`;
  const what = `${count.format(readRecords)} of about ${count.format(totalRecords)} input records`;
  switch (job.status) {
    case 'running':
      return `Reading ${what} (${share})`;
    case 'done':
      return `Done: read ${count.format(readRecords)} input records`;
    case 'cancelled':
      return `Cancelled after ${what}`;
    case 'failed':
      return `Failed after ${what}`;
  }
}

/** One sensor's windows from a list of many, ordered by start. */
export function windowsOf(windows: readonly WindowResultRecord[], sensorId: string): WindowResultRecord[] {
  return windows.filter((w) => w.sensorId === sensorId).sort((a, b) => a.windowStart - b.windowStart);
}

/** Readings and windows of a list of one sensor's windows inside [from, to): the panel's summary line. */
export function totals(
  windows: readonly WindowResultRecord[],
  range: { from: number; to: number },
): { windows: number; readings: number } {
  let n = 0;
  let readings = 0;
  for (const w of windows) {
    if (w.windowStart < range.from || w.windowEnd > range.to) continue;
    n++;
    readings += w.count;
  }
  return { windows: n, readings };
}

/**
 * A step line of one series: a point at each window's start holding its value, a gap (null) where
 * windows are missing, and a last point at the last window's end so that it is drawn whole.
 */
export function stepPoints(
  windows: readonly WindowResultRecord[],
  metric: BaseMetric,
): { t: number; v: number | null }[] {
  const points: { t: number; v: number | null }[] = [];
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i];
    const previous = windows[i - 1];
    if (previous && previous.windowEnd < w.windowStart) points.push({ t: previous.windowEnd, v: null });
    points.push({ t: w.windowStart, v: w[metric] });
  }
  const last = windows.at(-1);
  if (last) points.push({ t: last.windowEnd, v: last[metric] });
  return points;
}

/** "1 window", "3 windows". */
export function plural(n: number, word: string): string {
  return `${count.format(n)} ${word}${n === 1 ? '' : 's'}`;
}
