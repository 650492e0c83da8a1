/**
 * The windowing worker: consumes, in one consumer group, the input topic (a partition stage per
 * assigned partition: the first stage) and, for input not keyed by sensor, the partials topic (a
 * merge stage per assigned partition: the second stage). Both stages are exactly-once (see
 * lib/stages/). Watermarks are per input partition; a partition advances by the wall clock only
 * while the cluster shows it is idle (quietInputs.ts), so a quiet partition does not hold the
 * others back for long, and a slow or failing broker never makes on-time readings late.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { scheduleOf } from '../../lib/configView';
import type { ScheduleEntry } from '../../lib/engine/schedule';
import type { ConfigRecord, WorkerStats } from '../../lib/contract';
import { topLateSensors } from '../../lib/stats/clusterStats';
import { WorkerCounters } from '../../lib/stats/workerCounters';
import type { AppConfig } from '../config';
import type { ConfigStore } from '../shared/configStore';
import type { InputWindowing, WindowingRules } from '../../lib/stages/stage';
import { ReadContinuity } from '../../lib/stages/readContinuity';
import { QuietInputs } from './quietInputs';
import { kafkaRetry } from '../kafka/retriable';
import { SupervisedConsumer } from '../kafka/supervisedConsumer';
import { log } from '../log';
import { RateLimitedLog } from '../shared/rateLimitedLog';
import { mergeTask, partitionTask, type StageTask } from './stageTask';

const ADVANCE_EVERY_MS = 200;

type Task = StageTask;

interface Running {
  task: Task;
  /** Resolves once the task has fenced earlier owners and loaded its checkpoint. */
  ready: Promise<void>;
  /** Set when `ready` has resolved: batches may be handed to the task. */
  started: boolean;
  /** The last batch step queued, which may still be running. */
  lastStep?: Promise<void>;
  /** While a batch step is queued: the offset the stage will have read up to once it is done. */
  queuedUpTo?: number;
}

export class Worker {
  private readonly consumer: SupervisedConsumer;
  private readonly admin: Admin;
  /** By `${topic}/${partition}`. */
  private readonly tasks = new Map<string, Running>();
  /** Tasks let go but still finishing their last step: counted until they are done. */
  private readonly closing = new Map<Task, Promise<void>>();
  /** Counts of the tasks this worker has let go, so totals never go down. */
  private readonly retired: WorkerCounters;
  private assigned: number[] = [];
  /** The consumer running now and what the group gave it (topic → partitions). */
  private current: { consumer: Consumer; assignment: Record<string, number[]> } | null = null;
  private rebalanceCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private knownEntries = new Set<string>();
  private partitionCounts = { input: 0, partials: 0 };
  /** The evidence idle advance needs: every broker answers, and a partition is read to its end. */
  private readonly quiet: QuietInputs;
  private readonly invalidLog = new RateLimitedLog(log.child({ component: 'worker' }), 10);
  /** Tasks that failed are started again no sooner than this (by key), backing off while Kafka is away. */
  private readonly retryAt = new Map<string, { at: number; delayMs: number }>();
  private readonly continuity = new ReadContinuity();

  constructor(
    private readonly kafka: Kafka,
    private readonly config: AppConfig,
    private readonly configStore: ConfigStore,
    private readonly commitDelay: { observe(seconds: number): void } = { observe: () => undefined },
  ) {
    this.retired = new WorkerCounters(config.maxSensors);
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
        // A short fetch wait: readings reach their window sooner after a quiet spell.
        maxWaitTimeInMs: 500,
      },
      'worker',
      (consumer) => this.run(consumer),
    );
    this.admin = kafka.admin();
    this.quiet = new QuietInputs(kafka, {
      topic: config.inputTopic,
      intervalMs: config.quietProbe.intervalMs,
      timeoutMs: config.quietProbe.timeoutMs,
      graceMs: config.quietProbe.graceMs,
      readUpTo: () => new Map([...this.inputStages()].map((s) => [s.partition, s.readUpTo])),
    });
  }

  async start(): Promise<void> {
    await this.admin.connect();
    this.partitionCounts = {
      input: await this.partitionCount(this.config.inputTopic),
      partials: this.config.keyedBySensor ? 0 : await this.partitionCount(this.config.partialsTopic),
    };
    this.applyConfig(this.configStore.current);
    this.configStore.on('change', (record) => this.applyConfig(record));
    this.quiet.start();
    await this.consumer.start();
    this.timer = setInterval(() => this.advanceAll(), ADVANCE_EVERY_MS);
  }

  private async partitionCount(topic: string): Promise<number> {
    const { topics } = await kafkaRetry(`partitions of ${topic}`, () =>
      this.admin.fetchTopicMetadata({ topics: [topic] }),
    );
    return topics[0].partitions.length;
  }

  /** Runs one consumer; called again with a new one after a crash kafkajs does not recover from. */
  private async run(consumer: Consumer): Promise<void> {
    // A new consumer starts from the committed offsets, so every task restarts from its checkpoint.
    this.dropAllTasks();
    this.current = null;
    // A crashed or stopped consumer's assignment is void: no task is started for it any more.
    const forget = () => {
      if (this.current?.consumer === consumer) this.current = null;
    };
    consumer.on(consumer.events.CRASH, forget);
    consumer.on(consumer.events.STOP, forget);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // Positions are reset to the committed offsets on every rebalance, so every task restarts
      // from its checkpoint, including those of partitions this worker keeps.
      this.dropAllTasks();
      this.rebalanceCount++;
      const assignment = payload.memberAssignment;
      this.current = { consumer, assignment };
      this.assigned = [...(assignment[this.config.inputTopic] ?? [])].sort((a, b) => a - b);
      log.info(
        { partitions: this.assigned, merging: assignment[this.config.partialsTopic] ?? [] },
        'worker assigned partitions',
      );
      // Every assigned partition gets its task now, not at its first record: a partition with no
      // input must still advance its watermark, or the merge would wait for it for ever.
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) this.taskFor(consumer, topic, partition);
      }
    });
    const topics = this.config.keyedBySensor
      ? [this.config.inputTopic]
      : [this.config.inputTopic, this.config.partialsTopic];
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Each partition commits its own transactions; while one waits on the broker, another computes.
      partitionsConsumedConcurrently: Math.max(1, this.partitionCounts.input + this.partitionCounts.partials),
      eachBatch: (payload) => this.onBatch(consumer, payload),
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer.stop();
    this.dropAllTasks();
    await Promise.all(this.closing.values());
    await this.quiet.stop();
    await this.admin.disconnect();
  }

  private taskFor(consumer: Consumer, topic: string, partition: number): Running {
    const key = `${topic}/${partition}`;
    const existing = this.tasks.get(key);
    if (existing) return existing;
    const onFailure = (failed: Task) => {
      if (this.tasks.get(key)?.task === failed) this.release(key, true);
    };
    const { kafka, admin, config, commitDelay } = this;
    const rules = () => rulesOf(this.configStore.current);
    const task: Task =
      topic === config.partialsTopic
        ? mergeTask(partition, {
            kafka,
            admin,
            config,
            inputPartitions: this.partitionCounts.input,
            commitDelay,
            onFailure,
          })
        : partitionTask(partition, {
            kafka,
            admin,
            config,
            invalidLog: this.invalidLog,
            partialsPartitions: this.partitionCounts.partials,
            rules,
            commitDelay,
            onFailure,
          });
    const ready = task.stage.start().then(
      (startAt) => {
        // Batches fetched before this start (the consumer's position before the fencing in init(),
        // or beyond it when a task restarts without a rebalance) are marked stale by the seek and
        // dropped: the task reads from its committed offset (the log start when it has none).
        if (this.tasks.get(key)?.task !== task) return;
        this.retryAt.delete(key);
        running.started = true;
        consumer.seek({ topic, partition, offset: String(startAt ?? 0) });
        consumer.resume([{ topic, partitions: [partition] }]);
      },
      (error: Error) => {
        // A task that could not start has no state: the next batch must start a new one.
        log.error({ topic, partition, error: error.message }, 'task could not start; it is tried again');
        if (this.tasks.get(key)?.task === task) this.release(key, true);
        throw error;
      },
    );
    // A partition with no input has no batch to see a failure, so it is handled here too.
    void ready.catch(() => undefined);
    const running: Running = { task, ready, started: false };
    this.tasks.set(key, running);
    return running;
  }

  private async onBatch(
    consumer: Consumer,
    { batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload,
  ): Promise<void> {
    if (!isRunning() || isStale()) return;
    const running = this.taskFor(consumer, batch.topic, batch.partition);
    const { task } = running;
    // A start may take long: it waits until the previous owner's last offset commit is settled.
    // Waiting for it here would hold up every other partition (kafkajs fetches again only once
    // each batch of a fetch has returned) and this consumer's heartbeats, until the group drops
    // it and every task restarts. So the partition pauses, its batch left unresolved, and the
    // start resumes it at its committed offset. A task that failed to start or in a step has been
    // let go; it is started again (advanceAll) and reads this batch anew.
    if (!running.started) {
      consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
      return;
    }
    if (!this.continuesFrom(consumer, batch, running.queuedUpTo ?? task.stage.readUpTo)) return;
    const nextOffset = Number(batch.lastOffset()) + 1;
    const earlier = running.lastStep;
    const step = task.step((stage) => stage.processBatch(batch.messages, nextOffset));
    running.lastStep = step;
    running.queuedUpTo = nextOffset;
    // Pipelined: kafkajs fetches again only once every batch of its last fetch has returned, so
    // this returns once the step before this one is done, not this one. The next fetch then
    // overlaps this step's transaction (it waited on the broker, idle, a third of the time).
    // Moving the fetch position ahead of the commit is safe: progress is committed inside the
    // task's transactions, and a task whose step fails restarts from its last commit and seeks.
    resolveOffset(batch.lastOffset());
    void step.then(
      () => {
        if (running.lastStep === step) running.queuedUpTo = undefined;
      },
      () => undefined,
    );
    if (earlier) await settled(earlier);
    await heartbeat();
  }

  /** See lib/stages/readContinuity.ts: false when the partition is to be read again from `readUpTo`. */
  private continuesFrom(consumer: Consumer, batch: EachBatchPayload['batch'], readUpTo: number): boolean {
    const { topic, partition } = batch;
    const fetchedFrom = Number((batch as unknown as { fetchedOffset: string }).fetchedOffset);
    const verdict = this.continuity.check(`${topic}/${partition}`, fetchedFrom, readUpTo);
    if (verdict === 'reread') consumer.seek({ topic, partition, offset: String(readUpTo) });
    if (verdict === 'take-after-gap')
      log.info({ topic, partition, from: readUpTo, to: fetchedFrom }, 'offsets without records to read skipped');
    return verdict !== 'reread';
  }

  private dropAllTasks(): void {
    for (const key of [...this.tasks.keys()]) this.release(key);
  }

  /** Lets a task go: it finishes its step in progress, then its counts join the retired ones. */
  private release(key: string, failed = false): void {
    const running = this.tasks.get(key);
    if (!running) return;
    if (failed) {
      const delayMs = Math.min(30_000, 2 * (this.retryAt.get(key)?.delayMs ?? 500));
      this.retryAt.set(key, { at: Date.now() + delayMs, delayMs });
    } else this.retryAt.delete(key);
    this.tasks.delete(key);
    const { task } = running;
    if (this.closing.has(task)) return;
    this.closing.set(
      task,
      running.ready
        .catch(() => undefined)
        .then(() => task.close())
        .then(() => {
          this.closing.delete(task);
          this.retired.add(task.stage.counters);
        }),
    );
  }

  /** The first stage's tasks: their input partitions' windowing. */
  private *inputStages(): Iterable<InputWindowing> {
    for (const { task } of this.tasks.values()) if (task.stage.inputWindowing) yield task.stage.inputWindowing;
  }

  /** Everything this worker has counted since it started. */
  totals(): WorkerCounters {
    const live = [...this.closing.keys(), ...[...this.tasks.values()].map((r) => r.task)].map(
      (task) => task.stage.counters,
    );
    return WorkerCounters.sum([this.retired, ...live], this.config.maxSensors);
  }

  /** Each input partition's watermark (ms since the epoch), for the partitions this worker windows now. */
  watermarks(): { partition: number; watermarkMs: number }[] {
    return [...this.inputStages()]
      .filter((s) => Number.isFinite(s.watermarkMs))
      .map((s) => ({ partition: s.partition, watermarkMs: s.watermarkMs }));
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
    for (const { task } of this.tasks.values()) open += task.stage.openSensorWindows;
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
    // A task that could not start is started again here, even for a partition that gets no input.
    if (this.current) {
      const now = Date.now();
      for (const [topic, partitions] of Object.entries(this.current.assignment)) {
        for (const partition of partitions) {
          if ((this.retryAt.get(`${topic}/${partition}`)?.at ?? 0) <= now)
            this.taskFor(this.current.consumer, topic, partition);
        }
      }
    }
    for (const { task, ready } of this.tasks.values()) {
      const input = task.stage.inputWindowing;
      if (!input) continue;
      // Evidence is read when the step runs, not when it is queued: it may have changed meanwhile.
      void ready
        .then(() => task.step(() => input.advance(this.quiet.quietSpan(input.partition, Date.now()))))
        .catch(() => undefined);
    }
  }

  private applyConfig(record: ConfigRecord): void {
    const rules = rulesOf(record);
    const added = rules.schedule.filter((e) => !this.knownEntries.has(entryKey(e)));
    for (const stage of this.inputStages()) {
      for (const entry of added) {
        // Only possible if the change reached this worker after readings past its start time.
        if (stage.maxEventTimeMs >= entry.fromMs) {
          log.error(
            { partition: stage.partition, fromMs: entry.fromMs },
            'window size change arrived after readings it applies to',
          );
        }
      }
      stage.setRules(rules);
    }
    this.knownEntries = new Set(rules.schedule.map(entryKey));
  }
}

function entryKey(e: ScheduleEntry): string {
  return `${e.fromMs}/${e.windowMs}/${e.calendar ? `${e.calendar.unit}/${e.calendar.timeZone}` : ''}`;
}

function rulesOf(record: ConfigRecord): WindowingRules {
  return { schedule: scheduleOf(record), allowedLatenessMs: record.allowedLatenessMs };
}

/** True once `promise` resolves, false if it rejects (its failure is handled where it is raised). */
function settled(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => true,
    () => false,
  );
}
