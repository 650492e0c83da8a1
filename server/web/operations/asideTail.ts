/**
 * The web tier's view of the records set aside: one consumer (a group of its own, read_committed)
 * follows the dead-letter topic, the late topic and the redrive topic. It keeps the newest records
 * of the first two per partition in bounded memory (lib/operations/asideRing.ts), and every
 * redrive ever recorded (a compacted topic: one small entry per redriven dead letter).
 *
 * A following consumer rather than a read per request: kafkajs can only consume in a group, and a
 * new group per page refresh would cost a group join each time (3 s with the broker's default
 * `group.initial.rebalance.delay.ms`) and leave the cluster full of dead groups.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { AsideRecordView } from '../../../lib/contract';
import { asideRecordView } from '../../../lib/operations/asideRecord';
import { AsideRing } from '../../../lib/operations/asideRing';
import { decodeRedriveEntry, type RedriveEntry } from '../../../lib/operations/redrive';
import { log } from '../../log';
import { kafkaRetry } from '../../kafka/retriable';
import { SupervisedConsumer } from '../../kafka/supervisedConsumer';

export interface AsideTopics {
  deadLetters: string;
  /** Empty: late readings are not written anywhere. */
  late: string;
  redrives: string;
}

/** Newest records kept per partition: the most GET /api/dead-letters?limit= may ask for. */
const KEPT_PER_PARTITION = 500;
/** Bytes of a key or value kept for display; a redrive reads the whole record from the topic again. */
const SHOWN_BYTES = 8 * 1024;

export class AsideTail {
  readonly deadLetters = new AsideRing(KEPT_PER_PARTITION);
  readonly late = new AsideRing(KEPT_PER_PARTITION);
  private readonly redrives = new Map<string, RedriveEntry>();
  /** By `${topic}/${partition}`: every offset below this has been read (markers included). */
  private readonly readThrough = new Map<string, number>();
  private readonly groupId = `windowpane-aside-${randomUUID()}`;
  private readonly consumer: SupervisedConsumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: AsideTopics,
  ) {
    this.consumer = new SupervisedConsumer(
      kafka,
      { groupId: this.groupId, readUncommitted: false, maxWaitTimeInMs: 500 },
      'aside',
      (consumer) => this.run(consumer),
    );
  }

  private get followed(): string[] {
    const { deadLetters, late, redrives } = this.topics;
    return [deadLetters, ...(late ? [late] : []), redrives];
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // The group is new: start the aside topics near their end (a transaction's marker takes an
      // offset too, so twice the records kept, and some), the redrive topic at its beginning.
      for (const topic of this.followed) {
        const ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
        const partitions = ends.map(({ partition, low, high }) => {
          const start =
            topic === this.topics.redrives
              ? Number(low)
              : Math.max(Number(low), Number(high) - 2 * KEPT_PER_PARTITION - 100);
          this.readThrough.set(`${topic}/${partition}`, start);
          return { partition, offset: String(start) };
        });
        await kafkaRetry(`offsets of group ${this.groupId}`, () =>
          admin.setOffsets({ groupId: this.groupId, topic, partitions }),
        );
      }
    } finally {
      await admin.disconnect();
    }
    await this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Offsets are committed, so a consumer restarted after a crash resumes where this one was. */
  private async run(consumer: Consumer): Promise<void> {
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}/${payload.partition}`;
      this.readThrough.set(key, Math.max(this.readThrough.get(key) ?? 0, Number(payload.lastOffset) + 1));
    });
    for (const topic of this.followed) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        const { topic, partition } = batch;
        for (const message of batch.messages) {
          if (topic === this.topics.redrives) this.acceptRedrive(message.key, message.value);
          else this.ringOf(topic).add(asideRecordView(topic, partition, message, SHOWN_BYTES));
        }
      },
    });
  }

  private ringOf(topic: string): AsideRing {
    return topic === this.topics.deadLetters ? this.deadLetters : this.late;
  }

  private acceptRedrive(key: Buffer | null, value: Buffer | null): void {
    const name = key?.toString('utf8');
    if (!name) return;
    const entry = decodeRedriveEntry(value);
    // A tombstone (null value) forgets a redrive, as compaction will.
    if (entry) this.redrives.set(name, entry);
    else if (value === null) this.redrives.delete(name);
    else log.warn({ topic: this.topics.redrives, key: name }, 'redrive record not understood; ignored');
  }

  redriveOf(key: string): RedriveEntry | undefined {
    return this.redrives.get(key);
  }

  /** The newest `limit` records, each dead letter with when it was last redriven. */
  latest(kind: 'dead-letters' | 'late', limit: number): AsideRecordView[] {
    if (kind === 'late') return this.late.latest(limit);
    const { deadLetters } = this.topics;
    return this.deadLetters
      .latest(limit)
      .map((r) => ({ ...r, redrivenAt: this.redrives.get(`${deadLetters}/${r.partition}/${r.offset}`)?.at ?? null }));
  }

  /**
   * Resolves once `topic` has been read up to its last stable offset as it is now: after a
   * redriver has fenced the others, every redrive committed before is then in memory.
   */
  async caughtUp(admin: Admin, topic: string, timeoutMs = 15_000): Promise<void> {
    const ends = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = ends.filter((e) => (this.readThrough.get(`${topic}/${e.partition}`) ?? 0) < Number(e.high));
      if (behind.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(
          `${topic} not read to its end within ${timeoutMs} ms (partitions ${behind.map((e) => e.partition).join(', ')})`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
