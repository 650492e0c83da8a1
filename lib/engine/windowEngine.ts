/**
 * The windowing engine: per-sensor tumbling-window aggregates (count, exact decimal sum, min,
 * max) in event time.
 *
 * Pure: no I/O, no timers, no clock. The caller passes wall-clock time (`nowMs`) in,
 * so every rule can be tested with small event sequences.
 *
 * Rules (the verifier and the tests recompute windows with exactly these):
 * - a reading at event time t belongs to `windowFor(schedule, t)` (end exclusive);
 * - watermark = max event time seen − allowed lateness, never moving backwards;
 * - when no reading has arrived for `idleTimeoutMs` of wall-clock time, the watermark
 *   also advances by the wall-clock time elapsed since the last reading arrived, so
 *   the last windows close after an input goes quiet; an input that has had no reading at all
 *   since `startedAtMs` follows the wall clock (now − allowed lateness), so that in two-stage
 *   windowing an empty partition does not hold every window open;
 * - a window is emitted once, when the watermark reaches its end;
 * - a reading whose window has already been emitted is late: counted, never added;
 * - sums are exact decimals (lib/decimal.ts): no rounding, no ceiling, no dependence on order.
 */
import { compareDecimal, DecimalSum, type Decimal } from '../decimal';
import { windowFor, type WindowSchedule } from './schedule';

export interface EngineReading {
  sensorId: string;
  /** Event time, epoch milliseconds. */
  timeMs: number;
  value: Decimal;
}

export interface WindowResult {
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  count: number;
  sum: Decimal;
  min: Decimal;
  max: Decimal;
}

export interface EngineOptions {
  schedule: WindowSchedule;
  allowedLatenessMs: number;
  idleTimeoutMs: number;
  /** Wall-clock time the input started being read: idle time of an input with no reading counts from here. */
  startedAtMs?: number;
}

export type IngestOutcome = 'accepted' | 'late';

interface Accumulator {
  sum: DecimalSum;
  count: number;
  min: Decimal;
  max: Decimal;
}

interface OpenWindow {
  start: number;
  end: number;
  bySensor: Map<string, Accumulator>;
  /** Lowest input position (Kafka offset) that contributed; where a replay must start. */
  firstPosition: number;
}

/** What must survive a crash besides the input itself (see `replay`). */
export interface EngineCheckpoint {
  watermarkMs: number | null;
  maxEventTimeMs: number | null;
}

export class WindowEngine {
  private schedule: WindowSchedule;
  private allowedLatenessMs: number;
  private readonly idleTimeoutMs: number;
  /** Open windows keyed by start; only a handful at a time (about lateness / size + 2). */
  private readonly open = new Map<number, OpenWindow>();
  private maxEventTimeMs = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;
  private lastArrivalMs = Number.NEGATIVE_INFINITY;

  constructor(options: EngineOptions) {
    this.schedule = options.schedule;
    this.allowedLatenessMs = options.allowedLatenessMs;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.lastArrivalMs = options.startedAtMs ?? Number.NEGATIVE_INFINITY;
  }

  get watermarkMs(): number {
    return this.watermark;
  }

  get maxEventTime(): number {
    return this.maxEventTimeMs;
  }

  /** Number of (sensor, window) accumulators currently held. */
  get openSensorWindowCount(): number {
    let n = 0;
    for (const w of this.open.values()) n += w.bySensor.size;
    return n;
  }

  setSchedule(schedule: WindowSchedule): void {
    this.schedule = schedule;
  }

  setAllowedLateness(allowedLatenessMs: number): void {
    this.allowedLatenessMs = allowedLatenessMs;
    this.raiseWatermark(this.maxEventTimeMs - allowedLatenessMs);
  }

  /** `position` is the reading's place in its input (the Kafka offset); replays start from the lowest open one. */
  ingest(reading: EngineReading, nowMs: number, position = 0): IngestOutcome {
    this.lastArrivalMs = Math.max(this.lastArrivalMs, nowMs);
    if (!this.add(reading, position)) return 'late';
    if (reading.timeMs > this.maxEventTimeMs) {
      this.maxEventTimeMs = reading.timeMs;
      this.raiseWatermark(reading.timeMs - this.allowedLatenessMs);
    }
    return 'accepted';
  }

  /**
   * Re-applies a reading that was already processed before a restart (its position is below the
   * checkpoint's). Restored from a checkpoint, the watermark is the one in force at the checkpoint,
   * so a reading whose window was emitted by then is skipped (it was counted, or counted late,
   * already) and every other one rebuilds the windows still open at the checkpoint. Nothing is
   * counted late and the watermark does not move.
   */
  replay(reading: EngineReading, position: number): boolean {
    return this.add(reading, position);
  }

  /** The lowest input position still needed to rebuild the open windows; null when none is open. */
  oldestOpenPosition(): number | null {
    let oldest: number | null = null;
    for (const w of this.open.values()) if (oldest === null || w.firstPosition < oldest) oldest = w.firstPosition;
    return oldest;
  }

  checkpoint(): EngineCheckpoint {
    const finiteOrNull = (n: number) => (Number.isFinite(n) ? n : null);
    return { watermarkMs: finiteOrNull(this.watermark), maxEventTimeMs: finiteOrNull(this.maxEventTimeMs) };
  }

  /** An engine with no open window, the watermark of `checkpoint`, ready for `replay`. */
  static fromCheckpoint(checkpoint: EngineCheckpoint, options: EngineOptions, nowMs: number): WindowEngine {
    const engine = new WindowEngine(options);
    engine.watermark = checkpoint.watermarkMs ?? Number.NEGATIVE_INFINITY;
    engine.maxEventTimeMs = checkpoint.maxEventTimeMs ?? Number.NEGATIVE_INFINITY;
    // Idle time is measured from the restart, not from before the crash.
    engine.lastArrivalMs = nowMs;
    return engine;
  }

  /**
   * Applies idle advance for `nowMs` and returns every window the watermark has reached,
   * ordered by window end, then by first reading.
   */
  advance(nowMs: number): WindowResult[] {
    const idleFor = nowMs - this.lastArrivalMs;
    if (idleFor >= this.idleTimeoutMs) {
      const base = Number.isFinite(this.maxEventTimeMs) ? this.maxEventTimeMs + idleFor : nowMs;
      this.raiseWatermark(base - this.allowedLatenessMs);
    }
    return this.closeUpTo(this.watermark);
  }

  /** Adds a reading to its window unless that window has been emitted (then false). */
  private add(reading: EngineReading, position: number): boolean {
    const { start, end } = windowFor(this.schedule, reading.timeMs);
    if (end <= this.watermark) return false;
    let window = this.open.get(start);
    if (window === undefined) {
      window = { start, end, bySensor: new Map(), firstPosition: position };
      this.open.set(start, window);
    } else if (position < window.firstPosition) window.firstPosition = position;
    const acc = window.bySensor.get(reading.sensorId);
    if (acc === undefined) {
      const sum = new DecimalSum();
      sum.add(reading.value);
      window.bySensor.set(reading.sensorId, { sum, count: 1, min: reading.value, max: reading.value });
    } else {
      acc.sum.add(reading.value);
      acc.count += 1;
      if (compareDecimal(reading.value, acc.min) < 0) acc.min = reading.value;
      if (compareDecimal(reading.value, acc.max) > 0) acc.max = reading.value;
    }
    return true;
  }

  private raiseWatermark(candidate: number): void {
    if (candidate > this.watermark) this.watermark = candidate;
  }

  private closeUpTo(limit: number): WindowResult[] {
    const closing: OpenWindow[] = [];
    for (const w of this.open.values()) if (w.end <= limit) closing.push(w);
    if (closing.length === 0) return [];
    closing.sort((a, b) => a.end - b.end || a.start - b.start);
    const results: WindowResult[] = [];
    for (const w of closing) {
      this.open.delete(w.start);
      for (const [sensorId, acc] of w.bySensor) {
        results.push({ sensorId, windowStart: w.start, windowEnd: w.end, count: acc.count, sum: acc.sum.value, min: acc.min, max: acc.max });
      }
    }
    return results;
  }
}
