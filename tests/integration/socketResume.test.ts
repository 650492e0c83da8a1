/**
 * socket.io delivery: a client cut off for 10 s under load gets, on reconnect, exactly the
 * windows it missed: compared with the output topic, none missing and none twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, FeedWindow, ServerToClientEvents } from '../../lib/contract';
import { readTopic } from '../../server/kafka/readTopic';
import { isolatedConfig, testKafka, waitFor } from '../support/kafka';
import { appEnv, sleep } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');
const config = isolatedConfig({ windowSeconds: 1, allowedLatenessSeconds: 1 });
let app: ChildProcess | undefined;

afterAll(async () => {
  if (app && app.exitCode === null) {
    app.kill('SIGTERM');
    await new Promise((r) => app!.once('exit', r));
  }
});

async function startApp(): Promise<string> {
  app = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: appEnv(config, { PORT: '0', SIMULATOR_SENSORS: '30', SIMULATOR_RATE: '10', WORKER_SESSION_TIMEOUT_MS: '10000' }),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app did not start')), 120_000);
    app!.stdout!.on('data', (chunk: Buffer) => {
      const match = /windowpane is running: (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

describe('socket.io delivery', () => {
  it('fills a 10 s gap on reconnect with no window missed or repeated', async () => {
    const url = await startApp();
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
    const onWindows = (records: FeedWindow[]) => {
      for (const r of records) {
        const key = `${r.sensorId}/${r.windowStart}`;
        received.set(key, (received.get(key) ?? 0) + 1);
        resume.after = Math.max(resume.after ?? 0, r.seq);
      }
    };
    socket.on('windows', onWindows);

    await waitFor('first windows', async () => (received.size > 30 ? true : undefined), 60_000);
    socket.disconnect();
    const cutAt = Date.now();
    await sleep(10_000);
    const beforeReconnect = received.size;
    socket.connect();
    await waitFor('reconnect', async () => (feeds.length >= 2 ? true : undefined), 30_000);
    await sleep(5_000);

    await fetch(`${url}/api/simulator/stop`, { method: 'POST' });
    await sleep(6_000); // idle close of the last windows
    socket.disconnect();

    const output = [...(await readTopic(testKafka(), config.outputTopic)).values()]
      .flat()
      .map((m) => JSON.parse(m.value!.toString()) as { sensorId: string; windowStart: number; windowEnd: number });
    const missed = output.filter((w) => !received.has(`${w.sensorId}/${w.windowStart}`));
    const repeated = [...received.values()].filter((n) => n > 1).length;
    const closedWhileOffline = output.filter((w) => w.windowEnd > cutAt && w.windowEnd < cutAt + 10_000).length;

    expect(feeds[1]).toEqual({ epoch: feeds[0].epoch, seq: expect.any(Number) }); // resumed, not restarted
    expect(closedWhileOffline).toBeGreaterThan(100);
    expect(received.size).toBeGreaterThan(beforeReconnect + closedWhileOffline - 1);
    expect(missed).toHaveLength(0);
    expect(repeated).toBe(0);
    expect(received.size).toBe(output.length);
  }, 240_000);
});
