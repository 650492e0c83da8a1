/**
 * What a windowing stage needs from the outside world, as plain interfaces: the records it reads,
 * the records it writes, and the sink that commits a step atomically. server/ gives it Kafka
 * (server/worker/transactionalPartition.ts); unit tests give it memory.
 */

/** One consumed record, in kafkajs' own shape (so batches are passed on as they are). */
export interface StageRecord {
  /** Decimal text, as the Kafka client gives it. */
  offset: string;
  /** The Kafka record's timestamp: epoch ms as decimal text. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface OutputMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
  timestamp?: string;
  headers?: Record<string, string>;
}

export interface OutputRecords {
  topic: string;
  messages: OutputMessage[];
}

export interface CommittedPosition {
  /** Null: nothing committed yet (read from the beginning). */
  offset: number | null;
  metadata: string | undefined;
}

/** Where a stage's steps go: each commit is all-or-nothing (records, resume offset and checkpoint). */
export interface StepSink {
  /** Fences earlier owners of the partition, then reads what was committed. */
  start(): Promise<CommittedPosition>;
  commit(records: OutputRecords[], offset: number, checkpoint: string): Promise<void>;
}

/** The part of a pino logger the stages use. */
export interface StageLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** Observes how long closed windows waited for their commit, in seconds (a Prometheus histogram). */
export interface CommitDelay {
  observe(seconds: number): void;
}
