/** The web role's metrics: the worker group's lag as seen from outside, and socket.io delivery. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PartitionLag } from '../kafka/consumerLag';
import { collectedTotal, LATENCY_BUCKETS, METRIC_PREFIX } from '../metrics/registry';

export interface WebMetricsSource {
  readonly socketClients: number;
  readonly slowClientDrops: number;
  refusedClients(): number;
  rereadsAsked(): number;
  untrackedSensorWindows(): number;
  /** Reads of the output topic for GET /api/windows (one per range, whatever its pages). */
  rangeTopicReads(): number;
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
  const total = (name: string, help: string, read: () => number) => collectedTotal(registry, name, help, read);
  total(
    'socket_clients_refused_total',
    'socket.io connections refused because MAX_CLIENTS were connected',
    source.refusedClients,
  );
  total(
    'socket_rereads_total',
    'Resumes and catch-ups too long to send over socket.io: the client was told to re-read over HTTP',
    source.rereadsAsked,
  );
  total(
    'window_range_topic_reads_total',
    'Reads of the output topic for GET /api/windows: one per range, its later pages are cut from it',
    source.rangeTopicReads,
  );
  total(
    'untracked_sensor_windows_total',
    'Windows this web server did not keep: their sensor was new once MAX_SENSORS sensors were kept',
    source.untrackedSensorWindows,
  );
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
