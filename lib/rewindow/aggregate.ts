/**
 * The aggregation of a re-window job: decoded input records in, the whole windows of one size out.
 * It reuses the engine's window assignment (schedule.ts) and aggregates (windowStore.ts), so a
 * recomputed window is aggregated exactly as a live one; what it leaves out is the event clock:
 * the input up to the job's start is all there, so every reading in the range counts and none is
 * late (the live windows may differ by the readings the worker found late). Pure.
 */
import type { RewindowSkipped } from '../contract';
import { singleSizeSchedule, windowFor } from '../engine/schedule';
import { WindowStore, type WindowResult } from '../engine/windowStore';
import type { DecodeResult } from '../input/readingDecoder';

export interface AggregationPlan {
  /** Whole-window range (lib/rewindow/plan.ts wholeWindowRange): readings at event times in [fromMs, toMs) count. */
  fromMs: number;
  toMs: number;
  windowMs: number;
  /** Only this sensor's readings count when given. */
  sensorId?: string;
}

export class RewindowAggregator {
  private readonly schedule;
  private readonly store = new WindowStore();
  readonly skipped: RewindowSkipped = { invalid: 0, outsideRange: 0, otherSensors: 0 };

  constructor(private readonly plan: AggregationPlan) {
    this.schedule = singleSizeSchedule(plan.windowMs);
  }

  add(decoded: DecodeResult): void {
    if (!decoded.ok) {
      this.skipped.invalid++;
      return;
    }
    const { sensorId, timeMs, value } = decoded.reading;
    if (timeMs < this.plan.fromMs || timeMs >= this.plan.toMs) this.skipped.outsideRange++;
    else if (this.plan.sensorId !== undefined && sensorId !== this.plan.sensorId) this.skipped.otherSensors++;
    // Position 0: it only tells a live task where to replay from; nothing is replayed here.
    else this.store.addReading(windowFor(this.schedule, timeMs), { sensorId, timeMs, value }, 0);
  }

  /** Every window, ordered by start, then sensor (as GET /api/windows). Ends the aggregation. */
  finish(): WindowResult[] {
    return this.store
      .closeUpTo(Number.POSITIVE_INFINITY)
      .sort(
        (a, b) => a.windowStart - b.windowStart || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0),
      );
  }
}
