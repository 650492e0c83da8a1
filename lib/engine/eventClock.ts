/**
 * The event-time clock of one input (a partition): its watermark. Pure: wall-clock time and the
 * evidence that the input is quiet are passed in.
 *
 * Rules (the verifier and the tests recompute windows with exactly these):
 * - watermark = max event time seen − allowed lateness, never moving backwards;
 * - idle advance: once the input has been *known to be quiet* for `idleTimeoutMs` — nothing
 *   arrived, and the caller has evidence that nothing was waiting to be read (a `QuietSpan`, see
 *   lib/engine/quietEvidence.ts) — the watermark also moves with the wall-clock time the evidence
 *   covers, so the last windows close when sensors really stop. An input that has had no reading
 *   at all follows the wall clock (the evidence's end − allowed lateness) under the same
 *   condition, so that an empty partition does not hold every merged window open. Without
 *   evidence (null: a broker is unreachable, the input is not read up to its end, or the clock
 *   has not been checked yet) time spent waiting is never taken for idleness.
 * - idle time ends where the evidence ends (the last probe that found the input read to its
 *   end), never at "now": a record appended after that probe may already be fetched and waiting
 *   behind this step, and a worker held up (a busy CPU, a long step) must not close its window
 *   on time it has no evidence for. So a reading is never made late by an idle advance unless it
 *   reached Kafka more than the allowed lateness after its event time.
 */

/** The wall-clock span over which an input is known to have had nothing unread. */
export interface QuietSpan {
  /** Since when the input has been read up to its end at every probe. */
  sinceMs: number;
  /** The last probe that found it so: nothing is known about later times. */
  untilMs: number;
}

export interface EventClockOptions {
  allowedLatenessMs: number;
  idleTimeoutMs: number;
  /** Wall-clock time the input started being read: idle time of an input with no reading counts from here. */
  startedAtMs?: number;
}

/** What must survive a crash: the clock's readings at the checkpoint. */
export interface ClockCheckpoint {
  watermarkMs: number | null;
  maxEventTimeMs: number | null;
}

export class EventClock {
  private allowedLatenessMs: number;
  private readonly idleTimeoutMs: number;
  private maxEventTime = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;
  private lastArrivalMs: number;

  constructor(options: EventClockOptions) {
    this.allowedLatenessMs = options.allowedLatenessMs;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.lastArrivalMs = options.startedAtMs ?? Number.NEGATIVE_INFINITY;
  }

  /** A clock at the checkpoint's watermark; idle time is measured from the restart (`nowMs`). */
  static restore(checkpoint: ClockCheckpoint, options: EventClockOptions, nowMs: number): EventClock {
    const clock = new EventClock({ ...options, startedAtMs: nowMs });
    clock.watermark = checkpoint.watermarkMs ?? Number.NEGATIVE_INFINITY;
    clock.maxEventTime = checkpoint.maxEventTimeMs ?? Number.NEGATIVE_INFINITY;
    return clock;
  }

  /** Everything at or below it is final: a window whose end is at or below it is closed. */
  get watermarkMs(): number {
    return this.watermark;
  }

  /** The greatest event time accepted so far. */
  get maxEventTimeMs(): number {
    return this.maxEventTime;
  }

  /** A reading arrived (accepted or not) at wall-clock `nowMs`: the input is not idle. */
  arrived(nowMs: number): void {
    if (nowMs > this.lastArrivalMs) this.lastArrivalMs = nowMs;
  }

  /** An accepted reading's event time. */
  observe(eventTimeMs: number): void {
    if (eventTimeMs > this.maxEventTime) {
      this.maxEventTime = eventTimeMs;
      this.raise(eventTimeMs - this.allowedLatenessMs);
    }
  }

  setAllowedLateness(allowedLatenessMs: number): void {
    this.allowedLatenessMs = allowedLatenessMs;
    this.raise(this.maxEventTime - allowedLatenessMs);
  }

  /**
   * Idle advance over `quiet`, the span the input is known to have had nothing unread (null: not
   * known). Returns the watermark.
   */
  advanceIdle(quiet: QuietSpan | null): number {
    if (quiet === null) return this.watermark;
    const idleFor = quiet.untilMs - Math.max(this.lastArrivalMs, quiet.sinceMs);
    if (idleFor >= this.idleTimeoutMs) {
      const base = Number.isFinite(this.maxEventTime) ? this.maxEventTime + idleFor : quiet.untilMs;
      this.raise(base - this.allowedLatenessMs);
    }
    return this.watermark;
  }

  checkpoint(): ClockCheckpoint {
    const finiteOrNull = (n: number) => (Number.isFinite(n) ? n : null);
    return { watermarkMs: finiteOrNull(this.watermark), maxEventTimeMs: finiteOrNull(this.maxEventTime) };
  }

  private raise(candidate: number): void {
    if (candidate > this.watermark) this.watermark = candidate;
  }
}
