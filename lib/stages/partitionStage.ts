/**
 * Exactly-once windowing of one input partition (the first stage). Pure apart from its injected
 * sink and clock, so the whole path — records in, dead letters, late readings, windows or partials
 * and watermark markers out, restart by replay — is unit-tested without Kafka.
 *
 * Each step commits one atomic sink step holding what it produced, with the input offset to resume
 * from and the partition checkpoint (lib/checkpoint.ts). What closed windows become depends on the
 * input:
 * - keyed by sensor id (INPUT_KEYED_BY_SENSOR): every sensor is in one partition, so they are
 *   final and go to the output topic;
 * - otherwise they are this partition's partial windows: they go to the partials topic keyed by
 *   sensor, followed by this partition's watermark sent to every partials partition, and the merge
 *   stage (mergeStage.ts) finishes each window once every input partition has passed its end.
 *
 * State is not written anywhere else: on start the stage reads the checkpoint, and the readings
 * from the committed offset (the first reading of the oldest open window) up to the checkpoint's
 * `resumeAt` are replayed into the engine to rebuild the open windows.
 *
 * Calls must not overlap: the caller runs them one at a time (server/worker/stageTask.ts).
 */
import { encodeAside, TOO_MANY_SENSORS } from '../asideEnvelope';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint';
import type { QuietSpan } from '../engine/eventClock';
import { windowFor, type WindowSchedule } from '../engine/schedule';
import { WindowEngine, type WindowResult } from '../engine/windowEngine';
import { inputRecordOf, type InputDecoder } from '../input/inputDecoder';
import { keyPartitioner } from '../keyPartition';
import { encodePartialsBatches } from '../partials';
import { WorkerCounters } from '../stats/workerCounters';
import { accumulationFor, BASE_ONLY, type AggregateChoice } from '../aggregates/choice';
import { encodeWindowRecord } from '../windowRecord';
import { InputCursor } from './inputCursor';
import type { InputWindowing, Stage, WindowingRules } from './stage';
import type { CommitDelay, OutputMessage, OutputRecords, StageLog, StageRecord, StepSink } from './stepSink';

export interface PartitionStageOptions {
  partition: number;
  /** The first stage's decode rule (lib/input/inputDecoder.ts). */
  decode: InputDecoder;
  keyedBySensor: boolean;
  topics: {
    /** Read from; named in the headers of records set aside. */
    input: string;
    output: string;
    partials: string;
    deadLetters: string;
    /** Empty: late readings are counted but not copied anywhere. */
    late: string;
  };
  /** Partitions of the partials topic (unkeyed input), each of which gets this partition's watermark. */
  partialsPartitions: number;
  idleTimeoutMs: number;
  /** MAX_SENSORS: sensors one window of this partition may hold; readings of further ones are dead letters. */
  maxSensorsPerWindow: number;
  /** The aggregates each window carries beyond the base five (absent: none). */
  aggregates?: AggregateChoice;
  /** The rules now: read once `start` has fenced earlier owners, so a change made meanwhile is not lost. */
  rules: () => WindowingRules;
  sink: StepSink;
  clock: () => number;
  log: StageLog;
  /** Where "invalid reading skipped" goes: a rate-limited log, as bad input can be every record. */
  invalidLog: Pick<StageLog, 'warn'>;
  commitDelay: CommitDelay;
}

export class PartitionStage implements Stage, InputWindowing {
  readonly taskName = 'partition task';
  readonly inputWindowing: InputWindowing = this;
  private engine: WindowEngine | null = null;
  private schedule: WindowSchedule = [];
  private readonly cursor = new InputCursor();
  /** The watermark last sent to the merge stage. */
  private sentWatermark = Number.NEGATIVE_INFINITY;
  /** This stage's own counts; the worker adds them up with its other tasks'. */
  readonly counters: WorkerCounters;
  /** The partials partition that merges a sensor's windows. */
  private readonly mergedIn: (sensorId: string) => number;

  constructor(private readonly options: PartitionStageOptions) {
    this.mergedIn = keyPartitioner(Math.max(1, options.partialsPartitions));
    this.counters = new WorkerCounters(options.maxSensorsPerWindow);
  }

  get partition(): number {
    return this.options.partition;
  }

  get watermarkMs(): number {
    return this.engine?.watermarkMs ?? Number.NEGATIVE_INFINITY;
  }

  get maxEventTimeMs(): number {
    return this.engine?.maxEventTimeMs ?? Number.NEGATIVE_INFINITY;
  }

  get openSensorWindows(): number {
    return this.engine?.openSensorWindowCount ?? 0;
  }

  /** Offset after the last record this stage has taken in: the input is read up to here. */
  get readUpTo(): number {
    return this.cursor.readUpTo;
  }

  /** Fences earlier owners, loads the checkpoint; returns the offset to read from (null: the beginning). */
  async start(): Promise<number | null> {
    const { sink, clock, idleTimeoutMs, log, partition } = this.options;
    const { offset, metadata } = await sink.start();
    const rules = this.options.rules();
    const checkpoint = decodeCheckpoint(metadata);
    const now = clock();
    this.schedule = rules.schedule;
    const engineOptions = {
      schedule: rules.schedule,
      allowedLatenessMs: rules.allowedLatenessMs,
      idleTimeoutMs,
      startedAtMs: now,
      maxSensorsPerWindow: this.options.maxSensorsPerWindow,
      accumulation: accumulationFor(this.options.aggregates ?? BASE_ONLY),
      partition,
    };
    this.engine = checkpoint
      ? WindowEngine.fromCheckpoint(checkpoint, engineOptions, now)
      : new WindowEngine(engineOptions);
    this.cursor.restart(offset, checkpoint?.resumeAt ?? 0);
    log.info({ partition, committedOffset: offset, replayUntil: this.cursor.replayUntil }, 'partition task started');
    return offset;
  }

  /** A window-size or lateness change: sizes apply from their own start time, lateness at once. */
  setRules(rules: WindowingRules): void {
    if (!this.engine) return;
    this.schedule = rules.schedule;
    this.engine.setSchedule(rules.schedule);
    this.engine.setAllowedLateness(rules.allowedLatenessMs);
  }

  /** See Stage.processBatch. */
  async processBatch(records: readonly StageRecord[], nextOffset?: number): Promise<void> {
    const engine = this.requireStarted();
    const { decode, topics, invalidLog, partition, clock } = this.options;
    const { counters } = this;
    const deadLetters: OutputMessage[] = [];
    const late: OutputMessage[] = [];
    let processed = false;
    // One clock reading per batch: a batch arrived at one moment.
    const now = clock();
    for (const record of records) {
      const offset = Number(record.offset);
      const role = this.cursor.take(offset);
      if (role === 'skip') continue;
      // Judged by the record alone (its own timestamp, not the clock): a replay decides as the first pass did.
      const decoded = decode(inputRecordOf(record));
      if (role === 'replay') {
        if (decoded.ok) engine.replay(decoded.reading, offset);
        continue;
      }
      processed = true;
      const source = { topic: topics.input, partition, offset };
      if (!decoded.ok) {
        counters.countDeadLetter(decoded.code);
        invalidLog.warn({ ...source, reason: decoded.reason }, 'invalid reading skipped');
        deadLetters.push(encodeAside(record, decoded.reason, source));
        continue;
      }
      const outcome = engine.ingest(decoded.reading, now, offset);
      if (outcome === 'too_many_sensors') {
        // Set aside like an invalid record (never in a window, redrivable), so the reference leaves it out too.
        counters.countDeadLetter(outcome);
        const reason = `${TOO_MANY_SENSORS}: its window already holds ${this.options.maxSensorsPerWindow} sensors`;
        invalidLog.warn({ ...source, reason }, 'reading of a new sensor set aside');
        deadLetters.push(encodeAside(record, reason, source));
        continue;
      }
      counters.readings++;
      if (outcome === 'late') {
        counters.countLate(decoded.reading.sensorId);
        late.push(encodeAside(record, 'late: its window was already emitted', source));
      }
    }
    this.cursor.passMarkers(records, nextOffset);
    if (!processed) return;
    const closedAt = clock();
    await this.commit(engine.closeReached(), deadLetters, late, closedAt);
  }

  /**
   * Closes windows by watermark, idle advance included (see EventClock.advanceIdle for `quiet`),
   * and tells the merge stage when the watermark passes a window boundary; not while open windows
   * are being rebuilt.
   */
  async advance(quiet: QuietSpan | null): Promise<void> {
    if (!this.engine || this.cursor.replaying) return;
    const now = this.options.clock();
    const closed = this.engine.advance(quiet);
    if (closed.length > 0 || this.mergeWaitsForWatermark()) await this.commit(closed, [], [], now);
  }

  private requireStarted(): WindowEngine {
    if (!this.engine) throw new Error(`partition ${this.options.partition}: records before start()`);
    return this.engine;
  }

  /** True when the watermark has passed a window end since it was last sent: a merge may close it. */
  private mergeWaitsForWatermark(): boolean {
    if (this.options.keyedBySensor || !this.engine) return false;
    const watermark = this.engine.watermarkMs;
    if (!Number.isFinite(watermark) || watermark <= this.sentWatermark) return false;
    return !Number.isFinite(this.sentWatermark) || windowFor(this.schedule, this.sentWatermark).end <= watermark;
  }

  /** `closedAt`: when the watermark passed the windows' ends; it becomes their records' timestamp. */
  private async commit(
    windows: WindowResult[],
    deadLetters: OutputMessage[],
    late: OutputMessage[],
    closedAt: number,
  ): Promise<void> {
    const engine = this.requireStarted();
    const { keyedBySensor, topics, partition, partialsPartitions, sink, clock, commitDelay } = this.options;
    const records: OutputRecords[] = [];
    const watermark = engine.watermarkMs;
    const sendWatermark = this.mergeWaitsForWatermark();
    const timestamp = String(closedAt);
    if (keyedBySensor && windows.length > 0) {
      records.push({
        topic: topics.output,
        messages: windows.map((w) => ({
          key: w.sensorId,
          value: encodeWindowRecord(w, this.options.aggregates?.extras),
          timestamp,
        })),
      });
    }
    if (!keyedBySensor && (windows.length > 0 || sendWatermark)) {
      // Each partials partition gets its sensors' partials, then (after them) this partition's
      // watermark, so a merge that sees the watermark has every partial it covers.
      const byPartition: WindowResult[][] = Array.from({ length: partialsPartitions }, () => []);
      for (const w of windows) byPartition[this.mergedIn(w.sensorId)].push(w);
      const messages: OutputMessage[] = [];
      byPartition.forEach((partials, p) => {
        for (const value of encodePartialsBatches(partition, partials, sendWatermark ? watermark : null))
          messages.push({ partition: p, value, timestamp });
      });
      if (messages.length > 0) records.push({ topic: topics.partials, messages });
    }
    if (deadLetters.length > 0) records.push({ topic: topics.deadLetters, messages: deadLetters });
    if (late.length > 0 && topics.late) records.push({ topic: topics.late, messages: late });
    const replayFrom = this.cursor.replayFrom(engine.oldestOpenPosition());
    await sink.commit(
      records,
      replayFrom,
      encodeCheckpoint({ resumeAt: this.cursor.readUpTo, ...engine.checkpoint() }),
    );
    if (sendWatermark) this.sentWatermark = watermark;
    if (keyedBySensor) {
      this.counters.windows += windows.length;
      if (windows.length > 0) commitDelay.observe(Math.max(0, clock() - closedAt) / 1000);
    } else this.counters.partials += windows.length;
  }
}
