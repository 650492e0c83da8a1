/**
 * SIGTERM ends the process by itself, even when Kafka has gone away and kafkajs disconnects
 * hang: orchestrators SIGKILL soon after SIGTERM. Runs a broker of its own, since it kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalBroker, type LocalBroker } from '../../scripts/kafka/localBroker';
import { isolatedConfig } from '../support/kafka';
import { appEnv, sleep } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');
const BROKER_PORT = 19592;
// Short, so the run with Kafka gone reaches its deadline quickly.
const SHORT_SHUTDOWN_MS = 3_000;
// Only "it exited by itself" is asserted, never how fast: 10× the deadline, yet short of the
// ~1 min an unbounded shutdown took with Kafka gone.
const OUTAGE_EXIT_LIMIT_MS = 30_000;
const CLEAN_EXIT_LIMIT_MS = 60_000;

const dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-shutdown-'));
let broker: LocalBroker | undefined;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** The test's broker, started again if an earlier test killed it, so test order does not matter. */
async function runningBroker(): Promise<LocalBroker> {
  if (!broker || !alive(broker.process)) broker = await startLocalBroker({ port: BROKER_PORT, dataDir });
  return broker;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface App {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<Exit>;
}

/** `shutdownTimeoutMs` undefined: the default SHUTDOWN_TIMEOUT_MS. */
async function startApp(brokers: string, shutdownTimeoutMs?: number): Promise<App> {
  const config = isolatedConfig();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: appEnv(config, {
      KAFKA_BROKERS: brokers,
      ROLES: 'worker,simulator,web',
      PORT: '0',
      METRICS_PORT: 'off',
      ...(shutdownTimeoutMs === undefined ? {} : { SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) }),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`app did not start within 120 s; stderr:\n${stderr.slice(-4000)}`)),
      120_000,
    );
    child.stdout!.on('data', () => {
      if (stdout.includes('windowpane is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`app exited (code ${code}, signal ${signal}) before it was running; stderr:\n${stderr.slice(-4000)}`),
      );
    });
  });
  return { child, stderr: () => stderr, exited };
}

/** How the app exited, or 'still running' after `ms`. */
function exitWithin(app: App, ms: number): Promise<Exit | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  return Promise.race([app.exited, limit]).finally(() => clearTimeout(timer));
}

describe('shutdown', () => {
  it('exits 0 on SIGTERM while Kafka is up, within the default deadline', async () => {
    const app = await startApp((await runningBroker()).brokers);
    app.child.kill('SIGTERM');
    const exit = await exitWithin(app, CLEAN_EXIT_LIMIT_MS);
    expect(exit, app.stderr().slice(-4000)).toEqual({ code: 0, signal: null });
    expect(app.stderr()).not.toContain('shutdown timed out');
  }, 300_000);

  it('exits by itself on SIGTERM after Kafka has gone away', async () => {
    const kafka = await runningBroker();
    const app = await startApp(kafka.brokers, SHORT_SHUTDOWN_MS);
    const brokerGone = new Promise((resolve) => kafka.process.once('exit', resolve));
    kafka.process.kill('SIGKILL');
    await brokerGone;
    await sleep(3_000);

    app.child.kill('SIGTERM');
    const exit = await exitWithin(app, OUTAGE_EXIT_LIMIT_MS);
    expect(exit, `still running ${OUTAGE_EXIT_LIMIT_MS / 1000} s after SIGTERM`).not.toBe('still running');
    if (exit !== 'still running' && exit.code !== 0) {
      expect(exit.signal, 'it must exit, not die of the signal').toBeNull();
      expect(app.stderr()).toContain('shutdown timed out');
    }
  }, 300_000);
});
