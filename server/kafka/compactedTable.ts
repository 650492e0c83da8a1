/**
 * A compacted, keyed Kafka topic followed as a table (the config topic, the alert rules): every
 * process reads the topic from the beginning with a consumer group of its own and keeps following
 * it, so all of them hold the same table. A write returns once this process has read its own record
 * back, so a caller that reads the table right after sees it.
 * Key = row id, value = the row (JSON), null value (tombstone) = deleted.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { createProducer } from './client';
import { kafkaRetry } from './retriable';
import { SupervisedConsumer } from './supervisedConsumer';

/** What a record does to the table: `apply` decides (and may refuse a row, e.g. over a cap). */
export interface TableCodec {
  /** Called for every record in topic order; returns whether the table changed. */
  apply(key: string, value: Buffer | null): boolean;
}

const READ_BACK_TIMEOUT_MS = 30_000;

export class CompactedTable extends EventEmitter<{ change: [] }> {
  private readonly consumer: SupervisedConsumer;
  private readonly producer: Producer;
  private consumedOffset = -1;
  private readonly waiters: { offset: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    name: string,
    private readonly codec: TableCodec,
  ) {
    super();
    this.consumer = new SupervisedConsumer(kafka, { groupId: `windowpane-${name}-${randomUUID()}` }, name, (consumer) =>
      this.run(consumer),
    );
    this.producer = createProducer(kafka);
  }

  /** Resolves once the whole topic, as it was at the call, has been read, with its end offset then. */
  async start(): Promise<number> {
    await this.producer.connect();
    await this.consumer.start();
    const admin = this.kafka.admin();
    await admin.connect();
    const [end] = await kafkaRetry(`offsets of ${this.topic}`, () => admin.fetchTopicOffsets(this.topic)).finally(() =>
      admin.disconnect(),
    );
    const highWatermark = Number(end.high);
    if (highWatermark > 0) await this.waitForOffset(highWatermark - 1);
    return highWatermark;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0))
      w.reject(new Error(`${this.topic}: stopped before the write was read back`));
    await Promise.allSettled([this.consumer.stop(), this.producer.disconnect()]);
  }

  /** Writes a row (or, with null, a tombstone) and waits until this process has read it back. */
  async write(key: string, value: string | null): Promise<void> {
    const [meta] = await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value }] });
    await this.waitForOffset(Number(meta.baseOffset ?? meta.offset));
  }

  /** Reads the whole topic (a restarted consumer reads it again: applying a record twice is harmless). */
  private async run(consumer: Consumer): Promise<void> {
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        let changed = false;
        for (const message of batch.messages) {
          if (message.key === null) continue;
          if (this.codec.apply(message.key.toString('utf8'), message.value)) changed = true;
        }
        // lastOffset() also covers offsets that hold no record we see (compacted away, control records).
        this.consumedOffset = Math.max(this.consumedOffset, Number(batch.lastOffset()));
        if (changed) this.emit('change');
        for (const w of this.waiters.splice(0)) {
          if (w.offset <= this.consumedOffset) w.resolve();
          else this.waiters.push(w);
        }
      },
    });
  }

  private waitForOffset(offset: number): Promise<void> {
    if (offset <= this.consumedOffset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.topic} not read up to offset ${offset} within 30 s`)),
        READ_BACK_TIMEOUT_MS,
      );
      this.waiters.push({
        offset,
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }
}
