/**
 * When may an input partition be called idle? Only on positive evidence, never because nothing
 * arrived: with several brokers, a dying broker stops every partition's high watermark for as long
 * as the cluster takes to fence it (about 9 s by default) while fetches from the live brokers keep
 * returning nothing, and a slow start or slow commits look the same. Readings sent meanwhile are on
 * time, and must not find their windows closed by an idle advance.
 *
 * Evidence comes from periodic probes (server/worker/quietInputs.ts). A partition is quiet since a
 * probe that found
 * - every broker of the cluster answering (a dead or paused broker stops the whole cluster's
 *   progress until it is fenced, so any unanswered broker voids all evidence), and
 * - the partition read up to its end offset (last stable offset) as its leader reported it;
 * and stays quiet while every later probe finds the same; the evidence ends at the last such probe.
 * After a probe with an unanswered broker, no partition is quiet before `graceMs` has passed:
 * producers need a moment to deliver what they held back during a failover. Evidence older than `maxAgeMs` (probes stopped answering) is void.
 * Pure: time is passed in.
 */

import type { QuietSpan } from './eventClock';

export interface ProbeResult {
  /** Wall-clock time the probe was sent. */
  atMs: number;
  /** Every broker in the cluster's metadata answered in time. */
  brokersAnswered: boolean;
  /** Per partition, its log start and end offsets as its leader answered; a partition missing did not answer. */
  offsets: ReadonlyMap<number, { start: number; end: number }>;
}

export interface QuietEvidenceOptions {
  graceMs: number;
  maxAgeMs: number;
}

export class QuietEvidence {
  private readonly since = new Map<number, number>();
  private lastUnansweredAt = Number.NEGATIVE_INFINITY;
  private lastProbeAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: QuietEvidenceOptions) {}

  /** `readUpTo`: per partition, the offset after the last record taken in, read after the probe answered. */
  record(probe: ProbeResult, readUpTo: ReadonlyMap<number, number>): void {
    this.lastProbeAt = probe.atMs;
    if (!probe.brokersAnswered) {
      this.lastUnansweredAt = probe.atMs;
      this.since.clear();
      return;
    }
    for (const partition of [...this.since.keys()]) if (!readUpTo.has(partition)) this.since.delete(partition);
    for (const [partition, position] of readUpTo) {
      const offsets = probe.offsets.get(partition);
      // Below the log start there is nothing left to read (retention deleted it).
      if (offsets === undefined || Math.max(position, offsets.start) < offsets.end) {
        this.since.delete(partition);
      } else if (!this.since.has(partition)) {
        this.since.set(partition, Math.max(probe.atMs, this.lastUnansweredAt + this.options.graceMs));
      }
    }
  }

  /** The span over which `partition` is known to have had nothing unread; null: not known at `nowMs`. */
  quietSpan(partition: number, nowMs: number): QuietSpan | null {
    if (nowMs - this.lastProbeAt > this.options.maxAgeMs) return null;
    const since = this.since.get(partition);
    // After a grace period, `since` may lie beyond the last probe: no span is covered yet.
    return since === undefined || since > nowMs || since > this.lastProbeAt
      ? null
      : { sinceMs: since, untilMs: this.lastProbeAt };
  }
}
