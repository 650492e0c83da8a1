/**
 * The runtime config (window-size schedule, allowed lateness) lives in a Kafka topic, not in
 * process memory, so every worker — restarted or added later — applies a size change at the
 * same event time. Each process reads the topic from the beginning and keeps the latest record.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { configRecordSchema, describeIssues, type ConfigRecord, type ConfigUpdate } from '../../lib/contract';
import { scheduleOf, scheduleToRecord } from '../../lib/configView';
import { scheduleChange, singleSizeSchedule } from '../../lib/engine/schedule';
import type { AppConfig } from '../config';
import { createProducer } from '../kafka/client';
import { SupervisedConsumer } from '../kafka/supervisedConsumer';
import { kafkaRetry } from '../kafka/retriable';
import { log } from '../log';

const CONFIG_KEY = 'config';

export interface ConfigStoreEvents {
  change: [ConfigRecord];
}

export class ConfigStore extends EventEmitter<ConfigStoreEvents> {
  private latest: ConfigRecord | null = null;
  private readonly consumer: SupervisedConsumer;
  private readonly producer: Producer;
  private consumedOffset = -1;
  private readonly waiters: { offset: number; resolve: () => void }[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly config: AppConfig,
  ) {
    super();
    this.consumer = new SupervisedConsumer(kafka, { groupId: `windowpane-config-${randomUUID()}` }, 'config', (consumer) =>
      this.run(consumer),
    );
    this.producer = createProducer(kafka);
  }

  get current(): ConfigRecord {
    if (!this.latest) throw new Error('config store not started');
    return this.latest;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.start();
    const admin = this.kafka.admin();
    await admin.connect();
    const [end] = await kafkaRetry(`offsets of ${this.config.configTopic}`, () => admin.fetchTopicOffsets(this.config.configTopic)).finally(() =>
      admin.disconnect(),
    );
    const highWatermark = Number(end.high);
    if (highWatermark === 0) {
      await this.publish({
        version: 1,
        schedule: scheduleToRecord(singleSizeSchedule(this.config.windowMs)),
        allowedLatenessMs: this.config.allowedLatenessMs,
        updatedAt: Date.now(),
      });
    } else {
      await this.waitForOffset(highWatermark - 1);
    }
  }

  /** Reads the whole topic, keeping the latest record (a restarted consumer reads it again). */
  private async run(consumer: Consumer): Promise<void> {
    await consumer.subscribe({ topic: this.config.configTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        this.apply(message.value);
        this.consumedOffset = Math.max(this.consumedOffset, Number(message.offset));
        for (const w of this.waiters.splice(0)) {
          if (w.offset <= this.consumedOffset) w.resolve();
          else this.waiters.push(w);
        }
      },
    });
  }

  /**
   * Applies a validated update. A size change is scheduled at an event time far enough ahead
   * that no reading at or after it can have been windowed yet: readings more than
   * `maxFutureMs` ahead of wall-clock time are rejected as invalid, so `lead` covers them.
   */
  async update(update: ConfigUpdate, nowMs: number, latestEventTimeMs = 0): Promise<ConfigRecord> {
    const current = this.current;
    let schedule = scheduleOf(current);
    if (update.windowSeconds !== undefined) {
      const leadMs = this.config.maxFutureMs + 2_000;
      const earliest = Math.max(nowMs, latestEventTimeMs) + leadMs;
      schedule = scheduleChange(schedule, Math.round(update.windowSeconds * 1000), earliest);
    }
    const next: ConfigRecord = {
      version: current.version + 1,
      schedule: scheduleToRecord(schedule),
      allowedLatenessMs:
        update.allowedLatenessSeconds === undefined
          ? current.allowedLatenessMs
          : Math.round(update.allowedLatenessSeconds * 1000),
      updatedAt: nowMs,
    };
    await this.publish(next);
    return this.current;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.stop(), this.producer.disconnect()]);
  }

  private async publish(record: ConfigRecord): Promise<void> {
    const [meta] = await this.producer.send({
      topic: this.config.configTopic,
      acks: -1,
      messages: [{ key: CONFIG_KEY, value: JSON.stringify(record) }],
    });
    await this.waitForOffset(Number(meta.baseOffset ?? meta.offset));
  }

  private waitForOffset(offset: number): Promise<void> {
    if (offset <= this.consumedOffset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`config topic not read up to offset ${offset} within 30 s`)), 30_000);
      this.waiters.push({ offset, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private apply(value: Buffer | null): void {
    if (value === null) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch {
      log.error({ topic: this.config.configTopic }, 'config record is not JSON; ignored');
      return;
    }
    const result = configRecordSchema.safeParse(parsed);
    if (!result.success) {
      log.error({ reason: describeIssues(result.error) }, 'config record is invalid; ignored');
      return;
    }
    if (this.latest && result.data.version < this.latest.version) return;
    this.latest = result.data;
    this.emit('change', result.data);
  }
}
