/**
 * What the worker drives: both windowing stages (partitionStage.ts, mergeStage.ts) run as tasks the
 * same way (server/worker/stageTask.ts), and the worker never asks which one it holds. What only the
 * first stage has (an input partition's watermark, its windowing rules, idle advance) is the
 * optional `inputWindowing`.
 */
import type { QuietSpan } from '../engine/eventClock';
import type { WindowSchedule } from '../engine/schedule';
import type { WorkerCounters } from '../stats/workerCounters';
import type { StageRecord } from './stepSink';

export interface WindowingRules {
  schedule: WindowSchedule;
  allowedLatenessMs: number;
}

export interface Stage {
  /** How logs name its task: 'partition task' or 'merge task'. */
  readonly taskName: string;
  /** The partition it reads (of the input topic or of the partials topic). */
  readonly partition: number;
  /** This stage's own counts; the worker adds them up with its other tasks'. */
  readonly counters: WorkerCounters;
  /** Offset after the last record this stage has taken in (transaction markers included). */
  readonly readUpTo: number;
  /** Sensor windows open now. */
  readonly openSensorWindows: number;
  /** Fences earlier owners, loads the checkpoint; returns the offset to read from (null: the beginning). */
  start(): Promise<number | null>;
  /**
   * Takes in consumed records. `nextOffset`: the offset after the batch's last record, control
   * records of transactional producers included, so that a partition read to its end shows so.
   */
  processBatch(records: readonly StageRecord[], nextOffset?: number): Promise<void>;
  /** Present on the first stage only: the merge stage's windows close by its sources' watermarks. */
  readonly inputWindowing?: InputWindowing;
}

/** A first-stage task's windowing of its input partition, as the worker reports, tunes and advances it. */
export interface InputWindowing {
  readonly partition: number;
  readonly readUpTo: number;
  readonly watermarkMs: number;
  readonly maxEventTimeMs: number;
  /** A window-size or lateness change: sizes apply from their own start time, lateness at once. */
  setRules(rules: WindowingRules): void;
  /**
   * Closes windows by watermark, idle advance included (see EventClock.advanceIdle for `quiet`:
   * the span over which the input partition is known to have been read to its end, null unknown).
   */
  advance(quiet: QuietSpan | null): Promise<void>;
}
