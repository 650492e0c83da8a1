/**
 * Counters of one partition task. Each task owns its own; a worker adds up its live tasks and
 * the ones it has let go (so totals never go down) wherever they are read: the stats topic and
 * Prometheus' /metrics.
 */
import type { RejectCode } from '../input/readingDecoder';

export class WorkerCounters {
  readings = 0;
  /** Final windows written to the output topic. */
  windows = 0;
  /** Partial windows written to the partials topic (unkeyed input's first stage). */
  partials = 0;
  /** Partials the merge skipped because their source had sent them already (see MergeEngine). */
  repeatedPartials = 0;
  late = 0;
  readonly deadLetters = new Map<RejectCode, number>();
  readonly lateBySensor = new Map<string, number>();

  get deadLettered(): number {
    let total = 0;
    for (const n of this.deadLetters.values()) total += n;
    return total;
  }

  countLate(sensorId: string): void {
    this.late++;
    this.lateBySensor.set(sensorId, (this.lateBySensor.get(sensorId) ?? 0) + 1);
  }

  countDeadLetter(code: RejectCode): void {
    this.deadLetters.set(code, (this.deadLetters.get(code) ?? 0) + 1);
  }

  /** Adds `other` into this one (a worker's totals). */
  add(other: WorkerCounters): this {
    this.readings += other.readings;
    this.windows += other.windows;
    this.partials += other.partials;
    this.repeatedPartials += other.repeatedPartials;
    this.late += other.late;
    for (const [code, n] of other.deadLetters) this.deadLetters.set(code, (this.deadLetters.get(code) ?? 0) + n);
    for (const [id, n] of other.lateBySensor) this.lateBySensor.set(id, (this.lateBySensor.get(id) ?? 0) + n);
    return this;
  }

  static sum(parts: Iterable<WorkerCounters>): WorkerCounters {
    const total = new WorkerCounters();
    for (const part of parts) total.add(part);
    return total;
  }
}
