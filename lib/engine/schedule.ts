/**
 * Window-size schedule: which tumbling-window size applies at which event time.
 *
 * A size change never rewrites the past. It takes effect at an event time `fromMs`
 * that is a boundary of the size in force before it, so no earlier window is cut.
 * From `fromMs` on, windows are aligned to the epoch in the new size, except the
 * first one, which starts at `fromMs` when that is not a boundary of the new size
 * (a shorter "transition" window). Every reading therefore lands in exactly one window.
 */
export interface ScheduleEntry {
  /** Event time (epoch ms) from which `windowMs` applies; the first entry's is ignored. */
  fromMs: number;
  windowMs: number;
}

export type WindowSchedule = readonly ScheduleEntry[];

export interface WindowBounds {
  start: number;
  end: number;
}

export function singleSizeSchedule(windowMs: number): WindowSchedule {
  return [{ fromMs: Number.NEGATIVE_INFINITY, windowMs }];
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
  const size = entry.windowMs;
  const aligned = Math.floor(timeMs / size) * size;
  const start = Math.max(aligned, entry.fromMs);
  return { start, end: aligned + size };
}

/** First boundary of `windowMs` at or after `timeMs`. */
function nextBoundary(timeMs: number, windowMs: number): number {
  return Math.ceil(timeMs / windowMs) * windowMs;
}

/**
 * Adds a size change that takes effect at the first boundary, at or after `earliestMs`,
 * of the size in force then. Changes scheduled at or after `earliestMs` that are still
 * pending are replaced: the caller guarantees no reading at or after `earliestMs` has
 * been windowed yet, so replacing them rewrites nothing already counted.
 */
export function scheduleChange(schedule: WindowSchedule, windowMs: number, earliestMs: number): WindowSchedule {
  const kept = schedule.filter((e, i) => i === 0 || e.fromMs < earliestMs);
  const inForce = entryAt(kept, earliestMs);
  if (inForce.windowMs === windowMs) return kept;
  return [...kept, { fromMs: nextBoundary(earliestMs, inForce.windowMs), windowMs }];
}

/** Size changes whose `fromMs` is after `timeMs` (not yet in force). */
export function pendingEntries(schedule: WindowSchedule, timeMs: number): ScheduleEntry[] {
  return schedule.slice(1).filter((e) => e.fromMs > timeMs);
}
