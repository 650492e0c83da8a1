/**
 * A kafkajs consumer that comes back on its own. kafkajs restarts a crashed consumer only for
 * retriable errors; after a broker outage it often crashes with a non-retriable one ("Failed to
 * find group coordinator", kafkajs #1513, #852) and stays stopped. Here a crash that kafkajs will
 * not restart makes us build a new consumer, with capped exponential backoff.
 */
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import { log } from '../log';

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export class SupervisedConsumer {
  private consumer: Consumer | null = null;
  private stopped = false;
  private backoffMs = MIN_BACKOFF_MS;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: ConsumerConfig,
    private readonly name: string,
    /** Subscribes and runs a fresh consumer (called again after each restart). */
    private readonly setup: (consumer: Consumer) => Promise<void>,
  ) {}

  get current(): Consumer | null {
    return this.consumer;
  }

  async start(): Promise<void> {
    // A consumer's disconnect waits for its fetch in flight: kafkajs' 5 s default wait on a quiet
    // topic made each stop take 5 s, so a clean shutdown overran SHUTDOWN_TIMEOUT_MS.
    const consumer = this.kafka.consumer({
      maxWaitTimeInMs: 1_000,
      // When a partition's leader dies, kafkajs keeps fetching from it until its retries run out
      // (it does not re-read the leaders in between), then crashes and restarts the consumer after
      // its last backoff. Short retries with a 2 s cap bring a failover down from ~22 s to ~10 s.
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 2_000 },
      ...this.config,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped || consumer !== this.consumer) return;
      log.warn(
        {
          consumer: this.name,
          error: payload.error.message,
          inMs: this.backoffMs,
        },
        'consumer stopped after an error kafkajs does not retry; restarting it',
      );
      this.scheduleRestart();
    });
    consumer.on(consumer.events.FETCH, () => {
      this.backoffMs = MIN_BACKOFF_MS;
    });
    await consumer.connect();
    await this.setup(consumer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private scheduleRestart(): void {
    if (this.restartTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.restart();
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    const old = this.consumer;
    this.consumer = null;
    await old?.disconnect().catch(() => undefined);
    try {
      await this.start();
      log.info({ consumer: this.name }, 'consumer restarted');
    } catch (error) {
      log.warn(
        { consumer: this.name, error: (error as Error).message, inMs: this.backoffMs },
        'consumer restart failed; trying again',
      );
      this.scheduleRestart();
    }
  }
}
