/**
 * Calendar windows against the time zone facts they must follow (IANA rules: Finland leaves
 * summer time at 04:00 local on 2026-10-25 and starts it at 03:00 on 2026-03-29; India is at
 * +05:30 all year), and as a schedule's size: where a change to and from a calendar size starts.
 */
import { describe, expect, it } from 'vitest';
import { calendarBounds } from '../../../../lib/engine/calendar';
import { scheduleChange, singleSizeSchedule, windowFor } from '../../../../lib/engine/schedule';
import type { CalendarWindow } from '../../../../lib/calendarUnits';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const helsinki = (unit: CalendarWindow['unit']): CalendarWindow => ({ unit, timeZone: 'Europe/Helsinki' });

describe('calendar windows', () => {
  it('makes the Helsinki day of the October 2026 change 25 hours long, local midnight to local midnight', () => {
    const day = calendarBounds(at('2026-10-25T12:00:00Z'), helsinki('day'));
    expect(day).toEqual({ start: at('2026-10-25T00:00:00+03:00'), end: at('2026-10-26T00:00:00+02:00') });
    expect(day.end - day.start).toBe(25 * H);
  });

  it('puts both 03:30s of that night (summer time, then winter time) in that same day', () => {
    const first = at('2026-10-25T03:30:00+03:00');
    const second = at('2026-10-25T03:30:00+02:00');
    expect(second - first).toBe(H);
    const day = calendarBounds(at('2026-10-25T12:00:00Z'), helsinki('day'));
    expect(calendarBounds(first, helsinki('day'))).toEqual(day);
    expect(calendarBounds(second, helsinki('day'))).toEqual(day);
    // As hours they are two windows, each a real hour.
    const h1 = calendarBounds(first, helsinki('hour'));
    const h2 = calendarBounds(second, helsinki('hour'));
    expect([h1.end - h1.start, h2.end - h2.start, h2.start - h1.start]).toEqual([H, H, H]);
  });

  it('makes the March 2026 change day 23 hours long', () => {
    const day = calendarBounds(at('2026-03-29T12:00:00Z'), helsinki('day'));
    expect(day).toEqual({ start: at('2026-03-29T00:00:00+02:00'), end: at('2026-03-30T00:00:00+03:00') });
    expect(day.end - day.start).toBe(23 * H);
  });

  it('starts a week on Monday at local midnight, and the week of the change is 169 hours', () => {
    const week = calendarBounds(at('2026-10-22T10:00:00Z'), helsinki('week'));
    expect(week).toEqual({ start: at('2026-10-19T00:00:00+03:00'), end: at('2026-10-26T00:00:00+02:00') });
    expect(week.end - week.start).toBe(169 * H);
  });

  it('aligns hours to the local clock of a half-hour zone', () => {
    const hour = calendarBounds(at('2026-10-25T01:40:00Z'), { unit: 'hour', timeZone: 'Asia/Kolkata' });
    expect(hour).toEqual({ start: at('2026-10-25T07:00:00+05:30'), end: at('2026-10-25T08:00:00+05:30') });
  });

  it.each(['Europe/Helsinki', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'])(
    'tiles a year of %s without gaps or overlaps, for every unit',
    (timeZone) => {
      for (const unit of ['hour', 'day', 'week'] as const) {
        let t = at('2026-01-01T00:00:00Z');
        const end = at('2027-01-01T00:00:00Z');
        const step = unit === 'hour' ? 7 * H + 13 * 60_000 : 29 * H;
        for (; t < end; t += step) {
          const p = calendarBounds(t, { unit, timeZone });
          expect(p.start <= t && t < p.end).toBe(true);
          expect(calendarBounds(p.end, { unit, timeZone }).start).toBe(p.end);
          expect(calendarBounds(p.start, { unit, timeZone })).toEqual(p);
        }
      }
    },
  );
});

describe('a calendar size in the schedule', () => {
  it('starts at a boundary of the size before it, with a transition window up to the next local midnight', () => {
    const change = at('2026-10-24T15:00:02.500Z');
    const s = scheduleChange(singleSizeSchedule(5_000), { calendar: helsinki('day') }, change);
    expect(s[1]).toMatchObject({ fromMs: at('2026-10-24T15:00:05Z'), calendar: helsinki('day') });
    expect(windowFor(s, at('2026-10-24T15:00:04Z'))).toEqual({
      start: at('2026-10-24T15:00:00Z'),
      end: at('2026-10-24T15:00:05Z'),
    });
    expect(windowFor(s, at('2026-10-24T20:00:00Z'))).toEqual({
      start: at('2026-10-24T15:00:05Z'),
      end: at('2026-10-25T00:00:00+03:00'),
    });
    expect(windowFor(s, at('2026-10-25T12:00:00Z'))).toEqual(
      calendarBounds(at('2026-10-25T12:00:00Z'), helsinki('day')),
    );
  });

  it('changes back to a fixed size at the end of the calendar period in force', () => {
    const s1 = scheduleChange(singleSizeSchedule(5_000), { calendar: helsinki('day') }, 0);
    const s2 = scheduleChange(s1, { windowMs: 60_000 }, at('2026-10-25T12:00:00Z'));
    expect(s2[2]).toEqual({ fromMs: at('2026-10-26T00:00:00+02:00'), windowMs: 60_000 });
    // Asking for the size in force changes nothing.
    expect(scheduleChange(s1, { calendar: helsinki('day') }, at('2026-10-25T12:00:00Z'))).toEqual(s1);
    expect(scheduleChange(s1, { calendar: { unit: 'day', timeZone: 'UTC' } }, at('2026-10-25T12:00:00Z'))).toHaveLength(
      3,
    );
  });
});
