/**
 * Windows as CSV, one row per window, with the same fields and values as `GET /api/windows`
 * returns (numbers as JSON writes them, so a CSV and a JSON export of one range agree), except
 * that a text cell a spreadsheet would read as a formula is neutralised (see `textField`).
 */
import type { WindowResultRecord } from '../contract';
import { EXTRA_AGGREGATES } from '../aggregates/choice';
import { BASE_METRIC_KEYS } from '../windowMetrics';

/**
 * The order is part of the API's contract (README): the record's fields, as `GET /api/windows` sends
 * them, then a column for each extra aggregate any of the windows carries.
 */
const COLUMNS = ['sensorId', 'windowStart', 'windowEnd', ...BASE_METRIC_KEYS] as const;

/** What makes a spreadsheet read a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. Text that
 * starts like a formula (a sensor id such as `=HYPERLINK(...)`, from whoever writes to the input
 * topic) gets a leading `'` and quotes, as OWASP advises, so a spreadsheet shows it as text.
 */
function textField(text: string): string {
  if (FORMULA_START.test(text)) return quoted(`'${text}`);
  return /[",\r\n]/.test(text) ? quoted(text) : text;
}

/** Numbers stay numbers: JSON writes them with a digit or a `-` and digits (-3.5, 1e+21), never a formula. */
function field(value: unknown): string {
  if (typeof value === 'number') return JSON.stringify(value);
  return value === null || value === undefined ? '' : textField(String(value));
}

export function windowsToCsv(windows: readonly WindowResultRecord[]): string {
  const extras = EXTRA_AGGREGATES.filter((a) => windows.some((w) => w[a] !== undefined));
  const columns = [...COLUMNS, ...extras];
  const lines = [columns.join(',')];
  for (const w of windows) lines.push(columns.map((c) => field(w[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
