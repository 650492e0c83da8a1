/**
 * CPU time and resident memory of a process and all its descendants, read from /proc (Linux).
 * A sampler polls the tree: peak RSS is the largest sum seen, CPU the latest sum (processes that
 * exited and were waited for are in their parent's cutime/cstime).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
const PAGE_BYTES = 4096;

interface ProcStat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssBytes: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const num = (i: number) => Number(fields[i - 3]);
    return { pid, ppid: num(4), cpuTicks: num(14) + num(15) + num(16) + num(17), rssBytes: num(24) * PAGE_BYTES };
  } catch {
    return null;
  }
}

function treeUsage(rootPid: number): { cpuSeconds: number; rssBytes: number; processes: number } {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(stat.pid, stat);
  }
  const children = new Map<number, number[]>();
  for (const s of stats.values()) {
    const list = children.get(s.ppid) ?? [];
    list.push(s.pid);
    children.set(s.ppid, list);
  }
  let cpuTicks = 0;
  let rssBytes = 0;
  let processes = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const s = stats.get(pid);
    if (!s) continue;
    processes++;
    cpuTicks += s.cpuTicks;
    rssBytes += s.rssBytes;
    stack.push(...(children.get(pid) ?? []));
  }
  return { cpuSeconds: cpuTicks / TICKS_PER_SECOND, rssBytes, processes };
}

export class TreeSampler {
  peakRssBytes = 0;
  cpuSeconds = 0;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    everyMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.sample();
  }

  sample(): void {
    const usage = treeUsage(this.rootPid);
    if (usage.processes === 0) return;
    this.peakRssBytes = Math.max(this.peakRssBytes, usage.rssBytes);
    this.cpuSeconds = Math.max(this.cpuSeconds, usage.cpuSeconds);
  }

  /** Takes a last sample (call before stopping the process) and stops polling. */
  finish(): { cpuSeconds: number; peakRssBytes: number } {
    this.sample();
    clearInterval(this.timer);
    return { cpuSeconds: this.cpuSeconds, peakRssBytes: this.peakRssBytes };
  }
}
