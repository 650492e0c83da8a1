/**
 * A first start a person can act on: a wrong KAFKA_BROKERS is said in one line (which address,
 * how, what to check), then summarised at most every 10 s while retrying; a busy PORT is one line
 * and a non-zero exit at once. Runs real processes; needs no broker.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedConfig } from '../support/kafka';
import { appEnv, sleep, spawnWorker, stopWorker, type WorkerProcess } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');
const workers: WorkerProcess[] = [];
let busy: Server | undefined;

afterAll(async () => {
  for (const worker of workers) await stopWorker(worker, 'SIGKILL');
  busy?.close();
});

interface Line {
  at: number;
  level: string;
  msg: string;
}

/** Starts a worker against `brokers` and collects its JSON log lines with their arrival times. */
function startAgainst(brokers: string) {
  const startedAt = Date.now();
  const worker = spawnWorker(isolatedConfig(), { KAFKA_BROKERS: brokers });
  workers.push(worker);
  const lines: Line[] = [];
  worker.child.stderr!.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n').filter(Boolean)) {
      // Not a terminal: every line must be JSON for the tools that read it.
      const { level, msg } = JSON.parse(text) as { level: string; msg: string };
      lines.push({ at: Date.now() - startedAt, level, msg });
    }
  });
  return { worker, lines };
}

async function firstLine(lines: Line[], pattern: RegExp, timeoutMs: number): Promise<Line> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = lines.find((l) => pattern.test(l.msg));
    if (line) return line;
    if (Date.now() > deadline)
      throw new Error(`no line matching ${pattern} in ${timeoutMs} ms: ${JSON.stringify(lines)}`);
    await sleep(100);
  }
}

describe('a wrong KAFKA_BROKERS', () => {
  it('is diagnosed in one line within seconds, then summarised at most every 10 s', async () => {
    const { lines } = startAgainst('127.0.0.1:1');
    const diagnosis = await firstLine(lines, /^cannot connect to Kafka/, 8_000);
    expect(diagnosis.msg).toBe(
      "cannot connect to Kafka at 127.0.0.1:1: connection refused; check KAFKA_BROKERS (a broker's host:port) and that the broker is running",
    );
    // kafkajs tries 6 times in the first 13 s or so (two lines each before): one summary of them.
    const summary = await firstLine(lines, /^still cannot connect/, 25_000);
    expect(summary.msg).toMatch(/^still cannot connect to Kafka, retrying: 127.0.0.1:1 connection refused \(\d+×\)/);
    const aboutKafka = lines.filter((l) => /127\.0\.0\.1:1|connect/i.test(l.msg));
    expect(aboutKafka.map((l) => l.msg)).toEqual([diagnosis.msg, summary.msg]);
    expect(summary.at - diagnosis.at).toBeGreaterThanOrEqual(10_000);
    // Still trying, not given up.
    expect(lines.some((l) => /failed to start/.test(l.msg))).toBe(false);
  }, 40_000);

  it('names an unresolvable host as such', async () => {
    const { lines } = startAgainst('kafka.windowpane.invalid:9092');
    const diagnosis = await firstLine(lines, /^cannot connect to Kafka/, 8_000);
    expect(diagnosis.msg).toMatch(
      /^cannot connect to Kafka at kafka.windowpane.invalid:9092: host name not resolved; check/,
    );
  });
});

describe('a PORT in use', () => {
  it('is one line and a non-zero exit at once, before Kafka is even tried', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    const startedAt = Date.now();
    // An unreachable broker: the refusal must not wait for Kafka.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: appEnv(isolatedConfig(), {
        KAFKA_BROKERS: '127.0.0.1:1',
        ROLES: 'web',
        PORT: String(port),
        HOST: '127.0.0.1',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    const lines = stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual([
      `port ${port} is in use on 127.0.0.1: stop the other process or set PORT`,
    ]);
  });
});
