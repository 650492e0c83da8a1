/**
 * Faults of a real 3-node Kafka cluster (KRaft, replication factor 3, min.insync.replicas 2) under
 * live load, as a production user runs it: one node — the transaction coordinator of the worker's
 * first task, the leader of an input partition, or the worker group's coordinator — killed with
 * SIGKILL (left down, or started again) or paused with SIGSTOP. Every reading is produced on time
 * and in order per partition with acks=all, so the verifier must find every window exact and no
 * reading late. Reports how long the output stalled (the longest gap between output records
 * after the fault), for BENCHMARKS.md; never asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startLocalCluster } from '../../scripts/kafka/localCluster';
import type { AppConfig } from '../../server/config';
import { groupCoordinator, partitionLeader, transactionCoordinator } from './cluster';
import { isolatedConfig, readAll, waitFor } from './kafka';
import { waitForExact } from './pipeline';
import { LoadGenerator, sleep, spawnWorker, stopWorker } from './processes';

export type ClusterFault = 'transaction coordinator' | 'input partition leader' | 'group coordinator';

export interface ClusterFaultOptions {
  fault: ClusterFault;
  /** SIGKILL (a crash) or SIGSTOP (a hung node, resumed after `downMs`). */
  how: 'kill' | 'pause';
  /** How long the node stays down or paused. */
  downMs: number;
  /** Start a killed node again after `downMs`; otherwise it stays down to the end. */
  bringBack: boolean;
  /** First client port of the cluster; it takes six ports from here. */
  port: number;
  /** Input keyed by sensor id (INPUT_KEYED_BY_SENSOR): one stage, no merge to skip a repeated partial. */
  keyedBySensor?: boolean;
}

async function targetNode(kafka: Kafka, config: AppConfig, fault: ClusterFault): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (fault === 'input partition leader') {
      const leader = await partitionLeader(admin, config.inputTopic, 0);
      if (leader === undefined) throw new Error(`${config.inputTopic}-0 has no leader`);
      return leader;
    }
    if (fault === 'group coordinator') return await groupCoordinator(kafka, config.workerGroupId);
    return await transactionCoordinator(kafka, `${config.workerGroupId}-${config.inputTopic}-0`);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The output topic, created before the worker does it, with the broker's append time as each
 * record's timestamp: the gaps between them show how long the output stalled, measured by the
 * cluster itself rather than by a client that may be stalled by the same fault.
 */
async function createOutputTopic(kafka: Kafka, config: AppConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        {
          topic: config.outputTopic,
          numPartitions: config.inputPartitions,
          configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
        },
      ],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** The longest time between `fromMs` and `toMs` in which no output record was appended. */
async function longestOutputGapMs(kafka: Kafka, topic: string, fromMs: number, toMs: number): Promise<number> {
  const appended = [...(await readAll(kafka, topic)).values()].flat().map((m) => Number(m.timestamp));
  const times = [fromMs, ...appended.filter((t) => t > fromMs && t < toMs).sort((a, b) => a - b), toMs];
  return Math.max(...times.slice(1).map((t, i) => t - times[i]));
}

export async function clusterFault(options: ClusterFaultOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), 'windowpane-cluster-'));
  const cluster = await startLocalCluster({ nodes: 3, port: options.port, dataDir });
  const kafka = new Kafka({
    clientId: 'cluster-fault-test',
    brokers: cluster.brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  // The setting: 2 s windows, 1 s allowed lateness, 20 sensors × 5 readings/s.
  const config = {
    ...isolatedConfig({ windowMs: 2_000, allowedLatenessMs: 1_000, keyedBySensor: options.keyedBySensor ?? false }),
    kafkaBrokers: cluster.brokers.split(','),
  };
  await createOutputTopic(kafka, config);
  const worker = spawnWorker(config, { KAFKA_BROKERS: cluster.brokers });
  let keepData = false;
  try {
    await waitFor(
      'the worker to take its partitions',
      async () => (worker.logs.some((l) => l.includes('partition task started')) ? true : undefined),
      90_000,
    );
    const load = new LoadGenerator(kafka, config.inputTopic, 20, 5, config.keyedBySensor);
    await load.start();
    await sleep(20_000);
    const nodeId = await targetNode(kafka, config, options.fault);
    const node = cluster.node(nodeId);
    const faultAt = Date.now();
    if (options.how === 'pause') node.pause();
    else await node.kill('SIGKILL');
    await sleep(options.downMs);
    if (options.how === 'pause') node.resume();
    else if (options.bringBack) await node.restart();
    await sleep(20_000);
    const sent = await load.stop();
    const loadStoppedAt = Date.now();
    const report = await waitForExact(kafka, config, 180_000);
    // A discrepancy is investigated on the cluster's own logs and topics: keep them.
    keepData = !report.ok || report.lateReadings > 0;
    if (keepData) {
      const dump: Record<string, unknown> = {};
      for (const topic of [config.inputTopic, config.partialsTopic, config.outputTopic]) {
        dump[topic] = [...(await readAll(kafka, topic)).entries()].map(([partition, messages]) =>
          messages.map((m) => ({
            partition,
            offset: m.offset,
            timestamp: m.timestamp,
            key: m.key?.toString(),
            value: m.value?.toString(),
          })),
        );
      }
      writeFileSync(join(dataDir, 'topics.json'), JSON.stringify(dump));
      writeFileSync(join(dataDir, 'worker.log'), worker.logs.join('\n'));
      console.log(`cluster data and a dump of its topics (topics.json) kept in ${dataDir}`);
    }
    return {
      report,
      nodeId,
      sent,
      failedSends: load.failed,
      /** The longest stretch without output from the fault until the load stopped. */
      stallMs: await longestOutputGapMs(kafka, config.outputTopic, faultAt, loadStoppedAt),
      workerAlive: worker.child.exitCode === null,
      workerLogs: worker.logs,
    };
  } finally {
    await stopWorker(worker);
    await cluster.stop();
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  }
}
