/** Small display helpers shared by the panels. */
import type { CalendarWindow } from '@/lib/calendarUnits';
import type { WindowResultRecord } from '@/lib/contract';
import type { WindowMetric } from '@/lib/windowMetrics';

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
const DATE_TIME: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', ...TIME };
const timeFormat = new Intl.DateTimeFormat(undefined, TIME);

export function formatTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '—' : timeFormat.format(ms);
}

export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

/** A window size as people say it: "5 s", or "1 day (Europe/Helsinki)" for a calendar size. */
export function formatWindowSize(size: { windowSeconds: number; calendar: CalendarWindow | null }): string {
  return size.calendar ? `1 ${size.calendar.unit} (${size.calendar.timeZone})` : formatSeconds(size.windowSeconds);
}

export function formatDelay(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (Math.abs(ms) < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : numberFormat.format(n);
}

/** Sensor ids sort like humans expect: "2" before "10". */
export const sensorCollator = new Intl.Collator(undefined, { numeric: true });

const dateTimeFormat = new Intl.DateTimeFormat(undefined, DATE_TIME);

/** Date and time, local: for ranges that may span days. */
export function formatDateTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '—' : dateTimeFormat.format(ms);
}

/** A window's aggregate as tables and tooltips show it: the count whole, the others rounded. */
export function formatMetric(w: Pick<WindowResultRecord, WindowMetric>, metric: WindowMetric): string {
  const value = w[metric];
  if (value === undefined) return '—';
  return metric === 'count' ? String(w.count) : formatNumber(value);
}

const dateTimeWithYearFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', ...DATE_TIME });

/** Epoch ms as the viewer's local date and time (the date only when it is not today). */
export function localTime(ms: number | null, nowMs = Date.now()): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const sameDay = new Date(ms).toDateString() === new Date(nowMs).toDateString();
  return sameDay ? timeFormat.format(ms) : dateTimeWithYearFormat.format(ms);
}

export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}
