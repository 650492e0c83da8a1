/**
 * Window-size schedule: which tumbling-window size applies at which event time.
 *
 * A size is a fixed length, aligned to the epoch, or a calendar period (the local hour, day or
 * week of a time zone: calendar.ts). A size change never rewrites the past. It takes effect at an
 * event time `fromMs` that is a boundary of the size in force before it, so no earlier window is
 * cut. From `fromMs` on, windows are those of the new size, except the first one, which starts at
 * `fromMs` when that is not a boundary of the new size (a shorter "transition" window). Every
 * reading therefore lands in exactly one window.
 */
import type { CalendarWindow } from '../calendarUnits';
import { calendarBounds, LONGEST_MS, NOMINAL_MS } from './calendar';

export interface ScheduleEntry {
  /** Event time (epoch ms) from which this size applies; the first entry's is ignored. */
  fromMs: number;
  /** The fixed length; for a calendar size, its nominal length (a day: 24 h, whatever the clocks do). */
  windowMs: number;
  /** Present for a calendar-aligned size. */
  calendar?: CalendarWindow;
}

/** A size as a change asks for it: a fixed length, or a calendar period. */
export type WindowSize = { windowMs: number; calendar?: undefined } | { calendar: CalendarWindow };

export type WindowSchedule = readonly ScheduleEntry[];

export interface WindowBounds {
  start: number;
  end: number;
}

export function singleSizeSchedule(windowMs: number): WindowSchedule {
  return [{ fromMs: Number.NEGATIVE_INFINITY, windowMs }];
}

export function entryOf(size: WindowSize, fromMs: number): ScheduleEntry {
  return size.calendar
    ? { fromMs, windowMs: NOMINAL_MS[size.calendar.unit], calendar: size.calendar }
    : { fromMs, windowMs: size.windowMs };
}

function sameSize(a: ScheduleEntry, b: ScheduleEntry): boolean {
  if (a.calendar || b.calendar)
    return a.calendar?.unit === b.calendar?.unit && a.calendar?.timeZone === b.calendar?.timeZone;
  return a.windowMs === b.windowMs;
}

/** The longest window of `entry`'s size (a calendar day's when the clocks go back). */
export function longestWindowMs(entry: ScheduleEntry): number {
  return entry.calendar ? LONGEST_MS[entry.calendar.unit] : entry.windowMs;
}

/** The size's own window holding `timeMs`, ignoring when it came into force. */
function sizeWindow(entry: ScheduleEntry, timeMs: number): WindowBounds {
  if (entry.calendar) return calendarBounds(timeMs, entry.calendar);
  const aligned = Math.floor(timeMs / entry.windowMs) * entry.windowMs;
  return { start: aligned, end: aligned + entry.windowMs };
}

/** The entry in force at event time `timeMs`. */
export function entryAt(schedule: WindowSchedule, timeMs: number): ScheduleEntry {
  let current = schedule[0];
  for (let i = 1; i < schedule.length; i++) {
    if (schedule[i].fromMs <= timeMs) current = schedule[i];
    else break;
  }
  return current;
}

/** The window (epoch ms, end exclusive) a reading at `timeMs` belongs to. */
export function windowFor(schedule: WindowSchedule, timeMs: number): WindowBounds {
  const entry = entryAt(schedule, timeMs);
  if (entry.calendar === undefined) {
    const size = entry.windowMs;
    const aligned = Math.floor(timeMs / size) * size;
    return { start: Math.max(aligned, entry.fromMs), end: aligned + size };
  }
  const own = calendarBounds(timeMs, entry.calendar);
  return { start: Math.max(own.start, entry.fromMs), end: own.end };
}

/** First boundary of `entry`'s size at or after `timeMs`. */
function nextBoundary(timeMs: number, entry: ScheduleEntry): number {
  const own = sizeWindow(entry, timeMs);
  return own.start === timeMs ? timeMs : own.end;
}

/**
 * Adds a size change that takes effect at the first boundary, at or after `earliestMs`,
 * of the size in force then. Changes scheduled at or after `earliestMs` that are still
 * pending are replaced: the caller guarantees no reading at or after `earliestMs` has
 * been windowed yet, so replacing them rewrites nothing already counted.
 */
export function scheduleChange(schedule: WindowSchedule, size: WindowSize, earliestMs: number): WindowSchedule {
  const kept = schedule.filter((e, i) => i === 0 || e.fromMs < earliestMs);
  const inForce = entryAt(kept, earliestMs);
  const fromMs = nextBoundary(earliestMs, inForce);
  const entry = entryOf(size, fromMs);
  if (sameSize(inForce, entry)) return kept;
  return [...kept, entry];
}

/** Size changes whose `fromMs` is after `timeMs` (not yet in force). */
export function pendingEntries(schedule: WindowSchedule, timeMs: number): ScheduleEntry[] {
  return schedule.slice(1).filter((e) => e.fromMs > timeMs);
}
