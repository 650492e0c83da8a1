/**
 * Exactly-once merge of one partials partition (the second stage, for input not keyed by sensor):
 * partial windows from every input partition are added up per sensor and window, and a window is
 * written to the output topic once every input partition's watermark has passed its end (see
 * lib/engine/mergeEngine.ts). Like the first stage, each step commits one transaction with the
 * windows, the partials offset and a checkpoint (each input partition's watermark), and a restart
 * replays the partials of the windows still open.
 */
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { decodeMergeCheckpoint, encodeMergeCheckpoint } from '../lib/checkpoint';
import { MergeEngine } from '../lib/engine/mergeEngine';
import type { WindowResult } from '../lib/engine/windowEngine';
import { decodePartialsRecord } from '../lib/partials';
import { WorkerCounters } from '../lib/stats/workerCounters';
import { encodeWindowRecord } from '../lib/windowRecord';
import type { AppConfig } from './config';
import { log } from './log';
import { TransactionalSteps } from './transactionalSteps';

export interface MergeTaskDeps {
  kafka: Kafka;
  admin: Admin;
  config: AppConfig;
  /** Partitions of the input topic: the sources every window waits for. */
  inputPartitions: number;
  commitDelay: { observe(seconds: number): void };
  onFailure(task: MergeTask, error: Error): void;
}

export class MergeTask {
  private readonly steps: TransactionalSteps;
  private engine!: MergeEngine;
  private position = 0;
  private replayUntil = 0;
  private startAt = 0;
  readonly counters = new WorkerCounters();

  constructor(
    readonly partition: number,
    private readonly deps: MergeTaskDeps,
  ) {
    const source = { groupId: deps.config.workerGroupId, topic: deps.config.partialsTopic, partition };
    this.steps = new TransactionalSteps(deps.kafka, deps.admin, source, 'merge task', (error) => deps.onFailure(this, error));
  }

  get watermarkMs(): number {
    return this.engine?.watermarkMs ?? Number.NEGATIVE_INFINITY;
  }

  get openSensorWindows(): number {
    return this.engine?.openSensorWindowCount ?? 0;
  }

  async init(): Promise<number | null> {
    const { offset, metadata } = await this.steps.sink.start();
    const checkpoint = decodeMergeCheckpoint(metadata);
    if (checkpoint && checkpoint.sourceWatermarks.length !== this.deps.inputPartitions) {
      // The input gained partitions: watermarks are per input partition, so the new ones start unknown.
      log.warn({ was: checkpoint.sourceWatermarks.length, now: this.deps.inputPartitions }, 'input partition count changed');
    }
    this.engine = new MergeEngine(this.deps.inputPartitions, checkpoint ?? undefined);
    this.position = offset ?? 0;
    this.startAt = offset ?? 0;
    this.replayUntil = checkpoint?.resumeAt ?? 0;
    log.info({ topic: this.deps.config.partialsTopic, partition: this.partition, committedOffset: offset, replayUntil: this.replayUntil }, 'merge task started');
    return offset;
  }

  processBatch(messages: KafkaMessage[]): Promise<void> {
    return this.steps.enqueue(async () => {
      const { config } = this.deps;
      let processed = false;
      for (const message of messages) {
        const offset = Number(message.offset);
        if (offset < this.startAt || offset < this.position) continue;
        this.position = offset + 1;
        const record = decodePartialsRecord(message.value);
        if ('error' in record) {
          // Only windowpane writes this topic: a record it cannot read is a bug, not input to set aside.
          log.error({ topic: config.partialsTopic, partition: this.partition, offset: message.offset, error: record.error }, 'unreadable partials record skipped');
          continue;
        }
        if (offset < this.replayUntil) {
          // Watermarks before the checkpoint are in it already; partials rebuild the open windows.
          if (record.kind === 'partial') this.engine.addPartial(record.window, offset);
          continue;
        }
        processed = true;
        if (record.kind === 'watermark') this.engine.advanceSource(record.source, record.watermarkMs);
        else if (!this.engine.addPartial(record.window, offset)) {
          // Not expected: a partition's partials precede its watermark. Counted so it cannot hide.
          this.counters.late += record.window.count;
          log.error({ sensorId: record.window.sensorId, windowStart: record.window.windowStart, source: record.source }, 'partial for a window already emitted');
        }
      }
      if (!processed) return;
      const closedAt = Date.now();
      await this.commit(this.engine.close(), closedAt);
    });
  }

  close(): Promise<void> {
    return this.steps.close();
  }

  private async commit(windows: WindowResult[], closedAt: number): Promise<void> {
    const { config, commitDelay } = this.deps;
    const records = windows.length === 0 ? [] : [{ topic: config.outputTopic, messages: windows.map((w) => ({ key: w.sensorId, value: encodeWindowRecord(w), timestamp: String(closedAt) })) }];
    const replayFrom = this.engine.oldestOpenPosition() ?? this.position;
    await this.steps.sink.commit(records, replayFrom, encodeMergeCheckpoint({ resumeAt: this.position, ...this.engine.checkpoint() }));
    this.counters.windows += windows.length;
    if (windows.length > 0) commitDelay.observe(Math.max(0, Date.now() - closedAt) / 1000);
  }
}
