/**
 * Fault scenarios shared by the long suite (`npm run test:faults`) and its short form in
 * `npm test`. Each one runs real worker processes against the real broker under live load and
 * returns the verifier's report, which must show nothing missing, nothing twice, nothing wrong.
 */
import type { AppConfig } from '../../server/config';
import { isolatedConfig, testKafka } from './kafka';
import { waitForExact } from './pipeline';
import { LoadGenerator, sleep, spawnWorker, stopWorker, type WorkerProcess } from './processes';

export function faultConfig(): AppConfig {
  return isolatedConfig({ windowSeconds: 1, allowedLatenessSeconds: 1 });
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

export async function killNineRepeatedly(kills: number, seed = 1) {
  const config = faultConfig();
  const next = delays(seed);
  let worker = spawnWorker(config);
  const workers: WorkerProcess[] = [worker];
  await withLoad(config, async () => {
    for (let i = 0; i < kills; i++) {
      await sleep(next(500, 4_000));
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
