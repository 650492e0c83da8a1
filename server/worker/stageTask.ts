/**
 * A windowing stage (lib/stages) run against Kafka. Its sink is the partition's own transactional
 * producer (server/worker/transactionalPartition.ts), its clock the wall clock. Steps run one at a time;
 * the first failed step stops the task (logged, producer closed) and is reported, so the worker
 * starts it again from its last commit.
 */
import type { Admin, Kafka } from 'kafkajs';
import { inputDecoder } from '../../lib/input/inputDecoder';
import { MergeStage } from '../../lib/stages/mergeStage';
import { PartitionStage } from '../../lib/stages/partitionStage';
import type { Stage, WindowingRules } from '../../lib/stages/stage';
import type { CommitDelay } from '../../lib/stages/stepSink';
import type { AppConfig } from '../config';
import { TransactionalPartition } from './transactionalPartition';
import { log } from '../log';
import type { RateLimitedLog } from '../shared/rateLimitedLog';
import { StepQueue } from './stepQueue';

export class StageTask<S extends Stage = Stage> {
  private readonly queue: StepQueue;

  constructor(
    readonly stage: S,
    private readonly sink: TransactionalPartition,
    source: { topic: string; partition: number },
    onFailure: (task: StageTask<S>, error: Error) => void,
  ) {
    this.queue = new StepQueue((error) => {
      log.error(
        { topic: source.topic, partition: source.partition, error: error.message },
        `${stage.taskName} failed; it restarts from its last commit`,
      );
      void this.sink.disconnect().catch(() => undefined);
      onFailure(this, error);
    });
  }

  /** Runs `step` on the stage after the steps before it; a failure stops the task. */
  step(run: (stage: S) => void | Promise<void>): Promise<void> {
    return this.queue.enqueue(async () => run(this.stage));
  }

  /** Stops after the step in progress; an open transaction is aborted by the next owner's fencing. */
  close(): Promise<void> {
    return this.queue
      .close()
      .then(() => this.sink.disconnect())
      .catch(() => undefined);
  }
}

export interface TaskDeps {
  kafka: Kafka;
  admin: Admin;
  config: AppConfig;
  commitDelay: CommitDelay;
  onFailure(task: StageTask, error: Error): void;
}

/** A task for one partition of `topic`, its stage writing through the partition's own transactional producer. */
function taskOn<S extends Stage>(
  deps: TaskDeps,
  topic: string,
  partition: number,
  stageOn: (sink: TransactionalPartition) => S,
): StageTask<S> {
  const sink = new TransactionalPartition(deps.kafka, deps.admin, {
    groupId: deps.config.workerGroupId,
    topic,
    partition,
  });
  return new StageTask(stageOn(sink), sink, { topic, partition }, deps.onFailure);
}

/** The first stage's task for one input partition. */
export function partitionTask(
  partition: number,
  deps: TaskDeps & { invalidLog: RateLimitedLog; partialsPartitions: number; rules: () => WindowingRules },
): StageTask<PartitionStage> {
  const { config } = deps;
  return taskOn(
    deps,
    config.inputTopic,
    partition,
    (sink) =>
      new PartitionStage({
        partition,
        decode: inputDecoder(config),
        keyedBySensor: config.keyedBySensor,
        topics: {
          input: config.inputTopic,
          output: config.outputTopic,
          partials: config.partialsTopic,
          deadLetters: config.dlqTopic,
          late: config.lateTopic,
        },
        partialsPartitions: deps.partialsPartitions,
        idleTimeoutMs: config.idleTimeoutMs,
        maxSensorsPerWindow: config.maxSensors,
        aggregates: config.aggregates,
        rules: deps.rules,
        sink,
        clock: Date.now,
        log,
        invalidLog: deps.invalidLog,
        commitDelay: deps.commitDelay,
      }),
  );
}

/** The second stage's task for one partials partition. */
export function mergeTask(partition: number, deps: TaskDeps & { inputPartitions: number }): StageTask<MergeStage> {
  const { config } = deps;
  return taskOn(
    deps,
    config.partialsTopic,
    partition,
    (sink) =>
      new MergeStage({
        partition,
        inputPartitions: deps.inputPartitions,
        topics: { partials: config.partialsTopic, output: config.outputTopic },
        aggregates: config.aggregates,
        sink,
        clock: Date.now,
        log,
        commitDelay: deps.commitDelay,
      }),
  );
}
