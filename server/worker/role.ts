/** The worker role: windowing tasks for the assigned input (and partials) partitions, and their stats. */
import type { WorkerStats } from '../../lib/contract';
import type { RoleContext } from '../shared/roleContext';
import { StatsPublisher } from './statsPublisher';
import { Worker } from './worker';
import { commitDelayHistogram, registerWorkerMetrics } from './workerMetrics';

/** `localStats` hears each report as it is published, so a web role in this process needs no round trip. */
export async function startWorkerRole(context: RoleContext, localStats: (report: WorkerStats) => void): Promise<void> {
  const { kafka, config, configStore, registry, onStop } = context;
  const worker = new Worker(kafka, config, configStore, commitDelayHistogram(registry));
  registerWorkerMetrics(registry, worker);
  await worker.start();
  onStop(() => worker.stop());
  const publisher = new StatsPublisher(kafka, config.statsTopic, (max) => worker.stats(max), localStats);
  await publisher.start();
  onStop(() => publisher.stop());
}
