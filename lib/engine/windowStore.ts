/**
 * The open windows of one task and their per-sensor aggregates (count, exact decimal sum, min,
 * max, and the state of the extra aggregates chosen: lib/aggregates/extras.ts). It neither assigns
 * windows nor decides when they close: the engines do (windowEngine.ts by its event clock,
 * mergeEngine.ts by its sources' watermarks). Pure.
 */
import type { Accumulation } from '../aggregates/choice';
import {
  addPartialExtras,
  addReadingExtras,
  addExtraResults,
  extrasOfPartial,
  extrasOfReading,
  keepsExtras,
  type ExtraResults,
  type ExtraState,
} from '../aggregates/extras';
import { compareDecimal, DecimalSum, type Decimal } from '../decimal';
import type { WindowBounds } from './schedule';

export interface WindowResult extends ExtraResults {
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  count: number;
  sum: Decimal;
  min: Decimal;
  max: Decimal;
}

/** One reading as a store takes it; its offset comes beside it (first and last break ties by it). */
export interface StoredReading {
  sensorId: string;
  timeMs: number;
  value: Decimal;
}

interface Accumulator {
  sum: DecimalSum;
  count: number;
  min: Decimal;
  max: Decimal;
  /** Null when no extra aggregate is chosen. */
  extras: ExtraState | null;
}

const NO_EXTRAS: Accumulation = { squares: false, firstLast: false, sketchAccuracy: null };

interface OpenWindow {
  start: number;
  end: number;
  bySensor: Map<string, Accumulator>;
  /** Lowest input position (Kafka offset) that contributed; where a replay must start. */
  firstPosition: number;
}

export class WindowStore {
  /** Keyed by start; only a handful at a time (about lateness / size + 2). */
  private readonly open = new Map<number, OpenWindow>();
  private readonly extras: boolean;

  /** `partition`: the input partition whose readings `addReading` takes (first/last break ties by it). */
  constructor(
    private readonly accumulation: Accumulation = NO_EXTRAS,
    private readonly partition = 0,
  ) {
    this.extras = keepsExtras(accumulation);
  }

  /** Number of (sensor, window) aggregates held. */
  get sensorWindowCount(): number {
    let n = 0;
    for (const w of this.open.values()) n += w.bySensor.size;
    return n;
  }

  /**
   * Adds one reading to its sensor's aggregate in `window`; false (nothing changed) when the sensor
   * has none there and the window already holds `maxSensors` sensors. `position`: its offset.
   */
  addReading(window: WindowBounds, reading: StoredReading, position: number, maxSensors = Infinity): boolean {
    const { sensorId, value } = reading;
    const held = this.open.get(window.start)?.bySensor;
    if (held !== undefined && held.size >= maxSensors && !held.has(sensorId)) return false;
    const acc = this.windowAt(window.start, window.end, position).bySensor;
    const current = acc.get(sensorId);
    if (current === undefined) {
      const sum = new DecimalSum();
      sum.add(value);
      const extras = this.extras
        ? extrasOfReading(this.accumulation, value, reading.timeMs, this.partition, position)
        : null;
      acc.set(sensorId, { sum, count: 1, min: value, max: value, extras });
      return true;
    }
    if (current.extras) addReadingExtras(current.extras, value, reading.timeMs, this.partition, position);
    current.sum.add(value);
    current.count += 1;
    if (compareDecimal(value, current.min) < 0) current.min = value;
    if (compareDecimal(value, current.max) > 0) current.max = value;
    return true;
  }

  /** Adds an aggregate computed elsewhere (another partition's share of the same window). */
  addPartial(partial: WindowResult, position: number): void {
    const acc = this.windowAt(partial.windowStart, partial.windowEnd, position).bySensor;
    const current = acc.get(partial.sensorId);
    if (current === undefined) {
      const sum = new DecimalSum();
      sum.add(partial.sum);
      const extras = this.extras ? extrasOfPartial(this.accumulation, partial) : null;
      acc.set(partial.sensorId, { sum, count: partial.count, min: partial.min, max: partial.max, extras });
      return;
    }
    if (current.extras) addPartialExtras(current.extras, partial);
    current.sum.add(partial.sum);
    current.count += partial.count;
    if (compareDecimal(partial.min, current.min) < 0) current.min = partial.min;
    if (compareDecimal(partial.max, current.max) > 0) current.max = partial.max;
  }

  /** Removes and returns every window whose end is at or below `limit`, ordered by end, then start. */
  closeUpTo(limit: number): WindowResult[] {
    const closing: OpenWindow[] = [];
    for (const w of this.open.values()) if (w.end <= limit) closing.push(w);
    if (closing.length === 0) return [];
    closing.sort((a, b) => a.end - b.end || a.start - b.start);
    const results: WindowResult[] = [];
    for (const w of closing) {
      this.open.delete(w.start);
      for (const [sensorId, acc] of w.bySensor) {
        const result: WindowResult = {
          sensorId,
          windowStart: w.start,
          windowEnd: w.end,
          count: acc.count,
          sum: acc.sum.value,
          min: acc.min,
          max: acc.max,
        };
        if (acc.extras) addExtraResults(result, acc.extras);
        results.push(result);
      }
    }
    return results;
  }

  /** The lowest input position still needed to rebuild the open windows; null when none is open. */
  oldestOpenPosition(): number | null {
    let oldest: number | null = null;
    for (const w of this.open.values()) if (oldest === null || w.firstPosition < oldest) oldest = w.firstPosition;
    return oldest;
  }

  private windowAt(start: number, end: number, position: number): OpenWindow {
    let window = this.open.get(start);
    if (window === undefined) {
      window = { start, end, bySensor: new Map(), firstPosition: position };
      this.open.set(start, window);
    } else if (position < window.firstPosition) window.firstPosition = position;
    return window;
  }
}
