/**
 * Throughput on one preloaded topic: the two ceilings, then each engine from a fresh consumer
 * group, one after the other on the same machine. An engine's processing time is its time from
 * launch to the last window minus the same on a tiny topic (its start-up: JVM, Spark session,
 * transpiling), so start-up costs do not count against the engines that have more of it.
 */
import type { Kafka } from 'kafkajs';
import { existsSync } from 'node:fs';
import { bareConsumer, kafkaConsumerPerf, type CeilingRun } from './ceiling';
import { preload } from './data';
import { RDKAFKA_MODULE, type Engine } from './engines';
import { checkWindows, referenceWindows } from './reference';
import { runEngine } from './runEngine';

export const WINDOW_MS = 1_000;
export const LATENESS_MS = 1_000;
const PARTITIONS = 3;

export interface EngineResult {
  engine: string;
  /** Null when the run took hardly longer than the engine's start-up: the figure would be noise. */
  readingsPerSecond: number | null;
  processingMs: number;
  startupMs: number;
  cpuSecondsPerMillion: number;
  peakRssBytes: number;
  /** readings/s from the engine's own first fetch to the last window, where its log tells (windowpane). */
  fromFirstFetchPerSecond: number | null;
  /** With --rounds N: each round's readings/s, in order (the figures above are the medians). */
  rounds?: (number | null)[];
  windows: {
    expected: number;
    exact: number;
    missing: number;
    duplicated: number;
    wrong: number;
    unexpected: number;
    ok: boolean;
  };
}

export type InputKind = 'unkeyed' | 'keyed';

export interface ThroughputResult {
  /** Records with no key (spread over every partition: the seed's flow) or keyed by sensor id. */
  input: InputKind;
  readings: number;
  sensors: number;
  partitions: number;
  windows: number;
  kafkaCeiling: CeilingRun;
  kafkajsCeiling: CeilingRun;
  /** Only when .bench/ckjs holds @confluentinc/kafka-javascript (npm run bench -- --rdkafka). */
  rdkafkaCeiling?: CeilingRun;
  engines: EngineResult[];
  failures: { engine: string; error: string }[];
}

interface Startup {
  ms: number;
  cpuSeconds: number;
}

export async function measureThroughput(
  kafka: Kafka,
  brokers: string,
  engines: Engine[],
  options: {
    readings: number;
    sensors: number;
    input: InputKind;
    runTag: string;
    timeoutMs: number;
    rounds?: number;
    log: (m: string) => void;
  },
  startups: Map<string, Startup>,
): Promise<ThroughputResult> {
  const { readings, sensors, input, runTag, log } = options;
  const keyed = input === 'keyed';
  const tag = `${runTag}-s${sensors}-${input}`;
  log(
    `preloading ${readings.toLocaleString('en')} ${input} readings from ${sensors.toLocaleString('en')} sensors into ${tag}-in`,
  );
  const dataset = await preload(kafka, { topic: `${tag}-in`, readings, sensors, partitions: PARTITIONS, keyed, log });
  const total = dataset.records;
  log('recomputing the reference windows from the input topic');
  const expected = await referenceWindows(kafka, dataset.topic, WINDOW_MS, LATENESS_MS);
  log(`${expected.length.toLocaleString('en')} windows expected`);

  log('ceiling 1: Kafka ConsumerPerformance');
  const kafkaCeiling = await kafkaConsumerPerf(brokers, dataset.topic, total);
  log(`  ${Math.round(kafkaCeiling.readingsPerSecond).toLocaleString('en')} readings/s`);
  log('ceiling 2: bare kafkajs consumer (parse only)');
  const kafkajsCeiling = await bareConsumer(brokers, dataset.topic, total);
  log(`  ${Math.round(kafkajsCeiling.readingsPerSecond).toLocaleString('en')} readings/s`);
  let rdkafkaCeiling: CeilingRun | undefined;
  if (existsSync(RDKAFKA_MODULE)) {
    log('ceiling 3: bare @confluentinc/kafka-javascript (librdkafka) consumer (parse only)');
    rdkafkaCeiling = await bareConsumer(brokers, dataset.topic, total, 'rdkafka');
    log(`  ${Math.round(rdkafkaCeiling.readingsPerSecond).toLocaleString('en')} readings/s`);
  }

  // Rounds interleave the engines (a, b, a, b, ...), so a slow spell of a shared machine falls on
  // all of them rather than on one; each engine's figures are then its medians.
  const rounds = Math.max(1, options.rounds ?? 1);
  const byEngine = new Map<string, EngineResult[]>();
  const failures: { engine: string; error: string }[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const engine of engines.filter((e) => keyed || !e.keyedOnly)) {
      try {
        const startup =
          startups.get(engine.id) ?? (await measureStartup(kafka, brokers, engine, `${runTag}-tiny`, log));
        startups.set(engine.id, startup);
        log(`${engine.name}: full run${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''}`);
        const run = await runEngine(
          kafka,
          engine,
          {
            brokers,
            inputTopic: dataset.topic,
            tag: `${tag}-${engine.id}${rounds > 1 ? `-r${round}` : ''}`,
            windowMs: WINDOW_MS,
            latenessMs: LATENESS_MS,
            keyed,
          },
          {
            partitions: PARTITIONS,
            expectedWindows: expected.length,
            timeoutMs: options.timeoutMs,
            label: `s${sensors}`,
            log,
          },
        );
        const report = checkWindows(expected, run.windows);
        const totalMs = run.lastWindowAt - run.launchedAt;
        const processingMs = Math.max(1, totalMs - startup.ms);
        const result: EngineResult = {
          engine: engine.name,
          // Start-up varies by seconds on a busy machine: below a quarter of the run, what is left is noise.
          readingsPerSecond: processingMs < totalMs / 4 ? null : (readings / processingMs) * 1000,
          processingMs,
          startupMs: startup.ms,
          cpuSecondsPerMillion: Math.max(0, run.cpuSeconds - startup.cpuSeconds) / (readings / 1e6),
          peakRssBytes: run.peakRssBytes,
          fromFirstFetchPerSecond:
            run.firstFetchAt === null ? null : (readings / Math.max(1, run.lastWindowAt - run.firstFetchAt)) * 1000,
          windows: {
            expected: report.windowsExpected,
            exact: report.exact,
            missing: report.missing,
            duplicated: report.duplicated,
            wrong: report.wrong,
            unexpected: report.unexpected,
            ok: report.ok,
          },
        };
        log(
          `  ${result.readingsPerSecond === null ? 'run too short against start-up:' : Math.round(result.readingsPerSecond).toLocaleString('en')} readings/s; windows ${report.ok ? 'exact' : `NOT exact: ${JSON.stringify(result.windows)}`}`,
        );
        byEngine.set(engine.name, [...(byEngine.get(engine.name) ?? []), result]);
      } catch (error) {
        log(`  ${engine.name} failed: ${(error as Error).message}`);
        failures.push({ engine: engine.name, error: (error as Error).message });
      }
    }
  }
  const results = [...byEngine.values()].map((runs) => (runs.length === 1 ? runs[0] : medianOf(runs)));
  return {
    input,
    readings,
    sensors,
    partitions: PARTITIONS,
    windows: expected.length,
    kafkaCeiling,
    kafkajsCeiling,
    rdkafkaCeiling,
    engines: results,
    failures,
  };
}

/** Launch to last window on a topic of 30 readings: what the engine costs before it does any work. */
async function measureStartup(
  kafka: Kafka,
  brokers: string,
  engine: Engine,
  tinyTag: string,
  log: (m: string) => void,
): Promise<Startup> {
  const topic = `${tinyTag}-in`;
  const admin = kafka.admin();
  await admin.connect();
  const exists = (await admin.listTopics()).includes(topic);
  await admin.disconnect();
  // Keyed, so that every engine (the keyed-only path too) can start on it.
  if (!exists)
    await preload(kafka, {
      topic,
      readings: 30,
      sensors: 3,
      partitions: PARTITIONS,
      keyed: true,
      log: () => undefined,
    });
  const expected = await referenceWindows(kafka, topic, WINDOW_MS, LATENESS_MS);
  log(`${engine.name}: start-up run (30 readings)`);
  const run = await runEngine(
    kafka,
    engine,
    {
      brokers,
      inputTopic: topic,
      tag: `${tinyTag}-${engine.id}`,
      windowMs: WINDOW_MS,
      latenessMs: LATENESS_MS,
      keyed: true,
    },
    { partitions: PARTITIONS, expectedWindows: expected.length, timeoutMs: 300_000, label: 'startup', log },
  );
  const report = checkWindows(expected, run.windows);
  if (!report.ok)
    throw new Error(
      `${engine.name} wrote wrong windows on the start-up topic: ${JSON.stringify(report.samples.slice(0, 3))}`,
    );
  const ms = run.lastWindowAt - run.launchedAt;
  log(`  start-up ${(ms / 1000).toFixed(1)} s, ${run.cpuSeconds.toFixed(1)} CPU s`);
  return { ms, cpuSeconds: run.cpuSeconds };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One engine's rounds as one result: medians, the largest memory, and the worst window check. */
function medianOf(runs: EngineResult[]): EngineResult {
  const rates = runs.map((r) => r.readingsPerSecond).filter((v): v is number => v !== null);
  const firstFetch = runs.map((r) => r.fromFirstFetchPerSecond).filter((v): v is number => v !== null);
  return {
    ...runs[0],
    readingsPerSecond: rates.length === runs.length ? median(rates) : null,
    processingMs: median(runs.map((r) => r.processingMs)),
    cpuSecondsPerMillion: median(runs.map((r) => r.cpuSecondsPerMillion)),
    peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
    fromFirstFetchPerSecond: firstFetch.length > 0 ? median(firstFetch) : null,
    windows: runs.find((r) => !r.windows.ok)?.windows ?? runs[0].windows,
    rounds: runs.map((r) => r.readingsPerSecond),
  };
}
