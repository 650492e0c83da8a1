/**
 * Many dashboards at once: N socket.io clients (default 1 000) open within a few seconds against one
 * web server that holds its full history, under S simulated sensors × R readings/s, plus one client
 * that stops reading. Measures each client's connect → history time, connect errors, whether
 * `/healthz` keeps answering (probed every 200 ms), the live close → client latency over all
 * clients, and whether every client got every window closed while measuring exactly once
 * (compared with the output topic by count and a checksum of the windows' keys). The web server's
 * CPU time tells where the time went.
 */
import type { Kafka } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import type { FeedWindow } from '../lib/contract';
import { scanWholeTopic } from '../server/kafka/readWholeTopic';
import { TreeSampler } from './procTree';
import { appEnv, startApp } from './windowpaneApp';

export interface ClientsResult {
  clients: number;
  sensors: number;
  readingsPerSecond: number;
  openSeconds: number;
  historyP50Ms: number;
  historyP99Ms: number;
  historyMaxMs: number;
  connectErrors: number;
  healthzMaxMs: number;
  healthzOver2s: number;
  liveP50Ms: number;
  liveP99Ms: number;
  liveMaxMs: number;
  measuredSeconds: number;
  windowsInPeriod: number;
  clientsExact: number;
  webCpuSeconds: number;
  slowClientDisconnected: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 32-bit hash of a window's key: per-client sums of these are compared with the topic's. */
function keyHash(sensorId: string, windowStart: number): number {
  let h = 2166136261;
  const text = `${sensorId}\u0000${windowStart}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Latencies in 1 ms buckets (60 s), so a million of them cost no memory. */
class Buckets {
  private readonly counts = new Uint32Array(60_001);
  private total = 0;
  private max = 0;
  add(ms: number): void {
    const v = Math.max(0, Math.min(60_000, Math.round(ms)));
    this.counts[v]++;
    this.total++;
    if (v > this.max) this.max = v;
  }
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let v = 0; v < this.counts.length; v++) if ((seen += this.counts[v]) >= rank) return v;
    return this.max;
  }
  get maxMs(): number {
    return this.total === 0 ? NaN : this.max;
  }
}

interface Client {
  socket: Socket;
  openedAt: number;
  historyMs: number | null;
  /** It could not connect or was disconnected: it will not get its history. */
  failed: boolean;
  inHistory: boolean;
  count: number;
  hashSum: number;
}

export async function measureClients(
  kafka: Kafka,
  brokers: string,
  options: {
    clients: number;
    sensors: number;
    rate: number;
    warmupSeconds: number;
    openSeconds: number;
    measureSeconds: number;
    tag: string;
    log: (m: string) => void;
  },
): Promise<ClientsResult> {
  const { clients: count, sensors, rate, warmupSeconds, openSeconds, measureSeconds, tag, log } = options;
  const env = appEnv(brokers, `${tag}-clients`, { SIMULATOR_SENSORS: String(sensors), SIMULATOR_RATE: String(rate) });
  log(
    `clients: ${count.toLocaleString('en')} socket.io clients opening over ${openSeconds} s, ${sensors} sensors × ${rate} readings/s`,
  );
  const app = await startApp({ ...env, ROLES: 'web' }, 'clients-web.log');
  let pipeline: Awaited<ReturnType<typeof startApp>> | undefined;
  const clients: Client[] = [];
  let slow: Socket | undefined;
  const probes: number[] = [];
  let probing = true;
  try {
    pipeline = await startApp({ ...env, ROLES: 'worker,simulator' }, 'clients-worker.log', { waitForUrl: false });
    log(`  warming up for ${warmupSeconds} s so the web tier holds its history`);
    await sleep(warmupSeconds * 1000);

    const probeLoop = (async () => {
      while (probing) {
        const t0 = Date.now();
        const ok = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(30_000) }).then(
          (r) => r.ok,
          () => false,
        );
        probes.push(ok ? Date.now() - t0 : 30_000);
        await sleep(200);
      }
    })();

    const web = new TreeSampler(app.child.pid!);
    const cpuBefore = web.cpuSeconds;
    let connectErrors = 0;
    let measuring = false;
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    const live = new Buckets();
    const open = (): Client => {
      const client: Client = {
        socket: io(app.url, { transports: ['websocket'], reconnection: false, timeout: 60_000 }),
        openedAt: Date.now(),
        historyMs: null,
        failed: false,
        inHistory: false,
        count: 0,
        hashSum: 0,
      };
      client.socket.on('connect_error', () => {
        connectErrors++;
        client.failed = true;
      });
      client.socket.on('disconnect', () => {
        client.failed = true;
      });
      client.socket.on('feed', () => {
        client.inHistory = true;
      });
      client.socket.on('windows', (records: FeedWindow[]) => {
        const now = Date.now();
        if (client.inHistory) {
          client.inHistory = false;
          client.historyMs ??= now - client.openedAt;
          return;
        }
        if (!measuring) return;
        for (const r of records) {
          live.add(now - r.closedAt);
          if (r.closedAt >= from && r.closedAt <= to) {
            client.count++;
            client.hashSum = (client.hashSum + keyHash(r.sensorId, r.windowStart)) % 2 ** 32;
          }
        }
      });
      return client;
    };
    // One client that stops reading once it has its history: the others must not wait for it.
    slow = io(app.url, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve) => slow!.once('windows', () => resolve()));
    let slowDisconnected = false;
    slow.on('disconnect', () => {
      slowDisconnected = true;
    });
    (slow.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();

    const started = Date.now();
    for (let i = 0; i < count; i++) {
      const due = started + (i * openSeconds * 1000) / count;
      if (due > Date.now()) await sleep(due - Date.now());
      clients.push(open());
    }
    // Every client has its history (or gave up) before the live part is measured.
    const deadline = Date.now() + 120_000;
    while (clients.some((c) => c.historyMs === null && !c.failed) && Date.now() < deadline) await sleep(200);
    const histories = clients.map((c) => c.historyMs).filter((v): v is number => v !== null);
    const history = new Buckets();
    for (const h of histories) history.add(h);
    log(
      `  history: ${histories.length} of ${count} clients, p50 ${history.percentile(50)} ms, p99 ${history.percentile(99)} ms; ${connectErrors} connect errors`,
    );

    // The period is fixed before it starts: clients count the windows closed in it as they come.
    from = Date.now() + 2_000;
    to = from + measureSeconds * 1000;
    measuring = true;
    await sleep(to + 5_000 - Date.now());
    measuring = false;
    const webCpuSeconds = web.finish().cpuSeconds - cpuBefore;
    probing = false;
    await probeLoop;

    let windowsInPeriod = 0;
    let topicHash = 0;
    await scanWholeTopic(kafka, env.OUTPUT_TOPIC!, (_p, messages) => {
      for (const m of messages) {
        const closedAt = Number(m.timestamp);
        if (closedAt < from || closedAt > to) continue;
        const w = JSON.parse(m.value!.toString()) as { sensorId: string; windowStart: number };
        windowsInPeriod++;
        topicHash = (topicHash + keyHash(w.sensorId, w.windowStart)) % 2 ** 32;
      }
    });
    const clientsExact = clients.filter((c) => c.count === windowsInPeriod && c.hashSum === topicHash).length;
    if (clientsExact < count) {
      const counts = clients.map((c) => c.count);
      log(
        `  not exact: clients got ${Math.min(...counts)}–${Math.max(...counts)} windows of ${windowsInPeriod}; ${clients.filter((c) => c.failed).length} disconnected`,
      );
    }
    const result: ClientsResult = {
      clients: count,
      sensors,
      readingsPerSecond: sensors * rate,
      openSeconds,
      historyP50Ms: history.percentile(50),
      historyP99Ms: history.percentile(99),
      historyMaxMs: history.maxMs,
      connectErrors,
      healthzMaxMs: Math.max(...probes),
      healthzOver2s: probes.filter((p) => p > 2_000).length,
      liveP50Ms: live.percentile(50),
      liveP99Ms: live.percentile(99),
      liveMaxMs: live.maxMs,
      measuredSeconds: measureSeconds,
      windowsInPeriod,
      clientsExact,
      webCpuSeconds,
      slowClientDisconnected: slowDisconnected,
    };
    log(
      `  live: p50 ${result.liveP50Ms} ms, p99 ${result.liveP99Ms} ms, max ${result.liveMaxMs} ms; ${clientsExact} of ${count} clients got all ${windowsInPeriod} windows exactly; ` +
        `/healthz max ${result.healthzMaxMs} ms (${result.healthzOver2s} over 2 s); web CPU ${webCpuSeconds.toFixed(1)} s`,
    );
    return result;
  } finally {
    probing = false;
    slow?.disconnect();
    for (const c of clients) c.socket.disconnect();
    await pipeline?.stop();
    await app.stop();
  }
}
