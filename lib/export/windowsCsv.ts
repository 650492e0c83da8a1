/**
 * Windows as CSV, one row per window, with the same fields and values as `GET /api/windows`
 * returns (numbers as JSON writes them, so a CSV and a JSON export of one range agree).
 */
import type { WindowResultRecord } from '../contract';
import { WINDOW_METRIC_KEYS } from '../windowMetrics';

/** The order is part of the API's contract (README): the record's fields, as `GET /api/windows` sends them. */
const COLUMNS = ['sensorId', 'windowStart', 'windowEnd', ...WINDOW_METRIC_KEYS] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
function field(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'number' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function windowsToCsv(windows: readonly WindowResultRecord[]): string {
  const lines = [COLUMNS.join(',')];
  for (const w of windows) lines.push(COLUMNS.map((c) => field(w[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
