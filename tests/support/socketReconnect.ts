/**
 * socket.io delivery under load: a client cut off for a while resumes from its last sequence
 * number. What it received is compared with the output topic: nothing missed, nothing twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, FeedWindow, ServerToClientEvents } from '../../lib/contract';
import { readWholeTopic } from '../../server/kafka/readWholeTopic';
import { isolatedConfig, testKafka, waitFor } from './kafka';
import { appEnv, sleep } from './processes';

const ROOT = path.resolve(__dirname, '../..');

async function startApp(env: Record<string, string>): Promise<{ app: ChildProcess; url: string; outputTopic: string }> {
  const config = isolatedConfig({ windowMs: 1_000, allowedLatenessMs: 1_000 });
  const app = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: appEnv(config, { PORT: '0', WORKER_SESSION_TIMEOUT_MS: '10000', ...env }),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app did not start')), 120_000);
    app.stdout!.on('data', (chunk: Buffer) => {
      const match = /windowpane is running: (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { app, url, outputTopic: config.outputTopic };
}

export async function reconnectAfterOffline(options: { offlineMs: number; sensors: number; ratePerSensor: number }) {
  const started = await startApp({
    SIMULATOR_SENSORS: String(options.sensors),
    SIMULATOR_RATE: String(options.ratePerSensor),
  });
  const { url, outputTopic } = started;
  try {
    const received = new Map<string, number>();
    const feeds: { epoch: string; seq: number }[] = [];
    const resume: { epoch?: string; after?: number } = {};
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ['websocket'],
      auth: (cb) => cb({ ...resume }),
    });
    socket.on('feed', (f) => {
      feeds.push(f);
      resume.epoch = f.epoch;
      resume.after = f.seq;
    });
    let stampsInOrder = true;
    socket.on('windows', (records: FeedWindow[]) => {
      const arrivedAt = Date.now();
      for (const r of records) {
        // Closed (by the worker's clock) after the window's end, and before it got here.
        if (!(r.closedAt >= r.windowEnd && r.closedAt <= arrivedAt)) stampsInOrder = false;
        const key = `${r.sensorId}/${r.windowStart}`;
        received.set(key, (received.get(key) ?? 0) + 1);
        resume.after = Math.max(resume.after ?? 0, r.seq);
      }
    });

    await waitFor('first windows', async () => (received.size > options.sensors ? true : undefined), 60_000);
    socket.disconnect();
    const cutAt = Date.now();
    await sleep(options.offlineMs);
    const beforeReconnect = received.size;
    socket.connect();
    await waitFor('reconnect', async () => (feeds.length >= 2 ? true : undefined), 30_000);
    await sleep(5_000);

    await fetch(`${url}/api/simulator/stop`, { method: 'POST' });
    await sleep(6_000); // idle close of the last windows
    socket.disconnect();

    const output = [...(await readWholeTopic(testKafka(), outputTopic)).values()]
      .flat()
      .map((m) => JSON.parse(m.value!.toString()) as { sensorId: string; windowStart: number; windowEnd: number });
    return {
      stampsInOrder,
      resumedSameFeed: feeds.length >= 2 && feeds[1].epoch === feeds[0].epoch,
      closedWhileOffline: output.filter((w) => w.windowEnd > cutAt && w.windowEnd < cutAt + options.offlineMs).length,
      filledOnReconnect: received.size - beforeReconnect,
      missed: output.filter((w) => !received.has(`${w.sensorId}/${w.windowStart}`)).length,
      repeated: [...received.values()].filter((n) => n > 1).length,
      received: received.size,
      written: output.length,
    };
  } finally {
    started.app.kill('SIGTERM');
    await new Promise((r) => started.app.once('exit', r));
  }
}
