/**
 * A token short enough to guess is refused at start, in one line that names the variable and the
 * rule but not the token. A real process; needs no broker (the configuration is read first).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

function start(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ code, lines: output.split('\n').filter(Boolean) })),
  );
}

describe('a short token', () => {
  it.each(['CONTROL_TOKEN', 'READ_TOKEN'])('in %s stops the start at once with one line', async (name) => {
    const { code, lines } = await start({ [name]: 'hunter2-secret' });
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${name}: must be at least 16 characters`);
    expect(lines[0]).not.toContain('hunter2-secret');
  });
});
