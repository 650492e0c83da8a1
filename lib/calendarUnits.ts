/**
 * Calendar-aligned window sizes: the local hour, day or ISO week (Monday to Monday) of a time zone.
 * Kept apart from the zod contract so the browser can offer them without loading the schemas
 * (zod probes for `Function` when it builds one, which the page's CSP refuses).
 */
export const CALENDAR_UNITS = ['hour', 'day', 'week'] as const;
export type CalendarUnit = (typeof CALENDAR_UNITS)[number];

export interface CalendarWindow {
  unit: CalendarUnit;
  /** An IANA time zone name ('Europe/Helsinki', 'UTC'). */
  timeZone: string;
}

/** An IANA time zone name this runtime knows, by what Intl accepts. */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
