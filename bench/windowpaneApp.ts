/** A whole windowpane (web, worker, simulator) on topics of its own, for the live benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './engines';

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
    ...extra,
  };
}

/** Resolves once it serves (or, with waitForUrl false, once it runs: a process without the web role). */
export function startApp(
  env: NodeJS.ProcessEnv,
  logName: string,
  options: { waitForUrl: boolean } = { waitForUrl: true },
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  mkdirSync(path.join(ROOT, 'bench', 'out', 'logs'), { recursive: true });
  const logStream = createWriteStream(path.join(ROOT, 'bench', 'out', 'logs', logName));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.pipe(logStream);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  if (!options.waitForUrl) {
    child.stdout!.resume();
    return Promise.resolve({ child, url: '', stop });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('windowpane did not start within 180 s')), 180_000);
    child.once('exit', (code) => reject(new Error(`windowpane exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /windowpane is running: (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stop });
      }
    });
  });
}
