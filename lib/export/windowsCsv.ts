/**
 * Windows as CSV, one row per window, with the same fields and values as `GET /api/windows`
 * returns (numbers as JSON writes them, so a CSV and a JSON export of one range agree).
 */
import type { WindowResultRecord } from '../contract';

const COLUMNS = ['sensorId', 'windowStart', 'windowEnd', 'count', 'sum', 'min', 'max', 'mean'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
function field(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'number' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function windowsToCsv(windows: readonly WindowResultRecord[]): string {
  const lines = [COLUMNS.join(',')];
  for (const w of windows) lines.push(COLUMNS.map((c) => field(w[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export const CSV_COLUMNS = COLUMNS;
