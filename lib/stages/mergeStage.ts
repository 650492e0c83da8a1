/**
 * Exactly-once merge of one partials partition (the second stage, for input not keyed by sensor):
 * partial windows from every input partition are added up per sensor and window, and a window is
 * written to the output topic once every input partition's watermark has passed its end (see
 * lib/engine/mergeEngine.ts). Like the first stage, each step commits one atomic sink step with
 * the windows, the partials offset and a checkpoint (each input partition's watermark), and a
 * restart replays the partials of the windows still open. Pure apart from its injected sink and
 * clock; calls must not overlap.
 */
import { decodeMergeCheckpoint, encodeMergeCheckpoint } from '../checkpoint';
import { MergeEngine } from '../engine/mergeEngine';
import type { WindowResult } from '../engine/windowStore';
import { decodePartialsRecord } from '../partials';
import { WorkerCounters } from '../stats/workerCounters';
import { accumulationFor, BASE_ONLY, type AggregateChoice } from '../aggregates/choice';
import { encodeWindowRecord } from '../windowRecord';
import { InputCursor } from './inputCursor';
import type { Stage } from './stage';
import type { CommitDelay, StageLog, StageRecord, StepSink } from './stepSink';

export interface MergeStageOptions {
  partition: number;
  /** Partitions of the input topic: the sources every window waits for. */
  inputPartitions: number;
  topics: { partials: string; output: string };
  /** The aggregates each window carries beyond the base five (absent: none). */
  aggregates?: AggregateChoice;
  sink: StepSink;
  clock: () => number;
  log: StageLog;
  commitDelay: CommitDelay;
}

export class MergeStage implements Stage {
  readonly taskName = 'merge task';
  private engine: MergeEngine | null = null;
  private readonly cursor = new InputCursor();
  readonly counters = new WorkerCounters();

  constructor(private readonly options: MergeStageOptions) {}

  private get aggregates(): AggregateChoice {
    return this.options.aggregates ?? BASE_ONLY;
  }

  get partition(): number {
    return this.options.partition;
  }

  get watermarkMs(): number {
    return this.engine?.watermarkMs ?? Number.NEGATIVE_INFINITY;
  }

  get openSensorWindows(): number {
    return this.engine?.openSensorWindowCount ?? 0;
  }

  async start(): Promise<number | null> {
    const { sink, inputPartitions, log, topics, partition } = this.options;
    const { offset, metadata } = await sink.start();
    const checkpoint = decodeMergeCheckpoint(metadata);
    if (checkpoint && checkpoint.sourceWatermarks.length !== inputPartitions) {
      // The input gained partitions: watermarks are per input partition, so the new ones start unknown.
      log.warn({ was: checkpoint.sourceWatermarks.length, now: inputPartitions }, 'input partition count changed');
    }
    this.engine = new MergeEngine(inputPartitions, checkpoint ?? undefined, accumulationFor(this.aggregates));
    this.cursor.restart(offset, checkpoint?.resumeAt ?? 0);
    log.info(
      { topic: topics.partials, partition, committedOffset: offset, replayUntil: this.cursor.replayUntil },
      'merge task started',
    );
    return offset;
  }

  /** Offset after the last record this stage has taken in (transaction markers included). */
  get readUpTo(): number {
    return this.cursor.readUpTo;
  }

  /** `nextOffset`: the offset after the batch's last record, transaction markers included. */
  async processBatch(records: readonly StageRecord[], nextOffset?: number): Promise<void> {
    const { engine } = this;
    if (!engine) throw new Error(`partials partition ${this.options.partition}: records before start()`);
    const { log, topics, partition } = this.options;
    let processed = false;
    let repeated = 0;
    /** Windows closed by this batch, with when: the first stage's moment its watermark passed them. */
    const closed: { windows: WindowResult[]; closedAt: number }[] = [];
    for (const { offset: offsetText, value, timestamp } of records) {
      const offset = Number(offsetText);
      const role = this.cursor.take(offset);
      if (role === 'skip') continue;
      const record = decodePartialsRecord(value);
      if ('error' in record) {
        // Only windowpane writes this topic: a record it cannot read is a bug, not input to set aside.
        log.error(
          { topic: topics.partials, partition, offset, error: record.error },
          'unreadable partials record skipped',
        );
        continue;
      }
      if (role === 'replay') {
        // Watermarks before the checkpoint are in it already; partials rebuild the open windows.
        for (const partial of record.partials)
          if (engine.addPartial(partial, record.source, offset, true) === 'repeated') repeated++;
        continue;
      }
      processed = true;
      for (const partial of record.partials)
        if (engine.addPartial(partial, record.source, offset) === 'repeated') repeated++;
      if (record.watermarkMs !== null) {
        engine.advanceSource(record.source, record.watermarkMs);
        // The record's timestamp is when the first stage saw its watermark pass: the windows this
        // watermark completes closed then (not when this step runs), so their delays count every hop.
        const windows = engine.close();
        if (windows.length > 0) closed.push({ windows, closedAt: Number(timestamp) });
      }
    }
    // Not expected, but survived: counted so it cannot hide (see MergeEngine's rules).
    if (repeated > 0) {
      this.counters.repeatedPartials += repeated;
      log.warn({ topic: topics.partials, partition, repeated }, 'partials a source had sent already were skipped');
    }
    this.cursor.passMarkers(records, nextOffset);
    if (!processed) return;
    await this.commit(engine, closed);
  }

  private async commit(engine: MergeEngine, closed: { windows: WindowResult[]; closedAt: number }[]): Promise<void> {
    const { topics, sink, clock, commitDelay } = this.options;
    const messages = closed.flatMap(({ windows, closedAt }) =>
      windows.map((w) => ({
        key: w.sensorId,
        value: encodeWindowRecord(w, this.aggregates.extras),
        timestamp: String(closedAt),
      })),
    );
    const records = messages.length === 0 ? [] : [{ topic: topics.output, messages }];
    const replayFrom = this.cursor.replayFrom(engine.oldestOpenPosition());
    await sink.commit(
      records,
      replayFrom,
      encodeMergeCheckpoint({ resumeAt: this.cursor.readUpTo, ...engine.checkpoint() }),
    );
    this.counters.windows += messages.length;
    const now = clock();
    for (const { windows, closedAt } of closed)
      for (let i = 0; i < windows.length; i++) commitDelay.observe(Math.max(0, now - closedAt) / 1000);
  }
}
