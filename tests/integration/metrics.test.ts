/**
 * Prometheus /metrics on real processes against the real broker: the web process (all roles) on
 * its HTTP port, a worker-only process on METRICS_PORT. Counters move while the simulator runs,
 * every metric the Grafana dashboard queries exists, and a foreign Host is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedConfig, testKafka, waitFor } from '../support/kafka';
import { dashboardMetricNames } from '../support/monitoring';
import { appEnv } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');
const config = isolatedConfig({ windowMs: 1_000, allowedLatenessMs: 1_000 });
const children: ChildProcess[] = [];
let webUrl = '';
let workerMetricsUrl = '';

/** Starts server/main.ts; resolves with what `ready` finds in a line of its output. */
function start(
  extra: Record<string, string>,
  stream: 'stdout' | 'stderr',
  ready: (line: string) => string | undefined,
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: appEnv(config, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 120 s (${stream})`)), 120_000);
    child.once('exit', (code) => reject(new Error(`process exited with ${code}`)));
    child[stream === 'stdout' ? 'stderr' : 'stdout']!.resume();
    createInterface({ input: child[stream]! }).on('line', (line) => {
      const found = ready(line);
      if (found === undefined) return;
      clearTimeout(timer);
      resolve(found);
    });
  });
}

/** The URL in the worker's "metrics served" log line (JSON). */
function metricsServed(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'metrics served' ? entry.url?.replace(/\/metrics$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** Sample values of the text format: `name{labels} value` → value, summed over label sets matching `labels`. */
function sample(text: string, name: string, labels = ''): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (labels && !rest.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : NaN;
}

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();
const scrapeBoth = async () => [await scrape(webUrl), await scrape(workerMetricsUrl)];
const total = (texts: string[], name: string, labels = '') =>
  texts
    .map((t) => sample(t, name, labels))
    .filter((n) => !Number.isNaN(n))
    .reduce((a, b) => a + b, 0);

beforeAll(async () => {
  webUrl = await start(
    { ROLES: 'web,worker,simulator', PORT: '0', SIMULATOR_SENSORS: '4', SIMULATOR_RATE: '5' },
    'stdout',
    (line) => /windowpane is running: (\S+)/.exec(line)?.[1],
  );
  workerMetricsUrl = await start({ ROLES: 'worker', METRICS_PORT: '0' }, 'stderr', metricsServed);
}, 240_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

describe('/metrics', () => {
  it('counts readings and windows across the web process and a worker-only process, and the counts move', async () => {
    const first = await waitFor(
      'windows emitted',
      async () => {
        const texts = await scrapeBoth();
        return total(texts, 'windowpane_windows_emitted_total') > 0 ? texts : undefined;
      },
      90_000,
    );
    const readings = total(first, 'windowpane_readings_consumed_total');
    expect(readings).toBeGreaterThan(0);
    const later = await waitFor('more readings', async () => {
      const texts = await scrapeBoth();
      return total(texts, 'windowpane_readings_consumed_total') > readings ? texts : undefined;
    });
    expect(total(later, 'windowpane_windows_emitted_total')).toBeGreaterThanOrEqual(
      total(first, 'windowpane_windows_emitted_total'),
    );
    expect(total(later, 'windowpane_assigned_partitions')).toBe(config.inputPartitions);
    expect(total(later, 'windowpane_window_commit_delay_seconds_count')).toBeGreaterThan(0);
    for (const text of later) {
      expect(sample(text, 'windowpane_kafka_up')).toBe(1);
      expect(sample(text, 'windowpane_process_cpu_seconds_total')).toBeGreaterThan(0);
    }
    expect(sample(later[0], 'windowpane_simulator_readings_sent_total')).toBeGreaterThan(0);
  });

  it("reports the worker group's lag on every input partition", async () => {
    const text = await scrape(webUrl);
    for (let p = 0; p < config.inputPartitions; p++) {
      expect(
        sample(text, 'windowpane_consumer_lag_records', `partition="${p}"`),
        `partition ${p}`,
      ).toBeGreaterThanOrEqual(0);
    }
    expect(text).toContain(`topic="${config.inputTopic}"`);
  });

  it('counts a poison record by its reason', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: config.inputTopic, messages: [{ value: 'not json at all' }] });
    await producer.disconnect();
    await waitFor('the dead letter counted', async () => {
      const texts = await scrapeBoth();
      return total(texts, 'windowpane_dead_letters_total', 'reason="not_json"') >= 1 ? true : undefined;
    });
  });

  it('counts socket.io clients and the delay of windows pushed to them', async () => {
    const socket = io(webUrl, { transports: ['websocket'] });
    try {
      await waitFor('a client and a pushed window', async () => {
        const text = await scrape(webUrl);
        return sample(text, 'windowpane_socket_clients') === 1 &&
          sample(text, 'windowpane_window_push_delay_seconds_count') > 0
          ? true
          : undefined;
      });
    } finally {
      socket.disconnect();
    }
  });

  it('has every metric the Grafana dashboard queries', async () => {
    const dashboard = JSON.parse(
      readFileSync(path.join(ROOT, 'monitoring/grafana/dashboards/windowpane.json'), 'utf8'),
    );
    const texts = await scrapeBoth();
    const names = dashboardMetricNames(dashboard);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names)
      expect(
        texts.some((t) => !Number.isNaN(sample(t, name))),
        name,
      ).toBe(true);
  });

  it('refuses a foreign Host on both endpoints', async () => {
    for (const url of [webUrl, workerMetricsUrl]) {
      const { hostname, port } = new URL(url);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: hostname, port, path: '/metrics', headers: { host: `rebind.example:${port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status, url).toBe(403);
    }
  });
});
