/**
 * The Operations view's server side, for the web role: the worker group's progress
 * (groupOverview.ts), the latest dead letters and late readings (asideTail.ts), and
 * redrives (redriver.ts). One admin client and one following consumer per process.
 */
import type { Admin, Kafka } from 'kafkajs';
import type {
  AsideRecordView,
  AsideRecordsPage,
  OperationsOverview,
  RedriveOutcome,
  RedriveRequest,
  Stats,
} from '../../../lib/contract';
import type { AppConfig } from '../../config';
import { AsideTail } from './asideTail';
import { DeadLetterReader } from './deadLetterReader';
import { readGroupOverview } from './groupOverview';
import { Redriver, type RedriveCounter } from './redriver';

export type AsideKind = 'dead-letters' | 'late';

/** What the HTTP API needs (server/http/api.ts, ApiContext.operations). */
export interface OperationsApi {
  overview(): Promise<OperationsOverview>;
  aside(kind: AsideKind, limit: number): AsideRecordsPage;
  /** One dead letter, whole (up to WHOLE_DEAD_LETTER_BYTES). */
  deadLetter(partition: number, offset: string): Promise<AsideRecordView>;
  redrive(request: RedriveRequest): Promise<{ status: number; body: RedriveOutcome }>;
}

export class Operations implements OperationsApi {
  private readonly admin: Admin;
  private readonly tail: AsideTail;
  private readonly redriver: Redriver;
  private readonly deadLetters: DeadLetterReader;

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
    counter: RedriveCounter,
    /** The group's counters, for rates; null in a process without them. */
    private readonly stats: () => Stats | null,
  ) {
    this.admin = kafka.admin();
    this.tail = new AsideTail(kafka, {
      deadLetters: config.dlqTopic,
      late: config.lateTopic,
      redrives: config.redriveTopic,
    });
    this.deadLetters = new DeadLetterReader(kafka, this.admin, config.dlqTopic);
    this.redriver = new Redriver(
      kafka,
      this.admin,
      this.tail,
      { deadLetters: config.dlqTopic, input: config.inputTopic, redrives: config.redriveTopic },
      counter,
    );
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.tail.start();
  }

  async stop(): Promise<void> {
    await this.tail.stop();
    await this.admin.disconnect();
  }

  overview(): Promise<OperationsOverview> {
    const { workerGroupId, inputTopic, partialsTopic, keyedBySensor } = this.config;
    const s = this.stats();
    const counters = s && {
      at: s.at,
      windowsTotal: s.windowsTotal,
      lateTotal: s.lateTotal,
      invalidTotal: s.invalidTotal,
    };
    // The group reads the partials topic only for input not keyed by sensor (server/worker.ts).
    return readGroupOverview(
      this.admin,
      { groupId: workerGroupId, inputTopic, partialsTopic: keyedBySensor ? null : partialsTopic },
      counters,
    );
  }

  aside(kind: AsideKind, limit: number): AsideRecordsPage {
    const topic = kind === 'late' ? this.config.lateTopic || null : this.config.dlqTopic;
    return { topic, records: topic === null ? [] : this.tail.latest(kind, limit) };
  }

  deadLetter(partition: number, offset: string): Promise<AsideRecordView> {
    return this.deadLetters.read(partition, offset);
  }

  redrive(request: RedriveRequest): Promise<{ status: number; body: RedriveOutcome }> {
    return this.redriver.redrive(request);
  }
}
