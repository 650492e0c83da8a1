/**
 * The open windows of one task and their per-sensor aggregates (count, exact decimal sum, min,
 * max). It neither assigns windows nor decides when they close: the engines do (windowEngine.ts by
 * its event clock, mergeEngine.ts by its sources' watermarks). Pure.
 */
import { compareDecimal, DecimalSum, type Decimal } from '../decimal';
import type { WindowBounds } from './schedule';

export interface WindowResult {
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  count: number;
  sum: Decimal;
  min: Decimal;
  max: Decimal;
}

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

export class WindowStore {
  /** Keyed by start; only a handful at a time (about lateness / size + 2). */
  private readonly open = new Map<number, OpenWindow>();

  /** Number of (sensor, window) aggregates held. */
  get sensorWindowCount(): number {
    let n = 0;
    for (const w of this.open.values()) n += w.bySensor.size;
    return n;
  }

  /**
   * Adds one reading's value to its sensor's aggregate in `window`; false (nothing changed) when
   * the sensor has none there and the window already holds `maxSensors` sensors.
   */
  addValue(window: WindowBounds, sensorId: string, value: Decimal, position: number, maxSensors = Infinity): boolean {
    const held = this.open.get(window.start)?.bySensor;
    if (held !== undefined && held.size >= maxSensors && !held.has(sensorId)) return false;
    const acc = this.windowAt(window.start, window.end, position).bySensor;
    const current = acc.get(sensorId);
    if (current === undefined) {
      const sum = new DecimalSum();
      sum.add(value);
      acc.set(sensorId, { sum, count: 1, min: value, max: value });
      return true;
    }
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
      acc.set(partial.sensorId, { sum, count: partial.count, min: partial.min, max: partial.max });
      return;
    }
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
        results.push({
          sensorId,
          windowStart: w.start,
          windowEnd: w.end,
          count: acc.count,
          sum: acc.sum.value,
          min: acc.min,
          max: acc.max,
        });
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
