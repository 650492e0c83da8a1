/**
 * The windowing worker: consumes the input topic in one consumer group and hands each assigned
 * partition to a PartitionTask (exactly-once: see partitionTask.ts). Watermarks are per
 * partition, so a quiet partition never holds back the others.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ConfigRecord, WorkerStats } from '../lib/contract';
import { topLateSensors } from '../lib/stats/clusterStats';
import { scheduleOf } from '../lib/configView';
import type { AppConfig } from './config';
import type { ConfigStore } from './configStore';
import { log } from './log';
import { PartitionTask } from './partitionTask';
import { RateLimitedLog } from './rateLimitedLog';
import { WorkerCounters } from '../lib/stats/workerCounters';
import { SupervisedConsumer } from './kafka/supervisedConsumer';

const ADVANCE_EVERY_MS = 200;

export class Worker {
  private readonly consumer: SupervisedConsumer;
  private readonly admin: Admin;
  private readonly tasks = new Map<number, PartitionTask>();
  /** Tasks let go but still finishing their last step: counted until they are done. */
  private readonly closing = new Map<PartitionTask, Promise<void>>();
  /** Counts of the tasks this worker has let go, so totals never go down. */
  private readonly retired = new WorkerCounters();
  private assigned: number[] = [];
  private rebalanceCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private knownEntries = new Set<string>();
  /**
   * Wall-clock time of the last completed fetch. Idle advance uses this, not the current time:
   * a partition is idle only while we can see that nothing arrives. During a broker outage the
   * clock stops, so readings written meanwhile are not made late by an outage.
   */
  private lastFetchAt = 0;
  private readonly invalidLog = new RateLimitedLog(log.child({ component: 'worker' }), 10);

  constructor(
    private readonly kafka: Kafka,
    private readonly config: AppConfig,
    private readonly configStore: ConfigStore,
    private readonly commitDelay: { observe(seconds: number): void } = { observe: () => undefined },
  ) {
    this.consumer = new SupervisedConsumer(
      kafka,
      {
        groupId: config.workerGroupId,
        // Bigger fetches mean fewer transactions per reading, the main cost of exactly-once.
        maxBytes: 32 * 1024 * 1024,
        maxBytesPerPartition: 8 * 1024 * 1024,
        readUncommitted: false,
        sessionTimeout: config.workerSessionTimeoutMs,
        heartbeatInterval: Math.min(3_000, Math.floor(config.workerSessionTimeoutMs / 5)),
        // Short empty fetches keep `lastFetchAt` fresh, so idle advance follows the clock closely.
        maxWaitTimeInMs: 500,
      },
      'worker',
      (consumer) => this.run(consumer),
    );
    this.admin = kafka.admin();
  }

  async start(): Promise<void> {
    await this.admin.connect();
    this.applyConfig(this.configStore.current);
    this.configStore.on('change', (record) => this.applyConfig(record));
    await this.consumer.start();
    this.timer = setInterval(() => this.advanceAll(), ADVANCE_EVERY_MS);
  }

  /** Runs one consumer; called again with a new one after a crash kafkajs does not recover from. */
  private async run(consumer: Consumer): Promise<void> {
    // A new consumer starts from the committed offsets, so every task restarts from its checkpoint.
    this.dropAllTasks();
    consumer.on(consumer.events.FETCH, () => {
      this.lastFetchAt = Date.now();
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // Positions are reset to the committed offsets on every rebalance, so every task restarts
      // from its checkpoint, including those of partitions this worker keeps.
      this.dropAllTasks();
      this.rebalanceCount++;
      this.assigned = [...(payload.memberAssignment[this.config.inputTopic] ?? [])].sort((a, b) => a - b);
      log.info({ partitions: this.assigned }, 'worker assigned partitions');
    });
    await consumer.subscribe({ topic: this.config.inputTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Each partition commits its own transactions; while one waits on the broker, another computes.
      partitionsConsumedConcurrently: Math.max(1, this.config.inputPartitions),
      eachBatch: (payload) => this.onBatch(consumer, payload),
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer.stop();
    this.dropAllTasks();
    await Promise.all(this.closing.values());
    await this.admin.disconnect();
  }

  private async onBatch(consumer: Consumer, { batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale()) return;
    let task = this.tasks.get(batch.partition);
    if (!task) {
      task = new PartitionTask(batch.partition, {
        kafka: this.kafka,
        admin: this.admin,
        config: this.config,
        configStore: this.configStore,
        invalidLog: this.invalidLog,
        commitDelay: this.commitDelay,
        onFailure: (failed) => {
          if (this.tasks.get(failed.partition) === failed) this.release(failed);
        },
      });
      this.tasks.set(batch.partition, task);
      let startAt: number | null;
      try {
        startAt = await task.init();
      } catch (error) {
        // A task that could not start has no state: the next batch must start a new one.
        this.release(task);
        throw error;
      }
      if (startAt !== null) {
        // The consumer may have fetched its position before the fencing in init(); read from the final one.
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(startAt) });
        return;
      }
    }
    await task.processBatch(batch.topic, batch.messages);
    // Moves the fetch position only; progress is committed inside the task's transactions.
    resolveOffset(batch.lastOffset());
    await heartbeat();
  }

  private dropAllTasks(): void {
    for (const task of [...this.tasks.values()]) this.release(task);
  }

  /** Lets a task go: it finishes its step in progress, then its counts join the retired ones. */
  private release(task: PartitionTask): void {
    if (this.tasks.get(task.partition) === task) this.tasks.delete(task.partition);
    if (this.closing.has(task)) return;
    this.closing.set(
      task,
      task.close().then(() => {
        this.closing.delete(task);
        this.retired.add(task.counters);
      }),
    );
  }

  /** Everything this worker has counted since it started. */
  totals(): WorkerCounters {
    const live = [...this.closing.keys(), ...this.tasks.values()].map((task) => task.counters);
    return WorkerCounters.sum([this.retired, ...live]);
  }

  /** Each partition's watermark (ms since the epoch), for the partitions this worker windows now. */
  watermarks(): { partition: number; watermarkMs: number }[] {
    return [...this.tasks.values()].filter((t) => Number.isFinite(t.watermarkMs)).map((t) => ({ partition: t.partition, watermarkMs: t.watermarkMs }));
  }

  /** Group rebalances this worker took part in. */
  get rebalances(): number {
    return this.rebalanceCount;
  }

  get assignedPartitions(): readonly number[] {
    return this.assigned;
  }

  get openWindows(): number {
    let open = 0;
    for (const task of this.tasks.values()) open += task.openSensorWindows;
    return open;
  }

  /** This worker's report to the stats topic. */
  stats(maxLateSensors: number): Omit<WorkerStats, 'instance' | 'at'> {
    const totals = this.totals();
    const watermarks = this.watermarks().map((w) => w.watermarkMs);
    return {
      partitions: [...this.assigned],
      readingsTotal: totals.readings,
      windowsTotal: totals.windows,
      lateTotal: totals.late,
      invalidTotal: totals.deadLettered,
      lateBySensor: topLateSensors(totals.lateBySensor, maxLateSensors),
      openWindows: this.openWindows,
      lowestWatermarkMs: watermarks.length > 0 ? Math.min(...watermarks) : null,
    };
  }

  private advanceAll(): void {
    const now = Math.min(Date.now(), this.lastFetchAt);
    for (const task of this.tasks.values()) void task.advance(now).catch(() => undefined);
  }

  private applyConfig(record: ConfigRecord): void {
    const schedule = scheduleOf(record);
    const added = schedule.filter((e) => !this.knownEntries.has(`${e.fromMs}/${e.windowMs}`));
    for (const task of this.tasks.values()) {
      for (const entry of added) {
        // Only possible if the change reached this worker after readings past its start time.
        if (task.maxEventTime >= entry.fromMs) {
          log.error({ partition: task.partition, fromMs: entry.fromMs }, 'window size change arrived after readings it applies to');
        }
      }
      task.setSchedule({ schedule, allowedLatenessMs: record.allowedLatenessMs });
    }
    this.knownEntries = new Set(schedule.map((e) => `${e.fromMs}/${e.windowMs}`));
  }
}
