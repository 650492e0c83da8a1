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
import { WindowStore, type WindowResult } from './windowStore';

export interface MergeCheckpoint {
  /** Each source's watermark (null: none reported yet), indexed by input partition. */
  sourceWatermarks: (number | null)[];
}

export class MergeEngine {
  private readonly store = new WindowStore();
  private readonly sources: number[];

  constructor(sourceCount: number, checkpoint?: MergeCheckpoint) {
    this.sources = Array.from({ length: sourceCount }, (_, i) => checkpoint?.sourceWatermarks[i] ?? Number.NEGATIVE_INFINITY);
  }

  get watermarkMs(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const w of this.sources) if (w < lowest) lowest = w;
    return this.sources.length === 0 ? Number.NEGATIVE_INFINITY : lowest;
  }

  /** Number of (sensor, window) results held open. */
  get openSensorWindowCount(): number {
    return this.store.sensorWindowCount;
  }

  /** Adds a source's partial; false when its window was emitted already (its readings are late). */
  addPartial(partial: WindowResult, position: number): boolean {
    if (partial.windowEnd <= this.watermarkMs) return false;
    this.store.addPartial(partial, position);
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
    return this.store.closeUpTo(this.watermarkMs);
  }

  oldestOpenPosition(): number | null {
    return this.store.oldestOpenPosition();
  }

  checkpoint(): MergeCheckpoint {
    return { sourceWatermarks: this.sources.map((w) => (Number.isFinite(w) ? w : null)) };
  }
}
