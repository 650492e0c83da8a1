/**
 * One Prometheus registry per process (never prom-client's global one, so several apps in one
 * test process do not collide), with the Node process defaults, and the `/metrics` handler.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export const METRIC_PREFIX = 'windowpane_';

/** Seconds; close → commit and close → push usually take milliseconds, a broker failover seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}

/** A counter whose value is read from `read` at each scrape (a total kept elsewhere, which never goes down). */
export function collectedTotal(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name: `${METRIC_PREFIX}${name}`,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** The text exposition format, as Prometheus scrapes it. */
export async function renderMetrics(registry: Registry): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** What every process reports, whatever its roles. */
export function registerProcessMetrics(
  registry: Registry,
  source: { kafkaUp(): boolean; simulatorSent: (() => number) | null },
): void {
  new Gauge({
    name: `${METRIC_PREFIX}kafka_up`,
    help: 'Whether the last probe of the Kafka cluster succeeded (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(source.kafkaUp() ? 1 : 0);
    },
  });
  const sent = source.simulatorSent;
  if (sent) {
    new Counter({
      name: `${METRIC_PREFIX}simulator_readings_sent_total`,
      help: 'Readings the simulator has sent to the input topic',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sent());
      },
    });
  }
}
