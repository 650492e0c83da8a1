/** Probes the cluster every few seconds so `/healthz` and the dashboard can say whether Kafka is reachable. */
import type { Admin, Kafka } from 'kafkajs';
import { log } from '../log';

const PROBE_EVERY_MS = 2_000;
const PROBE_TIMEOUT_MS = 3_000;

export class KafkaHealth {
  private readonly admin: Admin;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private reachable = false;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
  }

  /** Whether the last probe reached the cluster. */
  get connected(): boolean {
    return this.reachable;
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
        new Promise(
          (_, reject) => (timeout = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS)),
        ),
      ]);
      if (!this.reachable) log.info('kafka reachable');
      this.reachable = true;
    } catch (error) {
      if (this.reachable) log.warn({ error: (error as Error).message }, 'kafka unreachable');
      this.reachable = false;
    } finally {
      clearTimeout(timeout);
      this.probing = false;
    }
  }
}
