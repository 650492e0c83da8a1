/** A whole windowpane (web, worker, simulator) on topics of its own, for the live benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { stopChild, track } from './children';
import { ROOT, V8_FLAGS } from './engines';

export function appEnv(brokers: string, prefix: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_BROKERS: brokers,
    PORT: '0',
    INPUT_TOPIC: `${prefix}-in`,
    OUTPUT_TOPIC: `${prefix}-out`,
    CONFIG_TOPIC: `${prefix}-config`,
    DLQ_TOPIC: `${prefix}-dlq`,
    LATE_TOPIC: `${prefix}-late`,
    STATS_TOPIC: `${prefix}-stats`,
    WORKER_GROUP_ID: `${prefix}-worker`,
    WINDOW_SECONDS: '1',
    ALLOWED_LATENESS_SECONDS: '1',
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    ...extra,
  };
}

/**
 * Resolves once it serves (or, with waitForUrl false, once it runs: a process without the web role).
 * When it rejects, the process is gone; when it resolves, `stop()` it in a finally block (it is
 * killed anyway when the bench process exits).
 */
export function startApp(
  env: NodeJS.ProcessEnv,
  logName: string,
  options: { waitForUrl: boolean } = { waitForUrl: true },
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  mkdirSync(path.join(ROOT, 'bench', 'out', 'logs'), { recursive: true });
  const logStream = createWriteStream(path.join(ROOT, 'bench', 'out', 'logs', logName));
  const child = track(
    spawn(process.execPath, [...V8_FLAGS, '--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stderr!.pipe(logStream);
  const stop = () => stopChild(child);
  if (!options.waitForUrl) {
    child.stdout!.resume();
    return Promise.resolve({ child, url: '', stop });
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`windowpane did not start within 180 s; see bench/out/logs/${logName}`)),
      180_000,
    );
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      fail(new Error(`windowpane exited with ${code ?? signal}; see bench/out/logs/${logName}`)),
    );
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (settled) return;
      // The line may come in two chunks.
      seen = (seen + chunk.toString()).slice(-1000);
      const match = /windowpane is running: (\S+)\s/.exec(seen);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, url: match[1], stop });
      }
    });
  });
}
