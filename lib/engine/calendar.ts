/**
 * Calendar-aligned windows: the local hour, day or ISO week (Monday to Monday) of an IANA time
 * zone, with the zone's own daylight-saving rules (Luxon over Intl). A local day is 23 or 25 hours
 * long when the clocks change that day; an hour repeated when the clocks go back is two windows,
 * each a real hour, told apart by their UTC offset. Bounds are epoch ms, end exclusive, and every
 * instant of one calendar period gets the same bounds, so the periods tile time without overlap.
 */
import { DateTime } from 'luxon';
import type { CalendarUnit, CalendarWindow } from '../calendarUnits';

/** The nominal length, for what only needs an order of magnitude (the web tier's history span). */
export const NOMINAL_MS: Readonly<Record<CalendarUnit, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** The longest a period can be: a day or week gains up to 2 h when clocks go back (Lord Howe: 30 min). */
export const LONGEST_MS: Readonly<Record<CalendarUnit, number>> = {
  hour: NOMINAL_MS.hour,
  day: NOMINAL_MS.day + 2 * 3_600_000,
  week: NOMINAL_MS.week + 2 * 3_600_000,
};

function startOf(timeMs: number, c: CalendarWindow): DateTime {
  return DateTime.fromMillis(timeMs, { zone: c.timeZone }).startOf(c.unit, { useLocaleWeeks: false });
}

function computeBounds(timeMs: number, c: CalendarWindow): Period {
  const start = startOf(timeMs, c);
  if (c.unit === 'hour') return { start: start.toMillis(), end: start.toMillis() + NOMINAL_MS.hour };
  // The next period's start, found the way any of its own instants finds it (from 3 h into it, past
  // any clock change), so consecutive periods meet exactly.
  const later = start.plus({ [c.unit]: 1 }).plus({ hours: 3 });
  return { start: start.toMillis(), end: startOf(later.toMillis(), c).toMillis() };
}

interface Period {
  start: number;
  end: number;
}

/**
 * Luxon takes about 100 µs to find a period, and nearly every reading falls in one of the few
 * periods seen last, so the last few per calendar are kept (a memo of a pure function).
 */
const RECENT_PERIODS = 8;
const recent = new Map<string, Period[]>();

/** The calendar period holding `timeMs`: [start, end). */
export function calendarBounds(timeMs: number, c: CalendarWindow): Period {
  const key = `${c.unit}/${c.timeZone}`;
  let periods = recent.get(key);
  if (periods === undefined) recent.set(key, (periods = []));
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i];
    if (timeMs >= p.start && timeMs < p.end) return p;
  }
  const found = computeBounds(timeMs, c);
  periods.unshift(found);
  if (periods.length > RECENT_PERIODS) periods.pop();
  return found;
}
