/**
 * Runs N windowpane worker processes in one consumer group, as an operator scales out
 * (`ROLES=worker` ×N, N ≤ partitions), as one process tree the benchmark can measure and stop.
 * Args: N. The environment is passed on; their logs are interleaved on stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { V8_FLAGS } from './engines';

const count = Number(process.argv[2] ?? 1);
const root = path.resolve(__dirname, '..');
const children = Array.from({ length: count }, () =>
  spawn(process.execPath, [...V8_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit'],
  }),
);
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
void Promise.all(children.map((c) => new Promise((r) => c.once('exit', r)))).then(() => process.exit(0));
