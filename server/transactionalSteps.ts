/**
 * What both windowing stages' tasks share: steps run one at a time, each committing through the
 * partition's own transactional producer; the first failed step stops the task (logged, producer
 * closed) and is reported so the worker starts it again from its last commit.
 */
import type { Admin, Kafka } from 'kafkajs';
import { TransactionalPartition } from './kafka/transactionalPartition';
import { log } from './log';
import { StepQueue } from './stepQueue';

export class TransactionalSteps {
  readonly sink: TransactionalPartition;
  private readonly steps: StepQueue;

  constructor(
    kafka: Kafka,
    admin: Admin,
    source: { groupId: string; topic: string; partition: number },
    /** Names the task in its failure log line, e.g. "partition task". */
    what: string,
    onFailure: (error: Error) => void,
  ) {
    this.sink = new TransactionalPartition(kafka, admin, source);
    this.steps = new StepQueue((error) => {
      log.error({ topic: source.topic, partition: source.partition, error: error.message }, `${what} failed; it restarts from its last commit`);
      void this.sink.disconnect().catch(() => undefined);
      onFailure(error);
    });
  }

  enqueue(step: () => Promise<void>): Promise<void> {
    return this.steps.enqueue(step);
  }

  /** Stops after the step in progress; an open transaction is aborted by the next owner's fencing. */
  close(): Promise<void> {
    return this.steps
      .close()
      .then(() => this.sink.disconnect())
      .catch(() => undefined);
  }
}
