/**
 * Runs one engine on a preloaded topic until every window is in its output topic, and measures
 * it: wall time from launch to the last window's arrival (the broker's LogAppendTime), CPU
 * seconds and peak RSS of its whole process tree. Its output windows come back for checking.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { scanWholeTopic } from '../server/kafka/readWholeTopic';
import { kafkaRetry, waitForTopicsReady } from '../server/kafka/retriable';
import { track } from './children';
import { isEndMarker } from './data';
import { benchWindow, type BenchWindow } from './reference';
import { ROOT, type Engine, type EngineJob } from './engines';
import { TreeSampler } from './procTree';

export interface EngineRun {
  launchedAt: number;
  lastWindowAt: number;
  cpuSeconds: number;
  peakRssBytes: number;
  windows: BenchWindow[];
  logFile: string;
  /** From the engine's own log, when it can tell. */
  firstFetchAt: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createOutputTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  // The broker stamps each record on arrival: when the window reached Kafka, whatever the engine sets.
  await admin.createTopics({
    topics: [
      { topic, numPartitions: partitions, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] },
    ],
    waitForLeaders: true,
  });
  await waitForTopicsReady(admin, [topic]);
  await admin.disconnect();
}

async function outputEnd(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic))).reduce(
      (n, p) => n + Number(p.high),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}

async function readOutput(kafka: Kafka, topic: string): Promise<{ windows: BenchWindow[]; lastAt: number }> {
  const windows: BenchWindow[] = [];
  let lastAt = 0;
  await scanWholeTopic(
    kafka,
    topic,
    (_partition, messages) => {
      for (const m of messages) {
        lastAt = Math.max(lastAt, Number(m.timestamp));
        const w = benchWindow(m.value!);
        if (!isEndMarker(w.sensorId)) windows.push(w);
      }
    },
    600_000,
  );
  return { windows, lastAt };
}

export async function runEngine(
  kafka: Kafka,
  engine: Engine,
  job: Omit<EngineJob, 'outputTopic'>,
  options: { partitions: number; expectedWindows: number; timeoutMs: number; label: string; log: (m: string) => void },
): Promise<EngineRun> {
  const outputTopic = `${job.tag}-${engine.id}-out`;
  await createOutputTopic(kafka, outputTopic, options.partitions);
  const { command, args, env } = engine.launch({ ...job, outputTopic });
  // A temporary folder of its own (JVM, Python, Kafka Streams state, Flink's mini-cluster), removed after.
  const scratch = mkdtempSync(path.join(tmpdir(), `bench-${engine.id}-`));
  env.TMPDIR = scratch;
  env.JAVA_TOOL_OPTIONS = `${env.JAVA_TOOL_OPTIONS ?? ''} -Djava.io.tmpdir=${scratch}`.trim();
  const logDir = path.join(ROOT, 'bench', 'out', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${options.label}-${engine.id}.log`);
  const logStream = createWriteStream(logFile);
  const launchedAt = Date.now();
  // Its own process group, so that stopping it stops whatever it started (Spark's JVM, say).
  const child = track(spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }), {
    group: true,
  });
  child.stdout!.pipe(logStream, { end: false });
  child.stderr!.pipe(logStream, { end: false });
  let spawnError: Error | undefined;
  // 'error' instead of 'exit' when it could not be started at all.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const sampler = new TreeSampler(child.pid ?? -1);
  try {
    const deadline = launchedAt + options.timeoutMs;
    let lastEnd = -1;
    let stableSince = Date.now();
    for (;;) {
      if (spawnError) throw new Error(`${engine.name} did not start (${command}): ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`${engine.name} exited with ${child.exitCode}; see ${logFile}`);
      if (Date.now() > deadline)
        throw new Error(
          `${engine.name} did not write every window within ${options.timeoutMs / 1000} s; see ${logFile}`,
        );
      await sleep(1_000);
      const end = await outputEnd(kafka, outputTopic);
      if (end !== lastEnd) {
        lastEnd = end;
        stableSince = Date.now();
        continue;
      }
      // Quiet for 3 s: count what is there (the end offset counts transaction markers too).
      if (end === 0 || Date.now() - stableSince < 3_000) continue;
      sampler.sample();
      const usage = { cpuSeconds: sampler.cpuSeconds, peakRssBytes: sampler.peakRssBytes };
      const { windows, lastAt } = await readOutput(kafka, outputTopic);
      if (new Set(windows.map((w) => `${w.sensorId}\u0000${w.windowStart}`)).size >= options.expectedWindows) {
        const firstFetchAt = engine.firstFetch?.(await readFile(logFile, 'utf8')) ?? null;
        return { launchedAt, lastWindowAt: lastAt, ...usage, windows, logFile, firstFetchAt };
      }
      options.log(`${engine.name}: ${windows.length} of ${options.expectedWindows} windows so far`);
      stableSince = Date.now();
    }
  } finally {
    sampler.finish();
    const signal = (name: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    logStream.end();
    rmSync(scratch, { recursive: true, force: true });
  }
}
