/**
 * Fault scenarios shared by the long suite (`npm run test:faults`) and its short form in
 * `npm test`. Each one runs real worker processes against the real broker under live load and
 * returns the verifier's report, which must show nothing missing, nothing twice, nothing wrong.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import type { AppConfig } from '../../server/config';
import { isolatedConfig, testKafka, waitFor } from './kafka';
import { waitForExact } from './pipeline';
import { LoadGenerator, sleep, spawnWorker, stopWorker, type WorkerProcess } from './processes';

function faultConfig(): AppConfig {
  return isolatedConfig({ windowMs: 1_000, allowedLatenessMs: 1_000 });
}

async function withLoad<T>(config: AppConfig, run: (load: LoadGenerator) => Promise<T>): Promise<T> {
  const load = new LoadGenerator(testKafka(), config.inputTopic, 20, 20);
  await load.start();
  try {
    return await run(load);
  } finally {
    await load.stop();
  }
}

/** Seeded pseudo-random delays, so a failing run can be repeated. */
function delays(seed: number) {
  let s = seed;
  return (min: number, max: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return min + (s % (max - min));
  };
}

async function waitUntilWorking(worker: WorkerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!worker.logs.some((l) => l.includes('partition task started'))) {
    if (Date.now() > deadline) throw new Error('worker took no partition within 60 s');
    await sleep(100);
  }
}

export async function killNineRepeatedly(kills: number, seed = 1) {
  const config = faultConfig();
  const next = delays(seed);
  let worker = spawnWorker(config);
  const workers: WorkerProcess[] = [worker];
  await withLoad(config, async () => {
    for (let i = 0; i < kills; i++) {
      // Kill it while it works: once it has taken partitions, at a random moment after.
      await waitUntilWorking(worker);
      await sleep(next(200, 3_000));
      await stopWorker(worker, 'SIGKILL');
      worker = spawnWorker(config);
      workers.push(worker);
    }
    await sleep(3_000);
  });
  const report = await waitForExact(testKafka(), config, 120_000);
  await stopWorker(worker);
  return { report, workers };
}

export async function workersInTurn(count: number, stepMs: number) {
  const config = faultConfig();
  const running: WorkerProcess[] = [];
  await withLoad(config, async () => {
    for (let i = 0; i < count; i++) {
      running.push(spawnWorker(config));
      await sleep(stepMs);
    }
    for (let i = 0; i < count - 1; i++) {
      await stopWorker(running[i]);
      await sleep(stepMs);
    }
  });
  const report = await waitForExact(testKafka(), config, 120_000);
  await stopWorker(running[count - 1]);
  return { report };
}

/**
 * A zombie: worker A is paused (SIGSTOP) long enough for the group to give its partitions to
 * worker B, then resumed while it still believes it owns them and holds open windows.
 */
export async function pausedZombie(pauseMs: number) {
  const config = faultConfig();
  const a = spawnWorker(config);
  let b: WorkerProcess | undefined;
  await withLoad(config, async () => {
    await sleep(6_000);
    a.child.kill('SIGSTOP');
    b = spawnWorker(config);
    await sleep(pauseMs);
    a.child.kill('SIGCONT');
    await sleep(8_000);
  });
  const report = await waitForExact(testKafka(), config, 120_000);
  await stopWorker(a);
  await stopWorker(b!);
  return { report, zombieLogs: a.logs, takeoverLogs: b!.logs };
}

/** Window size changed `changes` times under live load, through the config topic as the API does. */
export async function sizeChangesUnderLoad(changes: number, sizes = [2, 5, 1, 10, 3]) {
  const config = faultConfig();
  const worker = spawnWorker(config);
  const kafka = testKafka();
  await withLoad(config, async () => {
    await sleep(4_000);
    const { ConfigStore } = await import('../../server/shared/configStore');
    const { createKafka } = await import('../../server/kafka/client');
    const { brokersFromEnv } = await import('./kafka');
    const store = new ConfigStore(createKafka(brokersFromEnv(), 'fault-config'), config);
    await store.start();
    for (let i = 0; i < changes; i++) {
      await store.update({ windowSeconds: sizes[i % sizes.length] }, Date.now());
      await sleep(9_000);
    }
    await store.stop();
  });
  const report = await waitForExact(kafka, config, 120_000);
  await stopWorker(worker);
  return { report };
}

/**
 * The broker stopped for `outageMs` under load and started again: nobody restarts the worker,
 * which must recover on its own. Runs a broker of its own so other tests are not disturbed.
 */
export async function brokerOutage(outageMs: number, port = 19292) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { startLocalBroker } = await import('../../scripts/kafka/localBroker');
  const { Kafka, logLevel } = await import('kafkajs');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-outage-'));
  let broker = await startLocalBroker({ port, dataDir });
  const kafka = new Kafka({ clientId: 'fault-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const config = faultConfig();
  const webPort = port + 1_000;
  const worker = spawnWorker(config, { KAFKA_BROKERS: broker.brokers, ROLES: 'worker,web', PORT: String(webPort) });
  const health = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${webPort}/healthz`)).status;
    } catch {
      return 0;
    }
  };
  const healthSeen: number[] = [];
  try {
    // The web role must be serving before the outage, or there is no /healthz to watch in it.
    await waitFor(
      'the web server to answer /healthz',
      async () => ((await health()) === 200 ? true : undefined),
      120_000,
    );
    const load = new LoadGenerator(kafka, config.inputTopic, 20, 20);
    await sleep(8_000);
    await load.start();
    await sleep(5_000);
    await broker.stop();
    const until = Date.now() + outageMs;
    while (Date.now() < until) {
      healthSeen.push(await health());
      await sleep(2_000);
    }
    broker = await startLocalBroker({ port, dataDir });
    await sleep(20_000);
    healthSeen.push(await health());
    await load.stop();
    const report = await waitForExact(kafka, config, 180_000);
    // A run that lost output keeps the worker's log where CI keeps its artifacts, to find out why.
    if (!report.ok) keepLog('broker-outage-worker.log', worker.logs);
    return {
      report,
      healthSeen,
      workerAlive: worker.child.exitCode === null,
      failedSends: load.failed,
      workerLogs: worker.logs,
    };
  } finally {
    await stopWorker(worker);
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every kind of bad record the worker must set aside, with event times near `nowS` where they have one. */
function poisonRecords(nowS: number): { key: string | null; value: string | null }[] {
  return [
    { key: '1', value: 'not json' },
    { key: '1', value: JSON.stringify({ time: nowS, value: 1 }) },
    { key: '1', value: JSON.stringify({ id: 1, value: 1 }) },
    { key: '1', value: JSON.stringify({ id: 1, time: nowS }) },
    { key: '1', value: JSON.stringify({ id: 1, time: 'yesterday', value: 1 }) },
    { key: '1', value: JSON.stringify({ id: [1], time: nowS, value: 1 }) },
    { key: '1', value: JSON.stringify({ id: 1, time: nowS, value: '7' }) },
    { key: '1', value: JSON.stringify({ id: '', time: nowS, value: 1 }) },
    { key: '1', value: `{"device": {"id": 1}, "time": ${nowS}, "value": 1}` },
    { key: '1', value: null },
    { key: '1', value: JSON.stringify({ id: 1, time: nowS + 3_600, value: 1 }) },
    { key: '1', value: `{"id": 1, "time": ${nowS}, "value": 1e999}` },
    { key: '1', value: `{"id": 1, "time": ${nowS}, "value": 1e40}` },
    { key: '1', value: `{"id": 1, "time": ${nowS}, "value": 1e-21}` },
  ];
}

/** Valid readings whose window sums pass 2^53 and need exact decimals: never set aside. */
function beyondDoubles(nowS: number): { key: string; value: string }[] {
  const huge = JSON.stringify({ id: 'huge', time: nowS, value: Number.MAX_SAFE_INTEGER });
  return [
    { key: 'huge', value: huge },
    { key: 'huge', value: huge },
    { key: 'tenth', value: `{"id": "tenth", "time": ${nowS}, "value": 0.1}` },
    { key: 'tenth', value: `{"id": "tenth", "time": ${nowS}, "value": 0.2}` },
  ];
}

/** Poison records of every kind, and one of 1 MB, injected `rounds` times into live load. */
export async function poisonUnderLoad(rounds: number) {
  const config = faultConfig();
  const worker = spawnWorker(config);
  const kafka = testKafka();
  const producer = kafka.producer();
  let injected = 0;
  await withLoad(config, async () => {
    await waitUntilWorking(worker);
    await producer.connect();
    for (let round = 0; round < rounds; round++) {
      await sleep(2_000);
      const nowS = Date.now() / 1000;
      const records = poisonRecords(nowS);
      await producer.send({ topic: config.inputTopic, messages: [...records, ...beyondDoubles(nowS)] });
      // Alone in its request: the input topic's own limit is 1 MiB per batch.
      await producer.send({ topic: config.inputTopic, messages: [{ key: '1', value: 'x'.repeat(1_000_000) }] });
      injected += records.length + 1; // plus the 1 MB one
    }
    await producer.disconnect();
    await sleep(2_000);
  });
  const report = await waitForExact(kafka, config, 120_000);
  const { readWholeTopic } = await import('../../server/kafka/readWholeTopic');
  const deadLetters = [...(await readWholeTopic(kafka, config.dlqTopic)).values()].flat();
  const failures = worker.logs.filter((l) => l.includes('partition task failed'));
  const crashed = worker.child.exitCode !== null || failures.length > 0;
  await stopWorker(worker);
  return { report, injected, deadLetters, crashed, failures };
}

function keepLog(name: string, lines: readonly string[]): void {
  const dir = resolvePath(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(joinPath(dir, name), lines.join('\n'));
}
