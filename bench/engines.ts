/**
 * The stream processors the benchmark runs on the same topic: windowpane's worker, and the peers
 * under bench/peers/ (each described by its peer.json: how to build it and how to launch it).
 * Every one gets the same contract through the environment (see bench/peers/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXTRA_AGGREGATES } from '../lib/aggregates/choice';

export const ROOT = path.resolve(__dirname, '..');
/** Where `npm run bench -- --rdkafka` installs @confluentinc/kafka-javascript. */
export const RDKAFKA_MODULE = path.join(ROOT, '.bench', 'ckjs', 'node_modules', '@confluentinc', 'kafka-javascript');

export interface EngineJob {
  brokers: string;
  inputTopic: string;
  outputTopic: string;
  /** Fresh per run: consumer group, application id, and the prefix of any other topic. */
  tag: string;
  windowMs: number;
  latenessMs: number;
  /** Whether every input record is keyed by its sensor id; unkeyed input needs a shuffle by sensor. */
  keyed: boolean;
}

export interface Engine {
  id: string;
  name: string;
  /** Builds or installs it (idempotent); null when there is nothing to build. */
  setup: string[] | null;
  launch(job: EngineJob): { command: string; args: string[]; env: NodeJS.ProcessEnv };
  /** Runs only on keyed input (windowpane's opt-in one-stage path). */
  keyedOnly?: boolean;
  /** When the engine's own log tells when it first fetched (epoch ms); a cross-check of the start-up method. */
  firstFetch?(logText: string): number | null;
}

/** The V8 flags `npm start` runs windowpane with (package.json), so the worker measured is the one users run. */
export const V8_FLAGS = (
  /"start": "node ((?:--[\w-]+=\S+ )*)--import tsx/.exec(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))?.[1] ??
  ''
)
  .split(' ')
  .filter(Boolean);

const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

/**
 * windowpane's worker as shipped (two stages, any key); with `workers` > 1, that many processes in
 * one group (scale-out); with `keyedPath`, its opt-in one-stage path for input keyed by sensor; with
 * `allExtras`, every extra aggregate (WINDOW_AGGREGATES), to measure what they cost.
 */
function windowpaneEngine(workers: number, keyedPath = false, allExtras = false): Engine {
  const traits = [
    workers === 1 ? '' : `${workers} worker processes`,
    keyedPath ? 'INPUT_KEYED_BY_SENSOR' : '',
    allExtras ? 'every extra aggregate' : '',
  ].filter(Boolean);
  return {
    id: `windowpane${workers === 1 ? '' : `-x${workers}`}${keyedPath ? '-keyed' : ''}${allExtras ? '-extras' : ''}`,
    name: `windowpane ${VERSION} (kafkajs, exactly-once${traits.map((t) => `, ${t}`).join('')})`,
    setup: null,
    keyedOnly: keyedPath,
    launch: (job) => ({
      command: process.execPath,
      args:
        workers === 1
          ? // `npm run bench -- --profile` writes a V8 CPU profile of the worker (open it in Chrome DevTools).
            [
              ...V8_FLAGS,
              ...(process.env.BENCH_PROFILE_DIR
                ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
                : []),
              '--import',
              'tsx',
              'server/main.ts',
            ]
          : ['--import', 'tsx', 'bench/workers.ts', String(workers)],
      env: {
        ...process.env,
        KAFKA_BROKERS: job.brokers,
        ROLES: 'worker',
        INPUT_TOPIC: job.inputTopic,
        OUTPUT_TOPIC: job.outputTopic,
        CONFIG_TOPIC: `${job.tag}-config`,
        DLQ_TOPIC: `${job.tag}-dlq`,
        LATE_TOPIC: `${job.tag}-late`,
        STATS_TOPIC: `${job.tag}-stats`,
        WORKER_GROUP_ID: `${job.tag}-worker`,
        WINDOW_SECONDS: String(job.windowMs / 1000),
        ALLOWED_LATENESS_SECONDS: String(job.latenessMs / 1000),
        LOG_LEVEL: 'info',
        INPUT_KEYED_BY_SENSOR: String(keyedPath),
        WINDOW_AGGREGATES: allExtras ? EXTRA_AGGREGATES.join(',') : '',
        // Several workers on one machine: each takes a free port rather than all wanting 9464.
        METRICS_PORT: '0',
      },
    }),
    firstFetch: (logText) => {
      const times = logText
        .split('\n')
        .map(logEntry)
        .filter((entry) => entry?.msg === 'partition task started')
        .map((entry) => Date.parse(String(entry!.t)));
      return times.length > 0 ? Math.min(...times) : null;
    },
  };
}

export const windowpane = windowpaneEngine(1);
/** One worker process per partition of the benchmark topic: the deployment the README describes. */
export const windowpaneScaledOut = windowpaneEngine(3);
export const windowpaneTwoProcesses = windowpaneEngine(2);
export const windowpaneKeyed = windowpaneEngine(1, true);
export const windowpaneExtras = windowpaneEngine(1, false, true);

interface PeerFile {
  name: string;
  setup: string[];
  launch: string[];
  /** Extra environment, e.g. EXACTLY_ONCE=1 so a peer gives windowpane's guarantee. */
  env?: Record<string, string>;
}

/** The peers found under bench/peers/, in a stable order. */
export function peers(): Engine[] {
  const dir = path.join(ROOT, 'bench', 'peers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, 'peer.json')))
    .sort()
    .map((d) => {
      const file = JSON.parse(readFileSync(path.join(dir, d, 'peer.json'), 'utf8')) as PeerFile;
      return {
        id: d,
        name: file.name,
        setup: file.setup,
        launch: (job: EngineJob) => ({
          command: file.launch[0],
          args: file.launch.slice(1),
          env: {
            ...process.env,
            BROKERS: job.brokers,
            INPUT_TOPIC: job.inputTopic,
            OUTPUT_TOPIC: job.outputTopic,
            GROUP_ID: `${job.tag}-${d}`,
            WINDOW_MS: String(job.windowMs),
            LATENESS_MS: String(job.latenessMs),
            INPUT_KEYED: String(job.keyed),
            ...file.env,
          },
        }),
      };
    });
}

/** One JSON log line of windowpane (pino), or undefined for anything else. */
function logEntry(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
