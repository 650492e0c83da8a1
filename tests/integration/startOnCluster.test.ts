/**
 * Windowpane starts on a fresh 3-node KRaft cluster that has none of its topics, ten times in a
 * row, each with topics of its own: every start must succeed and write a window. A broker that
 * has not yet heard of a topic another one just created answers UNKNOWN_TOPIC_OR_PARTITION, which
 * kafkajs does not retry; windowpane's admin calls go through its own retry (server/kafka/retriable.ts).
 *
 * One cluster for the ten starts, freshly formed for the first (not even the offsets and
 * transaction topics exist yet): forming one per start would take most of the run. Runs a
 * cluster of its own on ports 39092-39097, whatever KAFKA_BROKERS says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../scripts/kafka/localCluster';
import { startApp, type RunningApp } from '../../server/app';
import { createKafka } from '../../server/kafka/client';
import { isolatedConfig, readAll, waitFor } from '../support/kafka';

const PORT = 39092; // clients 39092-39094, controllers 39095-39097
const STARTS = 10;
const PARTITIONS = 3;
// Kafka's internal topics with a few partitions rather than 50: a fresh cluster creates them at the
// first group and the first transaction, which would otherwise take most of the first start.
const FEW_INTERNAL_PARTITIONS = { 'offsets.topic.num.partitions': 3, 'transaction.state.log.num.partitions': 3 };

const dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-start-on-cluster-'));
let cluster: LocalCluster | undefined;
let kafka: Kafka;
let producer: Producer;
let admin: Admin;
const stopping: Promise<void>[] = [];

beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3, port: PORT, dataDir, brokerProperties: FEW_INTERNAL_PARTITIONS });
  // windowpane's own client: its admin retries as the app's does.
  kafka = createKafka(cluster.brokers.split(','), 'start-on-cluster-test');
  admin = kafka.admin();
  await admin.connect();
}, 150_000);

afterAll(async () => {
  await Promise.all(stopping);
  await producer?.disconnect().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** Live readings (event time now) on every input partition, so each partition's watermark moves. */
async function sendReadings(topic: string): Promise<void> {
  const time = Date.now() / 1000;
  await producer.send({
    topic,
    messages: Array.from({ length: PARTITIONS * 2 }, (_, i) => ({
      partition: i % PARTITIONS,
      value: JSON.stringify({ id: (i % 4) + 1, time, value: i }),
    })),
  });
}

describe('start on a fresh 3-node cluster with no topics', () => {
  it(`succeeds ${STARTS} times in a row, each start writing a window`, async () => {
    const brokers = cluster!.brokers.split(',');
    const took: string[] = [];
    for (let start = 1; start <= STARTS; start++) {
      const t0 = Date.now();
      const config = isolatedConfig(
        // Unkeyed input: two stages, so the partials topic is created from the input's metadata.
        { windowMs: 1_000, allowedLatenessMs: 0, keyedBySensor: false, inputPartitions: PARTITIONS, roles: ['worker'] },
        { KAFKA_BROKERS: cluster!.brokers },
      );
      const app: RunningApp = await startApp(config, brokers).catch((error: Error) => {
        throw new Error(`start ${start} of ${STARTS} failed: ${error.message}`);
      });
      const started = Date.now() - t0;
      if (!producer) {
        producer = kafka.producer();
        await producer.connect();
      }
      const windows = await waitFor(
        `a window from start ${start}`,
        async () => {
          await sendReadings(config.inputTopic);
          // Cheap until something is written; this test's own client may meet a broker that does
          // not know the new topic yet, which is not what is tested: asked again.
          const written = await admin.fetchTopicOffsets(config.outputTopic).catch(() => []);
          if (!written.some((p) => Number(p.high) > 0)) return undefined;
          const output = [...(await readAll(kafka, config.outputTopic)).values()].flat();
          return output.length > 0 ? output : undefined;
        },
        45_000,
      );
      expect(windows.length).toBeGreaterThan(0);
      took.push(`${started}+${Date.now() - t0 - started}`);
      // Stopped while the next one starts: a stop is not what is tested, and it takes seconds.
      stopping.push(app.stop());
    }
    console.log(`[startOnCluster.test] per start, ms to start + to the first window: ${took.join(', ')}`);
  }, 240_000);
});
