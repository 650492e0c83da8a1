/** The web role's metrics: the worker group's lag as seen from outside, and socket.io delivery. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PartitionLag } from '../kafka/consumerLag';
import { LATENCY_BUCKETS, METRIC_PREFIX } from '../metrics/registry';

export interface WebMetricsSource {
  readonly socketClients: number;
  readonly slowClientDrops: number;
  /** The input topic and the worker group's lag on each of its partitions. */
  inputTopic: string;
  consumerLag(): Promise<PartitionLag[]>;
}

/** Lag is measured when scraped; a scrape must answer even while Kafka does not. */
const LAG_TIMEOUT_MS = 2_000;

/** Made before the socket.io server, which observes into it as it pushes windows. */
export function pushDelayHistogram(registry: Registry): Histogram {
  return new Histogram({
    name: `${METRIC_PREFIX}window_push_delay_seconds`,
    help: 'From a window closing (the watermark passing its end) to its push to socket.io clients',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

export function registerWebMetrics(registry: Registry, source: WebMetricsSource): void {
  const registers = [registry];
  new Gauge({
    name: `${METRIC_PREFIX}socket_clients`,
    help: 'Connected socket.io clients (dashboards)',
    registers,
    collect() {
      this.set(source.socketClients);
    },
  });
  new Counter({
    name: `${METRIC_PREFIX}slow_client_drops_total`,
    help: 'Times a socket.io client was skipped because its send buffer was full (it catches up later)',
    registers,
    collect() {
      this.reset();
      this.inc(source.slowClientDrops);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}consumer_lag_records`,
    help: "Records between the worker group's committed offset and the partition's end offset",
    labelNames: ['topic', 'partition'],
    registers,
    async collect() {
      let timer: NodeJS.Timeout | undefined;
      try {
        const lags = await Promise.race([
          source.consumerLag(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), LAG_TIMEOUT_MS))),
        ]);
        this.reset();
        for (const { partition, lag } of lags)
          this.set({ topic: source.inputTopic, partition: String(partition) }, lag);
      } catch {
        // Kafka unreachable: the last values stay, and windowpane_kafka_up says why they are old.
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
