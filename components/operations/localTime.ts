/** Epoch ms as the viewer's local date and time (the date only when it is not today). */
const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const withDate = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function localTime(ms: number | null, nowMs = Date.now()): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const sameDay = new Date(ms).toDateString() === new Date(nowMs).toDateString();
  return (sameDay ? timeOnly : withDate).format(ms);
}

export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}
