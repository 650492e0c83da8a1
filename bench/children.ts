/**
 * Every process the benchmark starts and has not seen exit. Each step stops its own in a finally
 * block; this is for the ways out that skip those (process.exit, an uncaught error, a signal):
 * when the bench process exits, whatever is still running is killed, so no windowpane or engine
 * keeps consuming and holding its port after a failed run.
 */
import type { ChildProcess } from 'node:child_process';

const running = new Map<ChildProcess, { group: boolean }>();

function kill(child: ChildProcess, group: boolean, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // A detached child leads a process group of its own: the group takes its descendants along.
    if (group) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

let hooked = false;

/** Registers a child (with `group`, one spawned detached) to be killed if still running when this process exits. */
export function track<T extends ChildProcess>(child: T, options: { group?: boolean } = {}): T {
  if (!hooked) {
    hooked = true;
    // 'exit' handlers must be synchronous: SIGKILL, as there is no waiting for a graceful stop.
    process.on('exit', () => {
      for (const [c, o] of running) kill(c, o.group, 'SIGKILL');
    });
  }
  if (child.pid === undefined) return child; // it did not start (its 'error' says why)
  running.set(child, { group: options.group ?? false });
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
export async function stopChild(
  child: ChildProcess,
  options: { group?: boolean; graceMs?: number } = {},
): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const group = options.group ?? false;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  kill(child, group, 'SIGTERM');
  const killer = setTimeout(() => kill(child, group, 'SIGKILL'), options.graceMs ?? 15_000);
  await exited;
  clearTimeout(killer);
}
