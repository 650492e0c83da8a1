/**
 * The second stage of windowing input that is not partitioned by sensor: it merges each input
 * partition's partial windows into the final ones. Pure: no I/O, no clock.
 *
 * Rules:
 * - every input partition ("source") reports a watermark; the merged watermark is the lowest of
 *   them, so a window is final only when every source's share of it is in;
 * - a source's partial for a window always arrives before that source's watermark passes the
 *   window's end (the first stage writes both in one transaction, in that order), and a source
 *   sends one partial per window. So a partial that comes after its source's watermark passed its
 *   end, or a second one from the same source for a window still open, is that source sending it
 *   again (a first-stage task that restarted from an older checkpoint than the transaction it had
 *   committed, or a client that wrote a batch twice): it is skipped, so a window never counts one
 *   source's share twice;
 * - partials of one (sensor, window) from different sources add up exactly (count, exact sum, min,
 *   max, and the extra aggregates' state: lib/aggregates/extras.ts).
 */
import type { Accumulation } from '../aggregates/choice';
import { WindowStore, type WindowResult } from './windowStore';

export interface MergeCheckpoint {
  /** Each source's watermark (null: none reported yet), indexed by input partition. */
  sourceWatermarks: (number | null)[];
}

export type PartialOutcome = 'added' | 'repeated' | 'emitted';

export class MergeEngine {
  private readonly store: WindowStore;
  private readonly sources: number[];
  /** Per open (sensor, window): the sources whose partial is in. */
  private readonly received = new Map<string, Set<number>>();

  /** `accumulation`: the extra aggregates' state its windows keep (none by default). */
  constructor(sourceCount: number, checkpoint?: MergeCheckpoint, accumulation?: Accumulation) {
    this.store = new WindowStore(accumulation);
    this.sources = Array.from(
      { length: sourceCount },
      (_, i) => checkpoint?.sourceWatermarks[i] ?? Number.NEGATIVE_INFINITY,
    );
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

  /**
   * Adds `source`'s partial. 'emitted': its window was emitted already (replaying a restart's
   * partials, those of windows the checkpoint has passed); 'repeated': the source sent it before
   * (see the rules above). `replay`: the partials between the committed offset and the checkpoint,
   * which come before watermarks the checkpoint already holds, so only the per-window rule applies.
   */
  addPartial(partial: WindowResult, source: number, position: number, replay = false): PartialOutcome {
    this.checkSource(source);
    if (partial.windowEnd <= this.watermarkMs) return replay ? 'emitted' : 'repeated';
    if (!replay && partial.windowEnd <= this.sources[source]) return 'repeated';
    const key = `${partial.sensorId}\u0000${partial.windowStart}\u0000${partial.windowEnd}`;
    let sources = this.received.get(key);
    if (sources?.has(source)) return 'repeated';
    if (!sources) this.received.set(key, (sources = new Set()));
    sources.add(source);
    this.store.addPartial(partial, position);
    return 'added';
  }

  private checkSource(source: number): void {
    if (!Number.isInteger(source) || source < 0 || source >= this.sources.length) {
      throw new RangeError(
        `partial or watermark from input partition ${source}, but the input has ${this.sources.length} partitions`,
      );
    }
  }

  /** A source's watermark never moves back; an unknown source is an error the caller must see. */
  advanceSource(source: number, watermarkMs: number): void {
    this.checkSource(source);
    if (watermarkMs > this.sources[source]) this.sources[source] = watermarkMs;
  }

  /** Every window the merged watermark has reached, ordered by end, then start. */
  close(): WindowResult[] {
    const closed = this.store.closeUpTo(this.watermarkMs);
    for (const w of closed) this.received.delete(`${w.sensorId}\u0000${w.windowStart}\u0000${w.windowEnd}`);
    return closed;
  }

  oldestOpenPosition(): number | null {
    return this.store.oldestOpenPosition();
  }

  checkpoint(): MergeCheckpoint {
    return { sourceWatermarks: this.sources.map((w) => (Number.isFinite(w) ? w : null)) };
  }
}
