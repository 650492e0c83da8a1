/**
 * The web tier's view of results: it consumes the output topic itself (its own consumer group,
 * starting a little in the past so a fresh server has history) into a WindowFeed
 * (lib/feed/windowFeed.ts: the last N windows per sensor) and hands new windows to the socket
 * layer in batches.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { FeedWindow } from '../../../lib/contract';
import { WindowFeed } from '../../../lib/feed/windowFeed';
import { parseWindowRecord } from '../../../lib/windowRecord';
import type { AppConfig } from '../../config';
import { startGroupAt } from '../../kafka/startGroupAt';
import { SupervisedConsumer } from '../../kafka/supervisedConsumer';
import { log } from '../../log';

/** Pushed windows kept for reconnecting browsers to catch up from (memory stays bounded). */
const RING_CAPACITY = 100_000;
const MAX_LOOKBACK_MS = 24 * 3_600_000;

export class WindowHistory extends EventEmitter<{ windows: [FeedWindow[]] }> {
  /** Identifies this server's feed: sequence numbers from another process mean nothing here. */
  readonly epoch = randomUUID();
  private readonly feed: WindowFeed;
  private readonly groupId = `windowpane-web-${randomUUID()}`;
  private readonly consumer: SupervisedConsumer;
  /** Windows closed since then are all in memory (unless a sensor's list is full). */
  private keptSince = Number.POSITIVE_INFINITY;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: AppConfig,
  ) {
    super();
    this.feed = new WindowFeed({
      perSensor: config.historyPerSensor,
      ringCapacity: RING_CAPACITY,
      maxSensors: config.maxSensors,
    });
    this.consumer = new SupervisedConsumer(kafka, { groupId: this.groupId }, 'web', (consumer) => this.run(consumer));
  }

  async start(lookbackMs: number): Promise<void> {
    // The group is new: start it at the first result of the lookback.
    this.keptSince = Date.now() - Math.min(lookbackMs, MAX_LOOKBACK_MS);
    await startGroupAt(this.kafka, this.groupId, this.config.outputTopic, this.keptSince);
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  /** Offsets are committed so a consumer restarted after a crash resumes where this one was. */
  private async run(consumer: Consumer): Promise<void> {
    await consumer.subscribe({ topic: this.config.outputTopic, fromBeginning: false });
    await consumer.run({
      autoCommit: true,
      // Pushed as each fetched batch is taken in, not on a timer: a batch is the natural unit (one
      // commit's windows), and a timer added half its period to every window's way to the browser.
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages)
          this.accept(message.value, batch.partition, message.offset, Number(message.timestamp));
        const pushed = this.feed.flush();
        if (pushed.length > 0) this.emit('windows', pushed);
      },
    });
  }

  get sensorCount(): number {
    return this.feed.sensorCount;
  }

  /** Windows not kept: their sensor was new once MAX_SENSORS sensors were kept. */
  get untrackedWindows(): number {
    return this.feed.untrackedWindows;
  }

  get latestWindowEnd(): number {
    return this.feed.latestWindowEnd;
  }

  get position(): number {
    return this.feed.position;
  }

  recent(limit: number, sensorId?: string): FeedWindow[] {
    return this.feed.recent(limit, sensorId);
  }

  /** Windows starting in [fromMs, toMs) from memory; null when memory does not hold all of them. */
  rangeInMemory(fromMs: number, toMs: number, sensorId?: string): FeedWindow[] | null {
    const { windows, heldFrom } = this.feed.range(fromMs, toMs, sensorId);
    return fromMs >= Math.max(this.keptSince, heldFrom) ? windows : null;
  }

  snapshot(perSensor: number): { records: FeedWindow[]; seq: number } {
    return this.feed.snapshot(perSensor);
  }

  since(after: number): FeedWindow[] | null {
    return this.feed.since(after);
  }

  private accept(value: Buffer | null, partition: number, offset: string, closedAt: number): void {
    const record = parseWindowRecord(value);
    if ('error' in record) {
      log.warn(
        { topic: this.config.outputTopic, partition, offset, reason: record.error },
        'output record is not a window result; ignored',
      );
      return;
    }
    this.feed.accept(record, closedAt);
  }
}
