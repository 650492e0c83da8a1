/**
 * The second stage of windowing input that is not partitioned by sensor: it merges each input
 * partition's partial windows into the final ones. Pure: no I/O, no clock.
 *
 * Rules:
 * - every input partition ("source") reports a watermark; the merged watermark is the lowest of
 *   them, so a window is final only when every source's share of it is in;
 * - a source's partial for a window always arrives before that source's watermark passes the
 *   window's end (the first stage writes both in one transaction, in that order), so a partial whose
 *   window end is at or below the merged watermark belongs to a window already emitted: it is
 *   refused (its readings are late) and never emitted again;
 * - partials of one (sensor, window) add up exactly (count, exact sum, min, max).
 */
import { addDecimal, compareDecimal } from '../decimal';
import type { WindowResult } from './windowEngine';

interface OpenWindow {
  end: number;
  bySensor: Map<string, WindowResult>;
  /** Lowest input position that contributed; where a replay must start. */
  firstPosition: number;
}

export interface MergeCheckpoint {
  /** Each source's watermark (null: none reported yet), indexed by input partition. */
  sourceWatermarks: (number | null)[];
}

export class MergeEngine {
  private readonly open = new Map<number, OpenWindow>();
  private readonly sources: number[];

  constructor(sourceCount: number, checkpoint?: MergeCheckpoint) {
    this.sources = Array.from({ length: sourceCount }, (_, i) => checkpoint?.sourceWatermarks[i] ?? Number.NEGATIVE_INFINITY);
  }

  get watermarkMs(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const w of this.sources) if (w < lowest) lowest = w;
    return this.sources.length === 0 ? Number.NEGATIVE_INFINITY : lowest;
  }

  get sourceCount(): number {
    return this.sources.length;
  }

  /** Number of (sensor, window) results held open. */
  get openSensorWindowCount(): number {
    let n = 0;
    for (const w of this.open.values()) n += w.bySensor.size;
    return n;
  }

  /** Adds a source's partial; false when its window was emitted already (its readings are late). */
  addPartial(partial: WindowResult, position: number): boolean {
    if (partial.windowEnd <= this.watermarkMs) return false;
    let window = this.open.get(partial.windowStart);
    if (window === undefined) {
      window = { end: partial.windowEnd, bySensor: new Map(), firstPosition: position };
      this.open.set(partial.windowStart, window);
    } else if (position < window.firstPosition) window.firstPosition = position;
    const merged = window.bySensor.get(partial.sensorId);
    if (merged === undefined) window.bySensor.set(partial.sensorId, { ...partial });
    else {
      merged.count += partial.count;
      merged.sum = addDecimal(merged.sum, partial.sum);
      if (compareDecimal(partial.min, merged.min) < 0) merged.min = partial.min;
      if (compareDecimal(partial.max, merged.max) > 0) merged.max = partial.max;
    }
    return true;
  }

  /** A source's watermark never moves back; an unknown source is an error the caller must see. */
  advanceSource(source: number, watermarkMs: number): void {
    if (!Number.isInteger(source) || source < 0 || source >= this.sources.length) {
      throw new RangeError(`watermark from input partition ${source}, but the input has ${this.sources.length} partitions`);
    }
    if (watermarkMs > this.sources[source]) this.sources[source] = watermarkMs;
  }

  /** Every window the merged watermark has reached, ordered by end, then start. */
  close(): WindowResult[] {
    const limit = this.watermarkMs;
    const closing: [number, OpenWindow][] = [];
    for (const entry of this.open) if (entry[1].end <= limit) closing.push(entry);
    if (closing.length === 0) return [];
    closing.sort((a, b) => a[1].end - b[1].end || a[0] - b[0]);
    const results: WindowResult[] = [];
    for (const [start, window] of closing) {
      this.open.delete(start);
      results.push(...window.bySensor.values());
    }
    return results;
  }

  oldestOpenPosition(): number | null {
    let oldest: number | null = null;
    for (const w of this.open.values()) if (oldest === null || w.firstPosition < oldest) oldest = w.firstPosition;
    return oldest;
  }

  checkpoint(): MergeCheckpoint {
    return { sourceWatermarks: this.sources.map((w) => (Number.isFinite(w) ? w : null)) };
  }
}
