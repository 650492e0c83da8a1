/**
 * Counters of one partition task. Each task owns its own; a worker adds up its live tasks and
 * the ones it has let go (so totals never go down) wherever they are read: the stats topic and
 * Prometheus' /metrics.
 */
import { REJECT_CODES, type RejectCode } from '../input/readingDecoder';
import { addSensorCount } from './sensorCounts';

/**
 * Why a record went to the dead-letter topic: the decoder's codes, or `too_many_sensors` (a valid
 * reading of a new sensor whose window already held MAX_SENSORS sensors; see WindowEngine).
 */
/** MAX_SENSORS' default (server/config.ts): sensors tracked per worker task window and per web server. */
export const DEFAULT_MAX_SENSORS = 100_000;

export type DeadLetterReason = RejectCode | 'too_many_sensors';
export const DEAD_LETTER_REASONS: readonly DeadLetterReason[] = [...REJECT_CODES, 'too_many_sensors'];

export class WorkerCounters {
  readings = 0;
  /** Final windows written to the output topic. */
  windows = 0;
  /** Partial windows written to the partials topic (unkeyed input's first stage). */
  partials = 0;
  /** Partials the merge skipped because their source had sent them already (see MergeEngine). */
  repeatedPartials = 0;
  late = 0;
  /** Late readings not counted per sensor: their sensor was new once `lateBySensor` held `maxSensors`. */
  lateUntracked = 0;
  readonly deadLetters = new Map<DeadLetterReason, number>();
  readonly lateBySensor = new Map<string, number>();

  /** `maxSensors` (MAX_SENSORS): sensors whose late readings are counted one by one; the rest only in total. */
  constructor(private readonly maxSensors = DEFAULT_MAX_SENSORS) {}

  get deadLettered(): number {
    let total = 0;
    for (const n of this.deadLetters.values()) total += n;
    return total;
  }

  countLate(sensorId: string): void {
    this.late++;
    this.countLateOf(sensorId, 1);
  }

  private countLateOf(sensorId: string, n: number): void {
    if (!addSensorCount(this.lateBySensor, sensorId, n, this.maxSensors)) this.lateUntracked += n;
  }

  countDeadLetter(code: DeadLetterReason): void {
    this.deadLetters.set(code, (this.deadLetters.get(code) ?? 0) + 1);
  }

  /** Adds `other` into this one (a worker's totals). */
  add(other: WorkerCounters): this {
    this.readings += other.readings;
    this.windows += other.windows;
    this.partials += other.partials;
    this.repeatedPartials += other.repeatedPartials;
    this.late += other.late;
    this.lateUntracked += other.lateUntracked;
    for (const [code, n] of other.deadLetters) this.deadLetters.set(code, (this.deadLetters.get(code) ?? 0) + n);
    for (const [id, n] of other.lateBySensor) this.countLateOf(id, n);
    return this;
  }

  static sum(parts: Iterable<WorkerCounters>, maxSensors = DEFAULT_MAX_SENSORS): WorkerCounters {
    const total = new WorkerCounters(maxSensors);
    for (const part of parts) total.add(part);
    return total;
  }
}
