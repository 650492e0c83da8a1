/**
 * A worker process's side of the stats: about once a second it publishes its counters to the
 * stats topic (and hands them to a web server in the same process at once). Best effort: while
 * Kafka is unreachable a report is dropped, never queued, since the next one supersedes it.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { WorkerStats } from '../../lib/contract';
import { createProducer } from '../kafka/client';
import { log } from '../log';

const EVERY_MS = 1_000;
/** Keeps a report well under Kafka's 1 MiB record limit at 100 000 sensors. */
const WORKER_STATS_MAX_SENSORS = 10_000;

export class StatsPublisher {
  readonly instance = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly producer: Producer;
  private timer: NodeJS.Timeout | null = null;
  private sending = false;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    /** The worker's counters now (the publisher stamps who and when). */
    private readonly counters: (maxLateSensors: number) => Omit<WorkerStats, 'instance' | 'at'>,
    private readonly local?: (report: WorkerStats) => void,
  ) {
    this.producer = createProducer(kafka, { retry: { retries: 0 } });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.timer = setInterval(() => this.publish(), EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.producer.disconnect();
  }

  private report(): WorkerStats {
    return { instance: this.instance, at: Date.now(), ...this.counters(WORKER_STATS_MAX_SENSORS) };
  }

  private publish(): void {
    const report = this.report();
    this.local?.(report);
    if (this.sending) return;
    this.sending = true;
    this.producer
      .send({ topic: this.topic, messages: [{ key: this.instance, value: JSON.stringify(report) }] })
      .catch((error: Error) => log.debug({ error: error.message }, 'stats report not published'))
      .finally(() => {
        this.sending = false;
      });
  }
}
