/**
 * `npm run bench`: throughput against the Kafka ceiling and the peers, window-close → browser
 * latency, dashboard frame times and memory per open window, in one run. Prints a report and,
 * for a full run, writes it into BENCHMARKS.md. See BENCHMARKS.md for what each figure means.
 *
 *   --quick                 about a minute: 100 000 readings, windowpane and the ceilings only,
 *                           15 s of latency at 1 000 sensors, 5 s of frames, memory at 10 000 sensors
 *   --readings N            readings per throughput run (default 5 000 000)
 *   --sensors S[,S...]      sensor counts, one throughput run each (default 1000)
 *   --engines a,b           of windowpane, windowpane-x3, windowpane-keyed, windowpane-extras (every extra
 *                           aggregate), kafka-streams, flink, bytewax,
 *                           spark (default all; windowpane-keyed runs on keyed input only)
 *   --input k,u             unkeyed (the seed's flow: no key, each sensor on every partition), keyed, or
 *                           both (default unkeyed,keyed; --quick: unkeyed)
 *   --skip x,y              parts to leave out: throughput, latency, clients, browser, memory
 *   --rounds N              run the engines N times, interleaved, and report medians (default 1):
 *                           on a shared machine one engine's run can fall in a slow spell
 *   --latency-seconds N     length of the latency run (default 300)
 *   --latency-sensors N     simulated sensors in the latency run (default 10 000)
 *   --clients N             socket.io clients in the many-dashboards run (default 1 000; --quick 50),
 *                           opened over 10 s against a web tier holding its history, 200 sensors
 *                           × 2 readings/s, plus one client that stops reading
 *   --rdkafka               also measure a bare @confluentinc/kafka-javascript consumer (builds
 *                           librdkafka from source into .bench/ckjs on first use, ~1.5 min)
 *   --profile               write V8 CPU profiles of windowpane's worker to bench/out/profiles
 *   --no-write              do not touch BENCHMARKS.md
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureBrowser } from '../scripts/browser';
import { buildIfNeeded } from '../scripts/nextBuild';
import {
  RDKAFKA_MODULE,
  ROOT,
  peers,
  windowpane,
  windowpaneExtras,
  windowpaneKeyed,
  windowpaneScaledOut,
  windowpaneTwoProcesses,
  type Engine,
} from './engines';
import { writeReport, type BenchReport } from './report';
import { measureBrowser } from './browser';
import { measureClients } from './clients';
import { measureLatency } from './latency';
import { measureMemory } from './memory';
import { measureThroughput, type InputKind } from './throughput';

interface Options {
  quick: boolean;
  readings: number;
  sensors: number[];
  engines: string[] | null;
  inputs: InputKind[];
  skip: Set<string>;
  latencySeconds: number;
  latencySensors: number;
  rounds: number;
  clients: number;
  write: boolean;
}

function inputKinds(names: string[]): InputKind[] {
  const bad = names.filter((n) => n !== 'unkeyed' && n !== 'keyed');
  if (bad.length > 0 || names.length === 0)
    throw new Error(`--input: each must be unkeyed or keyed (got "${names.join(',')}")`);
  return names as InputKind[];
}

/** One throughput run per input kind, one after another (never two at once on this machine). */
async function inputsInTurn<T>(inputs: InputKind[], run: (input: InputKind) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const input of inputs) results.push(await run(input));
  return results;
}

function usage(): string {
  const text = readFileSync(__filename, 'utf8');
  return text
    .slice(text.indexOf('/**') + 3, text.indexOf('*/'))
    .replace(/^ \* ?/gm, '')
    .trim();
}

function parseArgs(argv: string[]): Options {
  if (argv.includes('--help')) {
    console.log(usage());
    process.exit(0);
  }
  const known = new Set([
    '--quick',
    '--readings',
    '--sensors',
    '--engines',
    '--input',
    '--skip',
    '--rounds',
    '--latency-seconds',
    '--latency-sensors',
    '--clients',
    '--profile',
    '--no-write',
    '--rdkafka',
  ]);
  const unknownFlag = argv.find((a) => a.startsWith('--') && !known.has(a));
  if (unknownFlag) throw new Error(`${unknownFlag}: unknown option (see npm run bench -- --help)`);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const list = (text: string | undefined) =>
    text
      ? text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null;
  const positive = (name: string, fallback: number) => {
    const text = value(name);
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: must be a positive number (got "${text}")`);
    return n;
  };
  return {
    quick,
    readings: positive('--readings', quick ? 100_000 : 5_000_000),
    sensors: (list(value('--sensors')) ?? ['1000']).map(Number),
    engines: list(value('--engines')) ?? (quick ? ['windowpane'] : null),
    inputs: inputKinds(list(value('--input')) ?? (quick ? ['unkeyed'] : ['unkeyed', 'keyed'])),
    skip: new Set(list(value('--skip')) ?? []),
    latencySeconds: positive('--latency-seconds', quick ? 15 : 300),
    rounds: Math.floor(positive('--rounds', 1)),
    latencySensors: positive('--latency-sensors', quick ? 1_000 : 10_000),
    clients: positive('--clients', quick ? 50 : 1_000),
    write: !quick && !argv.includes('--no-write'),
  };
}

const started = Date.now();
const log = (m: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`);

async function withBroker<T>(run: (brokers: string) => Promise<T>): Promise<T> {
  if (process.env.KAFKA_BROKERS) return run(process.env.KAFKA_BROKERS);
  const { startLocalBroker } = await import('../scripts/kafka/localBroker');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-bench-kafka-'));
  log('starting a throwaway Kafka broker on 127.0.0.1:19392');
  const broker = await startLocalBroker({ port: 19392, dataDir, log: (m) => log(m) });
  try {
    return await run(broker.brokers);
  } finally {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function setUp(engines: Engine[]): Engine[] {
  const ready: Engine[] = [];
  for (const engine of engines) {
    if (!engine.setup) {
      ready.push(engine);
      continue;
    }
    log(`setting up ${engine.name}: ${engine.setup.join(' ')}`);
    const result = spawnSync(engine.setup[0], engine.setup.slice(1), { cwd: ROOT, stdio: 'inherit' });
    if (result.status === 0) ready.push(engine);
    else log(`  setup of ${engine.name} failed (exit ${result.status}); it is left out of this run`);
  }
  return ready;
}

/** @confluentinc/kafka-javascript, built from the npm tarball's sources (its prebuilt binaries come from GitHub). */
function installRdkafka(): void {
  const dir = path.join(ROOT, '.bench', 'ckjs');
  if (existsSync(RDKAFKA_MODULE)) return;
  log(
    'installing @confluentinc/kafka-javascript into .bench/ckjs (librdkafka built against the system OpenSSL and zlib)',
  );
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json')))
    writeFileSync(path.join(dir, 'package.json'), '{"name":"bench-ckjs","private":true}\n');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '@confluentinc/kafka-javascript@1.10.1'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, CKJS_LINKING: 'dynamic' },
  });
  if (result.status !== 0) log('  it did not install; the librdkafka ceiling is left out');
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (process.argv.includes('--profile')) process.env.BENCH_PROFILE_DIR = path.join(ROOT, 'bench', 'out', 'profiles');
  const usual = [windowpane, windowpaneTwoProcesses, windowpaneScaledOut, windowpaneKeyed, ...peers()];
  // Measured when named: what every extra aggregate costs against plain windowpane.
  const all = [...usual, windowpaneExtras];
  const chosen = options.engines ? all.filter((e) => options.engines!.includes(e.id)) : usual;
  const unknown = (options.engines ?? []).filter((id) => !all.some((e) => e.id === id));
  if (unknown.length > 0)
    throw new Error(`--engines: unknown ${unknown.join(', ')} (known: ${all.map((e) => e.id).join(', ')})`);
  const engines = setUp(chosen);
  if (process.argv.includes('--rdkafka')) installRdkafka();
  const runTag = `bench-${Date.now().toString(36)}`;
  // Before anything is measured, so that a missing build or browser costs seconds, not a run.
  // The latency and browser steps start windowpane's web server, which serves the build in .next
  // (it must be the one in this tree).
  if (!options.skip.has('latency') || !options.skip.has('clients') || !options.skip.has('browser')) buildIfNeeded(log);
  const chromiumPath = options.skip.has('browser') ? '' : await ensureBrowser(log);

  const report: BenchReport = await withBroker(async (brokers) => {
    const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const result: BenchReport = {
      startedAt: new Date(started).toISOString(),
      options: { ...options, skip: [...options.skip] },
      throughput: [],
    };
    const startups = new Map();
    if (!options.skip.has('throughput')) {
      for (const sensors of options.sensors) {
        result.throughput.push(
          ...(await inputsInTurn(options.inputs, (input) =>
            measureThroughput(
              kafka,
              brokers,
              engines,
              {
                readings: options.readings,
                sensors,
                input,
                runTag,
                timeoutMs: options.quick ? 180_000 : 3_600_000,
                rounds: options.rounds,
                log,
              },
              startups,
            ),
          )),
        );
      }
    }
    if (!options.skip.has('latency')) {
      result.latency = await measureLatency(kafka, brokers, {
        sensors: options.latencySensors,
        seconds: options.latencySeconds,
        tag: runTag,
        log,
      });
    }
    if (!options.skip.has('clients')) {
      const { quick } = options;
      result.clients = await measureClients(kafka, brokers, {
        clients: options.clients,
        sensors: 200,
        rate: 2,
        // HISTORY_WINDOWS (120) one-second windows: the web tier's history is full.
        warmupSeconds: quick ? 5 : 125,
        openSeconds: quick ? 2 : 10,
        measureSeconds: quick ? 5 : 30,
        tag: runTag,
        log,
      });
    }
    if (!options.skip.has('browser')) {
      result.browser = await measureBrowser(brokers, {
        sensors: 1_000,
        charted: 100,
        seconds: options.quick ? 5 : 30,
        historyMinutes: options.quick ? 15 : 60,
        tag: runTag,
        log,
        chromiumPath,
      });
    }
    if (!options.skip.has('memory')) result.memory = measureMemory(options.quick ? 10_000 : 100_000, log);
    return result;
  });

  mkdirSync(path.join(ROOT, 'bench', 'out'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench', 'out', 'latest.json'), JSON.stringify(report, null, 2));
  const ok = writeReport(report, { write: options.write, log });
  return ok ? 0 : 1;
}

// Killed by a signal, a process runs no 'exit' handlers, and those stop what the steps started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
