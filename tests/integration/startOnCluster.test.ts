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
import { logLevel, Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../scripts/kafka/localCluster';
import { startApp, type RunningApp } from '../../server/app';
import { isolatedConfig, readAll, waitFor } from '../support/kafka';

const PORT = 39092; // clients 39092-39094, controllers 39095-39097
const STARTS = 10;
const PARTITIONS = 3;

const dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-start-on-cluster-'));
let cluster: LocalCluster | undefined;
let kafka: Kafka;
let producer: Producer;
let running: RunningApp | undefined;

beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3, port: PORT, dataDir });
  kafka = new Kafka({
    clientId: 'start-on-cluster-test',
    brokers: cluster.brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
}, 150_000);

afterAll(async () => {
  await running?.stop();
  await producer?.disconnect().catch(() => undefined);
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
    const took: number[] = [];
    for (let start = 1; start <= STARTS; start++) {
      const t0 = Date.now();
      const config = isolatedConfig(
        // Unkeyed input: two stages, so the partials topic is created from the input's metadata.
        { windowMs: 1_000, allowedLatenessMs: 0, keyedBySensor: false, inputPartitions: PARTITIONS, roles: ['worker'] },
        { KAFKA_BROKERS: cluster!.brokers },
      );
      running = await startApp(config, brokers).catch((error: Error) => {
        throw new Error(`start ${start} of ${STARTS} failed: ${error.message}`);
      });
      if (!producer) {
        producer = kafka.producer();
        await producer.connect();
      }
      const windows = await waitFor(
        `a window from start ${start}`,
        async () => {
          await sendReadings(config.inputTopic);
          const output = [...(await readAll(kafka, config.outputTopic)).values()].flat();
          return output.length > 0 ? output : undefined;
        },
        45_000,
      );
      expect(windows.length).toBeGreaterThan(0);
      await running.stop();
      running = undefined;
      took.push(Date.now() - t0);
    }
    console.log(`[startOnCluster.test] start to first window, per start (ms): ${took.join(', ')}`);
  }, 240_000);
});
