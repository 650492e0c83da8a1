/**
 * The windowing engine of one input partition: per-sensor tumbling windows in event time. Pure: no
 * I/O, no timers, no clock; the caller passes wall-clock time in. Three parts, each with one job:
 * the window schedule assigns a reading to its window (schedule.ts), the event clock decides what
 * is final (eventClock.ts: watermark, lateness, idle advance), the store aggregates (windowStore.ts).
 *
 * Rules (the verifier and the tests recompute windows with exactly these):
 * - a reading at event time t belongs to `windowFor(schedule, t)` (end exclusive);
 * - a window is emitted once, when the watermark reaches its end;
 * - a reading whose window has already been emitted is late: counted, never added;
 * - sums are exact decimals (lib/decimal.ts): no rounding, no ceiling, no dependence on order.
 */
import type { Accumulation } from '../aggregates/choice';
import type { Decimal } from '../decimal';
import { EventClock, type ClockCheckpoint, type EventClockOptions, type QuietSpan } from './eventClock';
import { windowFor, type WindowSchedule } from './schedule';
import { WindowStore, type WindowResult } from './windowStore';

export type { WindowResult } from './windowStore';
export type EngineCheckpoint = ClockCheckpoint;

export interface EngineReading {
  sensorId: string;
  /** Event time, epoch milliseconds. */
  timeMs: number;
  value: Decimal;
}

export interface EngineOptions extends EventClockOptions {
  schedule: WindowSchedule;
  /**
   * Sensors one window may hold (MAX_SENSORS): a reading of a further sensor is refused. Counted
   * per window, from that window's own readings, so a replay after a restart (which rebuilds every
   * open window from its first reading) refuses exactly the readings the first pass refused.
   */
  maxSensorsPerWindow?: number;
  /** The state kept for the extra aggregates chosen (none by default). */
  accumulation?: Accumulation;
  /** The input partition read (first and last break ties between equal event times by it). */
  partition?: number;
}

/** `too_many_sensors`: its window already holds `maxSensorsPerWindow` other sensors. */
export type IngestOutcome = 'accepted' | 'late' | 'too_many_sensors';

/** Evidence for idle advance that holds at all times up to `nowMs`: for tests and tools whose input is all there. */
export const quietUntil = (nowMs: number): QuietSpan => ({ sinceMs: Number.NEGATIVE_INFINITY, untilMs: nowMs });

export class WindowEngine {
  private schedule: WindowSchedule;
  private readonly clock: EventClock;
  private readonly store: WindowStore;
  private readonly maxSensors: number;

  constructor(options: EngineOptions, clock?: EventClock) {
    this.store = new WindowStore(options.accumulation, options.partition);
    this.schedule = options.schedule;
    this.maxSensors = options.maxSensorsPerWindow ?? Infinity;
    this.clock = clock ?? new EventClock(options);
  }

  /** An engine with no open window and the clock of `checkpoint`, ready for `replay`. */
  static fromCheckpoint(checkpoint: EngineCheckpoint, options: EngineOptions, nowMs: number): WindowEngine {
    return new WindowEngine(options, EventClock.restore(checkpoint, options, nowMs));
  }

  get watermarkMs(): number {
    return this.clock.watermarkMs;
  }

  get maxEventTimeMs(): number {
    return this.clock.maxEventTimeMs;
  }

  /** Number of (sensor, window) aggregates currently held. */
  get openSensorWindowCount(): number {
    return this.store.sensorWindowCount;
  }

  /** From now on, readings go to the windows of `schedule` (its entries before the watermark are already final). */
  setSchedule(schedule: WindowSchedule): void {
    this.schedule = schedule;
  }

  setAllowedLateness(allowedLatenessMs: number): void {
    this.clock.setAllowedLateness(allowedLatenessMs);
  }

  /** `position` is the reading's place in its input (the Kafka offset); replays start from the lowest open one. */
  ingest(reading: EngineReading, nowMs: number, position = 0): IngestOutcome {
    this.clock.arrived(nowMs);
    const added = this.add(reading, position);
    // A refused reading is not in any window, so (like an invalid one) it does not move the watermark.
    if (added !== 'added') return added;
    this.clock.observe(reading.timeMs);
    return 'accepted';
  }

  /**
   * Re-applies a reading that was already processed before a restart (its position is below the
   * checkpoint's). Restored from a checkpoint, the watermark is the one in force at the checkpoint,
   * so a reading whose window was emitted by then is skipped (it was counted, or counted late,
   * already) and every other one rebuilds the windows still open at the checkpoint. Nothing is
   * counted late and the watermark does not move. A reading its window refused (too many sensors)
   * is refused again: the window holds the same sensors at that point as in the first pass.
   */
  replay(reading: EngineReading, position: number): boolean {
    return this.add(reading, position) === 'added';
  }

  /** The lowest input position still needed to rebuild the open windows; null when none is open. */
  oldestOpenPosition(): number | null {
    return this.store.oldestOpenPosition();
  }

  checkpoint(): EngineCheckpoint {
    return this.clock.checkpoint();
  }

  /**
   * Applies idle advance over `quiet` (see EventClock.advanceIdle) and returns every window the
   * watermark has reached, ordered by window end, then by start.
   */
  advance(quiet: QuietSpan | null): WindowResult[] {
    return this.store.closeUpTo(this.clock.advanceIdle(quiet));
  }

  /** Windows the watermark has reached, without idle advance. */
  closeReached(): WindowResult[] {
    return this.store.closeUpTo(this.clock.watermarkMs);
  }

  /** Adds a reading to its window unless that window has been emitted or is full. */
  private add(reading: EngineReading, position: number): 'added' | 'late' | 'too_many_sensors' {
    const window = windowFor(this.schedule, reading.timeMs);
    if (window.end <= this.clock.watermarkMs) return 'late';
    const added = this.store.addReading(window, reading, position, this.maxSensors);
    return added ? 'added' : 'too_many_sensors';
  }
}
