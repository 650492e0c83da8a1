/**
 * Exactly-once windowing of one input partition.
 *
 * Each partition has its own transactional producer (transactional.id = group-topic-partition).
 * Starting one fences any earlier owner of the partition — a crashed worker or a zombie that lost
 * the partition in a rebalance — because kafkajs's `sendOffsets` has no KIP-447 group fencing.
 * Every step commits one transaction holding the closed windows, dead letters, late readings and
 * the consumer offset with the partition checkpoint in its metadata (see lib/checkpoint.ts), so
 * results and progress commit together or not at all.
 *
 * State is not written anywhere else: on start the task reads the checkpoint, and the readings
 * from the committed offset (the first reading of the oldest open window) up to the checkpoint's
 * `resumeAt` are replayed into the engine to rebuild the open windows.
 */
import type { Admin, Kafka, KafkaMessage, Message, PartitionOffset, Producer, TopicMessages } from 'kafkajs';
import { decodeCheckpoint, encodeCheckpoint } from '../lib/checkpoint';
import { scheduleOf } from '../lib/configView';
import { WindowEngine, type WindowResult } from '../lib/engine/windowEngine';
import { readingDecoder, type ReadingDecoder } from '../lib/input/readingDecoder';
import { encodeWindowRecord } from '../lib/windowRecord';
import type { AppConfig } from './config';
import type { ConfigStore } from './configStore';
import { createProducer } from './kafka/client';
import { chunkTopicMessages } from './kafka/requestChunks';
import { kafkaRetry } from './kafka/retriable';
import { log } from './log';
import { WorkerCounters } from '../lib/stats/workerCounters';
import type { RateLimitedLog } from './rateLimitedLog';

export interface PartitionTaskDeps {
  kafka: Kafka;
  admin: Admin;
  config: AppConfig;
  configStore: ConfigStore;
  invalidLog: RateLimitedLog;
  /** Window close (the watermark passing its end) → its transaction committed, in seconds. */
  commitDelay: { observe(seconds: number): void };
  onFailure(task: PartitionTask, error: Error): void;
}

const TRANSACTION_TIMEOUT_MS = 10_000;

export class PartitionTask {
  private readonly producer: Producer;
  private engine!: WindowEngine;
  /** Offset after the last reading processed (or replayed). */
  private position = 0;
  /** Readings below this offset were processed before the restart: replay them only. */
  private replayUntil = 0;
  /** Readings below this offset belong to a stale fetch from before `init`'s seek. */
  private startAt = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** This task's own counts; the worker adds them up with its other tasks'. */
  readonly counters = new WorkerCounters();
  private readonly decode: ReadingDecoder;

  constructor(
    readonly partition: number,
    private readonly deps: PartitionTaskDeps,
  ) {
    const { config } = deps;
    this.decode = readingDecoder(config.input, { maxFutureMs: config.maxFutureSeconds * 1000 });
    this.producer = createProducer(deps.kafka, {
      transactionalId: `${config.workerGroupId}-${config.inputTopic}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
    });
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

  /**
   * Fences earlier owners, then loads the checkpoint. Returns the offset the consumer must read
   * from (null: nothing committed yet, read from the beginning).
   */
  async init(): Promise<number | null> {
    const { admin, config, configStore } = this.deps;
    await this.producer.connect();
    // Only after fencing is the committed offset final: no earlier owner can commit any more.
    const [topicOffsets] = await kafkaRetry(`committed offset of partition ${this.partition}`, () =>
      admin.fetchOffsets({ groupId: config.workerGroupId, topics: [config.inputTopic] }),
    );
    const committed = topicOffsets.partitions.find((p) => p.partition === this.partition);
    const offset = committed && Number(committed.offset) >= 0 ? Number(committed.offset) : null;
    const checkpoint = decodeCheckpoint(committed?.metadata);
    const record = configStore.current;
    const options = {
      schedule: scheduleOf(record),
      allowedLatenessMs: record.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
    };
    this.engine = checkpoint ? WindowEngine.fromCheckpoint(checkpoint, options, Date.now()) : new WindowEngine(options);
    this.position = offset ?? 0;
    this.startAt = offset ?? 0;
    this.replayUntil = checkpoint?.resumeAt ?? 0;
    log.info({
      partition: this.partition,
      committedOffset: offset,
      replayUntil: this.replayUntil,
    }, 'partition task started');
    return offset;
  }

  setSchedule(options: { schedule: ReturnType<typeof scheduleOf>; allowedLatenessMs: number }): void {
    if (!this.engine) return;
    this.engine.setSchedule(options.schedule);
    this.engine.setAllowedLateness(options.allowedLatenessMs);
  }

  get maxEventTime(): number {
    return this.engine?.maxEventTime ?? Number.NEGATIVE_INFINITY;
  }

  processBatch(topic: string, messages: KafkaMessage[]): Promise<void> {
    return this.enqueue(async () => {
      const { invalidLog } = this.deps;
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
        const decoded = decode({ value: message.value, key: message.key, timestampMs }, timestampMs);
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
          deadLetters.push(this.aside(message, decoded.reason, source));
          continue;
        }
        const outcome = this.engine.ingest(decoded.reading, now, offset);
        counters.readings++;
        if (outcome === 'late') {
          counters.countLate(decoded.reading.sensorId);
          late.push(this.aside(message, 'late: its window was already emitted', source));
        }
      }
      if (!processed) return;
      const closedAt = Date.now();
      await this.commit(this.engine.advance(closedAt), deadLetters, late, closedAt);
    });
  }

  /** Closes windows by watermark (idle advance included); not while open windows are being rebuilt. */
  advance(nowMs: number): Promise<void> {
    return this.enqueue(async () => {
      if (!this.engine || this.replaying) return;
      const closed = this.engine.advance(nowMs);
      if (closed.length > 0) await this.commit(closed, [], [], Date.now());
    });
  }

  /** Stops after the step in progress; an open transaction is aborted by the next owner's fencing. */
  close(): Promise<void> {
    this.closed = true;
    return this.queue.then(() => this.producer.disconnect()).catch(() => undefined);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.closed ? undefined : step()));
    this.queue = run.catch((error: Error) => {
      if (this.closed) return;
      this.closed = true;
      log.error({ partition: this.partition, error: error.message }, 'partition task failed; it restarts from its last commit');
      void this.producer.disconnect().catch(() => undefined);
      this.deps.onFailure(this, error);
    });
    return run;
  }

  private aside(message: KafkaMessage, reason: string, source: { topic: string; partition: string; offset: string }): Message {
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

  /** `closedAt`: when the watermark passed the windows' ends; it becomes their records' timestamp. */
  private async commit(windows: WindowResult[], deadLetters: Message[], late: Message[], closedAt: number): Promise<void> {
    const { config, commitDelay } = this.deps;
    const topicMessages: TopicMessages[] = [];
    if (windows.length > 0) {
      topicMessages.push({
        topic: config.outputTopic,
        messages: windows.map((w) => ({ key: w.sensorId, value: encodeWindowRecord(w), timestamp: String(closedAt) })),
      });
    }
    if (deadLetters.length > 0) topicMessages.push({ topic: config.dlqTopic, messages: deadLetters });
    if (late.length > 0 && config.lateTopic) topicMessages.push({ topic: config.lateTopic, messages: late });
    const replayFrom = this.engine.oldestOpenPosition() ?? this.position;
    const metadata = encodeCheckpoint({ resumeAt: this.position, ...this.engine.checkpoint() });
    const requests = chunkTopicMessages(topicMessages);
    // The coordinator may still be completing our previous commit. The Java client retries this;
    // kafkajs does not for AddPartitions/AddOffsets. The broker refused, so nothing was
    // committed: the same records go again in a new transaction.
    await kafkaRetry(
      `transaction of partition ${this.partition}`,
      async () => {
        const transaction = await this.producer.transaction();
        try {
          for (const request of requests) await transaction.sendBatch({ topicMessages: request });
          await transaction.sendOffsets({
            consumerGroupId: config.workerGroupId,
            // kafkajs sends `metadata` (TxnOffsetCommit v0) although its typings omit it.
            topics: [{ topic: config.inputTopic, partitions: [{ partition: this.partition, offset: String(replayFrom), metadata } as PartitionOffset] }],
          });
          await transaction.commit();
        } catch (error) {
          await transaction.abort().catch(() => undefined);
          throw error;
        }
      },
      { retries: 10, initialDelayMs: 20, maxDelayMs: 1_000, retriable: isConcurrentTransactions, onRetry: undefined },
    );
    this.counters.windows += windows.length;
    if (windows.length > 0) commitDelay.observe(Math.max(0, Date.now() - closedAt) / 1000);
  }
}

function isConcurrentTransactions(error: unknown): boolean {
  return (error as { type?: string }).type === 'CONCURRENT_TRANSACTIONS';
}
