/** Probes the cluster every few seconds so `/healthz` and the dashboard can say whether Kafka is reachable. */
import type { Admin, Kafka } from 'kafkajs';
import { log } from './log';
import type { Metrics } from './metrics';

const PROBE_EVERY_MS = 2_000;
const PROBE_TIMEOUT_MS = 3_000;

export class KafkaHealth {
  private readonly admin: Admin;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;

  constructor(
    kafka: Kafka,
    private readonly metrics: Metrics,
  ) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
  }

  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), PROBE_EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.admin.disconnect().catch(() => undefined);
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.admin.connect().then(() => this.admin.describeCluster()),
        new Promise((_, reject) => (timeout = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS))),
      ]);
      if (!this.metrics.kafkaConnected) log.info('kafka reachable');
      this.metrics.kafkaConnected = true;
    } catch (error) {
      if (this.metrics.kafkaConnected) log.warn('kafka unreachable', { error: (error as Error).message });
      this.metrics.kafkaConnected = false;
    } finally {
      clearTimeout(timeout);
      this.probing = false;
    }
  }
}
