/**
 * The local launcher's 3-node KRaft cluster survives the loss of a partition leader: a topic with
 * 3 replicas and min.insync.replicas=2 keeps taking acks=all writes and serving reads after its
 * leader is SIGKILLed, and the node comes back with its data. Runs a cluster of its own (it kills
 * a node) on ports 29600-29605, whatever KAFKA_BROKERS says.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../scripts/kafka/localCluster';
import { groupCoordinator, transactionCoordinator, waitForPartition } from '../support/cluster';

const PORT = 29600; // clients 29600-29602, controllers 29603-29605
const PARTITIONS = 3;
// The controller fences a silent broker after broker.session.timeout.ms (Kafka's default 9 s,
// plus a controller election when the dead node was the active controller): shorter here so
// the failover, and the test, take seconds rather than a quarter of a minute.
const FAST_FAILOVER = { 'broker.session.timeout.ms': 5_000, 'broker.heartbeat.interval.ms': 1_000 };

const dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-cluster-'));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const timings: string[] = [];
let cluster: LocalCluster | undefined;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  const t0 = Date.now();
  cluster = await startLocalCluster({ nodes: 3, port: PORT, dataDir, brokerProperties: FAST_FAILOVER });
  timings.push(`start-up of 3 nodes (format + all registered): ${seconds(Date.now() - t0)}`);
  kafka = new Kafka({
    clientId: 'cluster-test',
    brokers: cluster.brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  admin = kafka.admin();
  await admin.connect();
}, 150_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => {});
  const t0 = Date.now();
  await cluster?.stop();
  if (cluster) timings.push(`stop of the cluster: ${seconds(Date.now() - t0)}`);
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`[cluster.test] timings:\n  ${timings.join('\n  ')}`);
}, 60_000);

/** Kafka's partition for a group or transactional id: Utils.abs(Java String.hashCode) % partitions. */
function coordinatorPartition(key: string, partitions: number): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return (h === -0x80000000 ? 0 : Math.abs(h)) % partitions;
}

async function sendBatch(producer: Producer, topic: string, from: number, count: number): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({ partition: 0, key: `k${from + i}`, value: String(from + i) })),
  });
}

/** Values in partition 0, read by a new consumer group from the start until `expected` of them (or the timeout). */
async function readPartition0(topic: string, expected: number, timeoutMs = 30_000): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `cluster-test-read-${randomUUID().slice(0, 8)}` });
  const seen: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((res) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (partition !== 0) return;
          seen.push(message.value!.toString());
          if (seen.length >= expected) res();
        },
      });
    });
    await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs))]);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('local 3-node KRaft cluster', () => {
  it('has every node registered, with three-way replicated internal topics', async () => {
    const view = await admin.describeCluster();
    expect(view.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(cluster!.nodes.map((n) => [n.nodeId, n.port, n.controllerPort])).toEqual([
      [1, 29600, 29603],
      [2, 29601, 29604],
      [3, 29602, 29605],
    ]);

    // The first lookups create __consumer_offsets and __transaction_state (RF 3: all three nodes must be up).
    const groupId = 'cluster-test-group';
    const transactionalId = 'cluster-test-tx';
    const group = await groupCoordinator(kafka, groupId);
    const tx = await transactionCoordinator(kafka, transactionalId);
    // Created by those lookups a moment ago: their metadata may not be everywhere yet.
    const settled = (s: { leader: number | undefined; replicas: number[] }) =>
      s.leader !== undefined && s.replicas.length === 3;
    const offsets = await waitForPartition(
      admin,
      '__consumer_offsets',
      coordinatorPartition(groupId, 10),
      settled,
      30_000,
    );
    const txState = await waitForPartition(
      admin,
      '__transaction_state',
      coordinatorPartition(transactionalId, 10),
      settled,
      30_000,
    );
    expect(group).toBe(offsets.leader);
    expect(tx).toBe(txState.leader);
    expect(offsets.replicas).toHaveLength(3);
    expect(txState.replicas).toHaveLength(3);
  });

  it('keeps acks=all produce and consume working when partition 0 loses its leader, and takes the node back', async () => {
    const topic = `cluster-test-${randomUUID().slice(0, 8)}`;
    // Readiness is polled below, tolerating the moment in which a new topic's partitions are not
    // hosted yet (kafkajs's waitForLeaders gives up on that: "does not host this topic-partition").
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: PARTITIONS,
          replicationFactor: 3,
          configEntries: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
    });
    const before = await waitForPartition(admin, topic, 0, (s) => s.isr.length === 3);
    expect(before.replicas).toHaveLength(3);
    const leader = before.leader!;

    const producer = kafka.producer({ retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2_000 } });
    await producer.connect();
    try {
      await sendBatch(producer, topic, 0, 100);

      const { controller } = await admin.describeCluster();
      const killedAt = Date.now();
      await cluster!.node(leader).kill('SIGKILL');
      // First write after the kill: kafkajs retries until the controller has fenced the dead
      // node (broker.session.timeout.ms) and moved the leadership.
      await sendBatch(producer, topic, 100, 1);
      const firstWriteMs = Date.now() - killedAt;
      const after = await waitForPartition(admin, topic, 0, (s) => s.leader !== undefined && s.leader !== leader);
      const newLeaderMs = Date.now() - killedAt;
      timings.push(
        `failover after SIGKILL of node ${leader} (leader of ${topic}-0${leader === controller ? ', and the active controller' : ''}): first acks=all write ${seconds(firstWriteMs)}; metadata shows leader ${after.leader}, ISR [${after.isr}] at ${seconds(newLeaderMs)}`,
      );
      expect(after.isr).not.toContain(leader);
      expect(after.isr.length).toBeGreaterThanOrEqual(2);

      await sendBatch(producer, topic, 101, 99);
      const t0 = Date.now();
      const values = await readPartition0(topic, 200);
      timings.push(`consume of 200 records with ${leader} down (new consumer group): ${seconds(Date.now() - t0)}`);
      expect(new Set(values).size).toBe(200);

      const restartAt = Date.now();
      await cluster!.node(leader).restart();
      const registeredMs = Date.now() - restartAt;
      const healed = await waitForPartition(admin, topic, 0, (s) => s.isr.length === 3);
      timings.push(
        `restart of node ${leader}: registered again ${seconds(registeredMs)}, back in the ISR of ${topic}-0 ${seconds(Date.now() - restartAt)}`,
      );
      expect(healed.isr).toContain(leader);

      await sendBatch(producer, topic, 200, 10);
    } finally {
      await producer.disconnect();
    }
  });

  it('pauses and resumes a node with SIGSTOP / SIGCONT (stop() copes with a paused node)', async () => {
    const node = cluster!.node(3);
    node.pause();
    expect(node.paused).toBe(true);
    expect(node.running).toBe(true);
    node.resume();
    expect(node.paused).toBe(false);
    node.pause(); // left paused: afterAll's stop() must still end it
  });
});
