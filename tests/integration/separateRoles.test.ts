/**
 * Roles in separate apps, as an operator deploys them: a worker-only and a web-only app share
 * nothing but Kafka. The web server's stats must add up what the worker did, and agree with the
 * verifier's count of late and invalid readings and with the late topic, sensor by sensor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Stats } from '../../lib/contract';
import { startApp, type RunningApp } from '../../server/app';
import { ensureTopics } from '../../server/kafka/topics';
import { brokersFromEnv, isolatedConfig, readAll, testKafka, waitFor } from '../support/kafka';
import { produceReadings, seededReadings, waitForExact } from '../support/pipeline';

const running: RunningApp[] = [];
afterAll(async () => {
  for (const app of running.reverse()) await app.stop();
});

describe('worker and web in separate apps', () => {
  it("the web server's stats add up the worker's counts", async () => {
    const kafka = testKafka();
    const config = isolatedConfig({ windowMs: 1_000, allowedLatenessMs: 1_000 });
    // Readings from a minute ago are in the topic before the worker starts: an input partition
    // still empty once it has been idle follows the wall clock, and old readings would be late.
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const onTime = seededReadings(start, 1_000, 5, 10, 0, 4);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, config);
    await admin.disconnect();
    await produceReadings(kafka, config.inputTopic, onTime);
    running.push(await startApp({ ...config, roles: ['worker'] }, brokersFromEnv()));
    const web = await startApp({ ...config, roles: ['web'], port: 0 }, brokersFromEnv());
    running.push(web);
    await waitForExact(kafka, config);
    const lateOnes = seededReadings(start, 40, 4, 100, 0, 8);
    await produceReadings(kafka, config.inputTopic, lateOnes);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: config.inputTopic,
      messages: [
        { key: '1', value: 'not json' },
        { key: '1', value: null },
      ],
    });
    await producer.disconnect();
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, invalidReadings: 2 });
    expect(report.lateReadings).toBeGreaterThan(0);

    const lateBySensor: Record<string, number> = {};
    for (const m of [...(await readAll(kafka, config.lateTopic)).values()].flat()) {
      const id = String((JSON.parse(m.value!.toString()) as { id: number }).id);
      lateBySensor[id] = (lateBySensor[id] ?? 0) + 1;
    }
    const stats = await waitFor(
      'stats to add up',
      async () => {
        const s = (await (await fetch(`${web.url}/api/stats`)).json()) as Stats;
        return s.readingsTotal === onTime.length + lateOnes.length &&
          s.invalidTotal === 2 &&
          s.lateTotal === report.lateReadings
          ? s
          : undefined;
      },
      30_000,
    );
    expect(stats).toMatchObject({
      workers: 1,
      partitions: [0, 1, 2],
      kafkaConnected: true,
      windowsTotal: report.windowsWritten,
      lateBySensor,
    });
  });
});
