/**
 * Window close → socket.io client latency under live load: windowpane with the simulator at
 * S sensors × 1 reading/s, a socket.io client counting, for every window pushed live, the time
 * from its close (the worker stamps the watermark passing its end) to its arrival. Same machine,
 * so one clock. At the end the client's windows are compared with the output topic.
 */
import type { Kafka } from 'kafkajs';
import { io } from 'socket.io-client';
import type { FeedWindow } from '../lib/contract';
import { loadConfig } from '../server/config';
import { scanWholeTopic } from '../server/kafka/readWholeTopic';
import { HopClock, hopFigures, type LatencyHops } from './latencyHops';
import { appEnv, startApp } from './windowpaneApp';

export interface LatencyResult {
  sensors: number;
  seconds: number;
  windows: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  missed: number;
  /** Where the time goes, hop by hop (bench/latencyHops.ts). */
  hops: LatencyHops;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureLatency(
  kafka: Kafka,
  brokers: string,
  options: { sensors: number; seconds: number; tag: string; log: (m: string) => void },
): Promise<LatencyResult> {
  const { tag, sensors, seconds, log } = options;
  const env = appEnv(brokers, `${tag}-latency`, { SIMULATOR_SENSORS: String(sensors), SIMULATOR_RATE: '1' });
  const outputTopic = env.OUTPUT_TOPIC!;
  log(`latency: windowpane with ${sensors.toLocaleString('en')} simulated sensors × 1 reading/s for ${seconds} s`);
  // As the README deploys it under load: the web server in a process of its own, apart from the
  // worker (and here the simulator), so neither slows the other.
  const app = await startApp({ ...env, ROLES: 'web' }, 'latency-web.log');
  let pipeline: Awaited<ReturnType<typeof startApp>> | undefined;
  let socket: ReturnType<typeof io> | undefined;
  const latencies: number[] = [];
  const received = new Map<string, number>();
  const hopClock = new HopClock(kafka, {
    input: env.INPUT_TOPIC!,
    partials: loadConfig(env).partialsTopic,
    output: outputTopic,
  });
  await hopClock.start(`${tag}-latency`);
  try {
    pipeline = await startApp({ ...env, ROLES: 'worker,simulator' }, 'latency-worker.log', { waitForUrl: false });
    socket = io(app.url, { transports: ['websocket'] });
    let history = true;
    let measuring = false;
    socket.on('feed', () => {
      history = true;
    });
    socket.on('windows', (records: FeedWindow[]) => {
      const now = Date.now();
      if (!history) {
        for (const r of records) {
          const key = `${r.sensorId}\u0000${r.windowStart}`;
          if (!received.has(key)) received.set(key, now);
          if (measuring) latencies.push(now - r.closedAt);
        }
      }
      history = false;
    });
    // Let the worker take its partitions and the first windows flow before measuring.
    await sleep(10_000);
    measuring = true;
    const from = Date.now();
    await sleep(seconds * 1000);
    measuring = false;
    const to = Date.now();
    await sleep(3_000);
    socket.disconnect();

    // Every window closed while measuring must have reached the client.
    let missed = 0;
    await scanWholeTopic(kafka, outputTopic, (_p, messages) => {
      for (const m of messages) {
        const closedAt = Number(m.timestamp);
        if (closedAt < from || closedAt > to) continue;
        const w = JSON.parse(m.value!.toString()) as { sensorId: string; windowStart: number };
        if (!received.has(`${w.sensorId}\u0000${w.windowStart}`)) missed++;
      }
    });
    const result: LatencyResult = {
      sensors,
      seconds,
      windows: latencies.length,
      ...hopFigures(latencies),
      missed,
      hops: hopClock.hops(received, from, to),
    };
    log(
      `  ${latencies.length.toLocaleString('en')} windows: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms, ${missed} missed`,
    );
    for (const [hop, f] of Object.entries(result.hops))
      log(`    ${hop}: p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms`);
    return result;
  } finally {
    await hopClock.stop();
    socket?.disconnect();
    await pipeline?.stop();
    await app.stop();
  }
}
