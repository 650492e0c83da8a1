/**
 * Exactly-once windowing of one input partition (the first stage).
 *
 * Each step commits one transaction (see kafka/transactionalPartition.ts) holding what the step
 * produced — the dead letters, the late readings, and the windows the watermark closed — with the
 * input offset and the partition checkpoint (lib/checkpoint.ts). What the closed windows become
 * depends on the input:
 * - keyed by sensor id (INPUT_KEYED_BY_SENSOR): every sensor is in one partition, so they are
 *   final and go to the output topic;
 * - otherwise they are this partition's partial windows: they go to the partials topic keyed by
 *   sensor, followed by this partition's watermark sent to every partials partition, and the merge
 *   stage (mergeTask.ts) finishes each window once every input partition has passed its end.
 *
 * State is not written anywhere else: on start the task reads the checkpoint, and the readings
 * from the committed offset (the first reading of the oldest open window) up to the checkpoint's
 * `resumeAt` are replayed into the engine to rebuild the open windows.
 */
import type { Admin, Kafka, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import { decodeCheckpoint, encodeCheckpoint } from '../lib/checkpoint';
import { scheduleOf } from '../lib/configView';
import { windowFor, type WindowSchedule } from '../lib/engine/schedule';
import { WindowEngine, type WindowResult } from '../lib/engine/windowEngine';
import { readingDecoder, type ReadingDecoder } from '../lib/input/readingDecoder';
import { encodePartial, encodeWatermark } from '../lib/partials';
import { WorkerCounters } from '../lib/stats/workerCounters';
import { encodeWindowRecord } from '../lib/windowRecord';
import type { AppConfig } from './config';
import type { ConfigStore } from './configStore';
import { log } from './log';
import type { RateLimitedLog } from './rateLimitedLog';
import { TransactionalSteps } from './transactionalSteps';

export interface PartitionTaskDeps {
  kafka: Kafka;
  admin: Admin;
  config: AppConfig;
  configStore: ConfigStore;
  invalidLog: RateLimitedLog;
  /** Partitions of the partials topic (unkeyed input), each of which gets this partition's watermark. */
  partialsPartitions: number;
  /** Window close (the watermark passing its end) → its transaction committed, in seconds. */
  commitDelay: { observe(seconds: number): void };
  onFailure(task: PartitionTask, error: Error): void;
}

export class PartitionTask {
  private readonly steps: TransactionalSteps;
  private engine!: WindowEngine;
  private schedule!: WindowSchedule;
  /** Offset after the last reading processed (or replayed). */
  private position = 0;
  /** Readings below this offset were processed before the restart: replay them only. */
  private replayUntil = 0;
  /** Readings below this offset belong to a stale fetch from before `init`'s seek. */
  private startAt = 0;
  /** The watermark last sent to the merge stage. */
  private sentWatermark = Number.NEGATIVE_INFINITY;
  /** This task's own counts; the worker adds them up with its other tasks'. */
  readonly counters = new WorkerCounters();
  private readonly decode: ReadingDecoder;

  constructor(
    readonly partition: number,
    private readonly deps: PartitionTaskDeps,
  ) {
    const { config } = deps;
    this.decode = readingDecoder(config.input, { maxFutureMs: config.maxFutureSeconds * 1000 });
    const source = { groupId: config.workerGroupId, topic: config.inputTopic, partition };
    this.steps = new TransactionalSteps(deps.kafka, deps.admin, source, 'partition task', (error) => deps.onFailure(this, error));
  }

  get watermarkMs(): number {
    return this.engine?.watermarkMs ?? Number.NEGATIVE_INFINITY;
  }

  get openSensorWindows(): number {
    return this.engine?.openSensorWindowCount ?? 0;
  }

  get replaying(): boolean {
    return this.position < this.replayUntil;
  }

  get maxEventTime(): number {
    return this.engine?.maxEventTime ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * Fences earlier owners, then loads the checkpoint. Returns the offset the consumer must read
   * from (null: nothing committed yet, read from the beginning).
   */
  async init(): Promise<number | null> {
    const { config, configStore } = this.deps;
    const { offset, metadata } = await this.steps.sink.start();
    const checkpoint = decodeCheckpoint(metadata);
    const record = configStore.current;
    this.schedule = scheduleOf(record);
    const now = Date.now();
    const options = { schedule: this.schedule, allowedLatenessMs: record.allowedLatenessMs, idleTimeoutMs: config.idleTimeoutMs, startedAtMs: now };
    this.engine = checkpoint ? WindowEngine.fromCheckpoint(checkpoint, options, now) : new WindowEngine(options);
    this.position = offset ?? 0;
    this.startAt = offset ?? 0;
    this.replayUntil = checkpoint?.resumeAt ?? 0;
    log.info({ partition: this.partition, committedOffset: offset, replayUntil: this.replayUntil }, 'partition task started');
    return offset;
  }

  setSchedule(options: { schedule: WindowSchedule; allowedLatenessMs: number }): void {
    if (!this.engine) return;
    this.schedule = options.schedule;
    this.engine.setSchedule(options.schedule);
    this.engine.setAllowedLateness(options.allowedLatenessMs);
  }

  processBatch(topic: string, messages: KafkaMessage[]): Promise<void> {
    return this.steps.enqueue(async () => {
      const { invalidLog, config } = this.deps;
      const { counters, decode } = this;
      const deadLetters: Message[] = [];
      const late: Message[] = [];
      let processed = false;
      // One clock reading per batch: a batch arrived at one moment.
      const now = Date.now();
      for (const message of messages) {
        const offset = Number(message.offset);
        if (offset < this.startAt || offset < this.position) continue;
        // "Too far in the future" is judged against the record's own timestamp, not the clock, so
        // a replay after a crash decides exactly as the first pass did (and as the verifier does).
        const timestampMs = Number(message.timestamp);
        const key = config.keyedBySensor ? message.key : undefined;
        const decoded = decode({ value: message.value, key, timestampMs }, timestampMs);
        this.position = offset + 1;
        if (offset < this.replayUntil) {
          if (decoded.ok) this.engine.replay(decoded.reading, offset);
          continue;
        }
        processed = true;
        const source = { topic, partition: String(this.partition), offset: message.offset };
        if (!decoded.ok) {
          counters.countDeadLetter(decoded.code);
          invalidLog.warn({ ...source, partition: this.partition, reason: decoded.reason }, 'invalid reading skipped');
          deadLetters.push(aside(message, decoded.reason, source));
          continue;
        }
        const outcome = this.engine.ingest(decoded.reading, now, offset);
        counters.readings++;
        if (outcome === 'late') {
          counters.countLate(decoded.reading.sensorId);
          late.push(aside(message, 'late: its window was already emitted', source));
        }
      }
      if (!processed) return;
      const closedAt = Date.now();
      await this.commit(this.engine.advance(closedAt), deadLetters, late, closedAt);
    });
  }

  /**
   * Closes windows by watermark (idle advance included), and tells the merge stage when the
   * watermark passes a window boundary; not while open windows are being rebuilt.
   */
  advance(nowMs: number): Promise<void> {
    return this.steps.enqueue(async () => {
      if (!this.engine || this.replaying) return;
      const closed = this.engine.advance(nowMs);
      if (closed.length > 0 || this.mergeWaitsForWatermark()) await this.commit(closed, [], [], Date.now());
    });
  }

  /** Stops after the step in progress; an open transaction is aborted by the next owner's fencing. */
  close(): Promise<void> {
    return this.steps.close();
  }

  /** True when the watermark has passed a window end since it was last sent: a merge may close it. */
  private mergeWaitsForWatermark(): boolean {
    if (this.deps.config.keyedBySensor) return false;
    const watermark = this.engine.watermarkMs;
    if (!Number.isFinite(watermark) || watermark <= this.sentWatermark) return false;
    return !Number.isFinite(this.sentWatermark) || windowFor(this.schedule, this.sentWatermark).end <= watermark;
  }

  /** `closedAt`: when the watermark passed the windows' ends; it becomes their records' timestamp. */
  private async commit(windows: WindowResult[], deadLetters: Message[], late: Message[], closedAt: number): Promise<void> {
    const { config, commitDelay } = this.deps;
    const records: TopicMessages[] = [];
    const watermark = this.engine.watermarkMs;
    const sendWatermark = this.mergeWaitsForWatermark();
    if (windows.length > 0) {
      records.push(
        config.keyedBySensor
          ? { topic: config.outputTopic, messages: windows.map((w) => ({ key: w.sensorId, value: encodeWindowRecord(w), timestamp: String(closedAt) })) }
          : { topic: config.partialsTopic, messages: windows.map((w) => ({ key: w.sensorId, value: encodePartial(this.partition, w), timestamp: String(closedAt) })) },
      );
    }
    if (sendWatermark) {
      // After this partition's partials in every partials partition: a merge that sees it has them all.
      const marker = encodeWatermark(this.partition, watermark);
      records.push({ topic: config.partialsTopic, messages: Array.from({ length: this.deps.partialsPartitions }, (_, p) => ({ partition: p, value: marker })) });
    }
    if (deadLetters.length > 0) records.push({ topic: config.dlqTopic, messages: deadLetters });
    if (late.length > 0 && config.lateTopic) records.push({ topic: config.lateTopic, messages: late });
    const replayFrom = this.engine.oldestOpenPosition() ?? this.position;
    await this.steps.sink.commit(records, replayFrom, encodeCheckpoint({ resumeAt: this.position, ...this.engine.checkpoint() }));
    if (sendWatermark) this.sentWatermark = watermark;
    if (config.keyedBySensor) {
      this.counters.windows += windows.length;
      if (windows.length > 0) commitDelay.observe(Math.max(0, Date.now() - closedAt) / 1000);
    } else this.counters.partials += windows.length;
  }
}

function aside(message: KafkaMessage, reason: string, source: { topic: string; partition: string; offset: string }): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      'windowpane-reason': reason,
      'windowpane-topic': source.topic,
      'windowpane-partition': source.partition,
      'windowpane-offset': source.offset,
    },
  };
}
