/**
 * The worker against a real broker: what lands in the output topic must equal the windows
 * recomputed from the input topic, including out-of-order, late and invalid readings and a
 * window size change mid-stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EXTRA_AGGREGATES } from '../../lib/aggregates/choice';
import { startApp, type RunningApp } from '../../server/app';
import type { AppConfig } from '../../server/config';
import { ConfigStore } from '../../server/shared/configStore';
import { ensureTopics } from '../../server/kafka/topics';
import { createKafka } from '../../server/kafka/client';
import { verifyTopics } from '../../server/verify/verifier';
import { brokersFromEnv, isolatedConfig, readAll, testKafka } from '../support/kafka';
import { produceReadings, seededReadings, waitForExact, type RawReading } from '../support/pipeline';

const kafka = testKafka();
let running: RunningApp[] = [];

afterEach(async () => {
  for (const app of running) await app.stop();
  running = [];
});

/**
 * Readings from the past are produced after the worker starts: an input partition still empty
 * once idle follows the wall clock and would make them late, so idle time is generous here, and
 * `before` can write readings before the worker starts.
 */
async function startWorker(env: Record<string, string> = {}, before?: (config: AppConfig) => Promise<void>) {
  const config = isolatedConfig({ roles: ['worker'] }, { IDLE_TIMEOUT_MS: '5000', ...env });
  if (before) {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, config);
    await admin.disconnect();
    await before(config);
  }
  running.push(await startApp(config, brokersFromEnv()));
  return config;
}

describe('worker against a real broker', () => {
  it('writes exactly the windows recomputed from the input, counting late readings apart', async () => {
    const config = await startWorker({ WINDOW_SECONDS: '1', ALLOWED_LATENESS_SECONDS: '1' });
    const start = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    // 20 s of event time from 7 sensors, out of order by up to ±0.8 s, some beyond the lateness.
    const onTime = seededReadings(start, 2_000, 7, 10, 800);
    await produceReadings(kafka, config.inputTopic, onTime);
    expect((await waitForExact(kafka, config)).ok).toBe(true);

    // Readings for windows long closed: late, counted, never re-counted.
    await produceReadings(kafka, config.inputTopic, seededReadings(start, 30, 3, 100, 0, 9));
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 });
    expect(report.lateReadings).toBeGreaterThanOrEqual(30);
    expect(report.written.every((w) => w.windowEnd - w.windowStart === 1_000)).toBe(true);
    // The late topic holds exactly the readings the watermark rule finds late.
    const ruleBased = await verifyTopics(kafka, { ...config, lateTopic: '' });
    expect(ruleBased.ok).toBe(true);
    expect(ruleBased.lateReadings).toBe(report.lateReadings);
  });

  it('applies a window size change at its event time with no reading lost or counted twice', async () => {
    const config = await startWorker({ WINDOW_SECONDS: '2', ALLOWED_LATENESS_SECONDS: '1' });
    const start = Math.floor(Date.now() / 10_000) * 10_000 - 120_000;
    const store = new ConfigStore(createKafka(brokersFromEnv(), 'it-config'), config);
    await store.start();
    // As the API does, but "now" is the start of the data, which lies in the past.
    const record = await store.update({ windowSeconds: 5 }, start);
    await store.stop();
    // These readings lie in the past, so the lead that protects live data does not apply:
    // give the worker's own config consumer a moment to see the change before they arrive.
    await new Promise((r) => setTimeout(r, 2_000));
    const changeAt = record.schedule[1].fromMs!;
    expect(changeAt).toBeGreaterThan(start);

    await produceReadings(kafka, config.inputTopic, seededReadings(start, 3_000, 5, 10, 300, 3));
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 });
    const output = report.written;
    const before = output.filter((w) => w.windowStart < changeAt);
    const after = output.filter((w) => w.windowStart >= changeAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((w) => w.windowEnd - w.windowStart === 2_000 && w.windowEnd <= changeAt)).toBe(true);
    // From the change on: epoch-aligned 5 s windows, the first one cut to start at the change.
    expect(
      after.every((w) => w.windowEnd % 5_000 === 0 && (w.windowStart % 5_000 === 0 || w.windowStart === changeAt)),
    ).toBe(true);
    expect(after.filter((w) => w.windowEnd - w.windowStart === 5_000).length).toBeGreaterThan(0);
    const total = output.reduce((n, w) => n + w.count, 0) + report.lateReadings;
    expect(total).toBe(3_000);
  });

  it('skips, counts and dead-letters bad records while the good ones stay exact', async () => {
    const config = await startWorker({ WINDOW_SECONDS: '1', ALLOWED_LATENESS_SECONDS: '1' });
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const good = seededReadings(start, 600, 4, 10, 0, 5);
    const producer = kafka.producer();
    await producer.connect();
    const poison = [
      { key: '1', value: 'not json' },
      { key: '1', value: '{"time": 1, "value": 1}' },
      { key: '1', value: JSON.stringify({ id: 1, time: 'yesterday', value: 1 }) },
      { key: '1', value: JSON.stringify({ id: 1, time: start / 1000, value: '1.5' }) },
      { key: '1', value: '{"id": 1, "time": 1763900000, "value": 1e999}' },
      { key: '1', value: `{"id": 1, "time": ${start / 1000}, "value": 1e-21}` },
      { key: '1', value: JSON.stringify({ id: 1, time: Date.now() / 1000 + 3_600, value: 1 }) },
      { key: '1', value: null },
    ];
    // Together beyond 2^53-1, where doubles stop being exact: summed exactly all the same.
    const huge = JSON.stringify({ id: 99, time: start / 1000 + 30, value: Number.MAX_SAFE_INTEGER });
    const beyond = [
      { key: '99', value: huge },
      { key: '99', value: huge },
    ];
    const half = good.length / 2;
    const asMessages = (rs: RawReading[]) => rs.map((r) => ({ key: null, value: JSON.stringify(r) }));
    await producer.send({
      topic: config.inputTopic,
      messages: [...asMessages(good.slice(0, half)), ...poison, ...beyond, ...asMessages(good.slice(half))],
    });
    await producer.disconnect();

    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, invalidReadings: poison.length });
    expect(report.written.find((w) => w.sensorId === '99')).toMatchObject({ sum: '18014398509481982', count: 2 });

    const dlq = [...(await readAll(kafka, config.dlqTopic)).values()].flat();
    expect(dlq).toHaveLength(poison.length);
    const reasons = dlq.map((m) => m.headers?.['windowpane-reason']?.toString());
    expect(reasons).toEqual(
      expect.arrayContaining([
        'value: not valid JSON',
        'id: missing',
        'value: record has no value (null)',
        'value: must be a JSON number (not a string)',
        'value: must be below 1e40 in absolute value',
        'value: has more than 20 digits after the decimal point',
      ]),
    );
    expect(dlq.every((m) => m.headers?.['windowpane-offset'] !== undefined)).toBe(true);
    const originals = new Set(poison.map((p) => p.value));
    expect(dlq.every((m) => originals.has(m.value === null ? null : m.value.toString()))).toBe(true);
  });

  it('with a small MAX_SENSORS, dead-letters readings of further new sensors (too_many_sensors) and stays exact', async () => {
    const config = await startWorker({ WINDOW_SECONDS: '1', ALLOWED_LATENESS_SECONDS: '1', MAX_SENSORS: '3' });
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    // 8 sensors over every partition: each partition's window sees more than 3 of them.
    await produceReadings(kafka, config.inputTopic, seededReadings(start, 800, 8, 10, 0, 7));
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 });
    const dlq = [...(await readAll(kafka, config.dlqTopic)).values()].flat();
    expect(dlq.length).toBeGreaterThan(0);
    expect(report.invalidReadings).toBe(dlq.length);
    const reasons = new Set(dlq.map((m) => m.headers?.['windowpane-reason']?.toString()));
    expect([...reasons]).toEqual(['too_many_sensors: its window already holds 3 sensors']);
    // At most 3 sensors per window of each partition: the windows written hold at most 3 per partition.
    const perWindow = new Map<number, number>();
    for (const w of report.written) perWindow.set(w.windowStart, (perWindow.get(w.windowStart) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(3 * config.inputPartitions);
  });

  it('closes the last windows when the input goes idle, without any further reading', async () => {
    const now = Date.now();
    const live = seededReadings(now - 3_000, 30, 3, 100, 0, 7); // up to "now": nothing after it closes the last window
    const config = await startWorker(
      { WINDOW_SECONDS: '2', ALLOWED_LATENESS_SECONDS: '1', IDLE_TIMEOUT_MS: '500' },
      (c) => produceReadings(kafka, c.inputTopic, live),
    );
    const report = await waitForExact(kafka, config);
    expect(report.ok).toBe(true);
    const output = report.written;
    const lastReadingMs = Math.max(...live.map((r) => r.time * 1000));
    expect(output.some((w) => w.windowStart <= lastReadingMs && lastReadingMs < w.windowEnd)).toBe(true);
  });

  it("windows a producer's own shape exactly: nested fields, string ids in any script, ISO-8601 times, decimal values, every extra aggregate", async () => {
    const config = await startWorker({
      WINDOW_SECONDS: '1',
      WINDOW_AGGREGATES: EXTRA_AGGREGATES.join(','),
      QUANTILE_RELATIVE_ACCURACY: '0.02',
      ALLOWED_LATENESS_SECONDS: '1',
      INPUT_ID_FIELD: 'device.id',
      INPUT_TIME_FIELD: 'ts',
      INPUT_VALUE_FIELD: 'reading.celsius',
      INPUT_TIME_FORMAT: 'iso8601',
    });
    const ids = ['boiler-3', 'kessel-ü', '温度計', 'sensor 🌡'];
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    let seed = 17;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const messages = Array.from({ length: 800 }, (_, i) => {
      const id = ids[i % ids.length];
      const at = new Date(start + i * 25 + Math.round((rand() * 2 - 1) * 300));
      // Offsets vary: the instant is what counts.
      const ts = i % 3 === 0 ? at.toISOString() : at.toISOString().replace('Z', '+00:00');
      const celsius = (Math.round(rand() * 4000) - 1000) / 100; // -10.00 … 30.00, two decimals
      return {
        key: null,
        value: `{"device": {"id": ${JSON.stringify(id)}, "site": "north"}, "ts": "${ts}", "reading": {"celsius": ${celsius.toFixed(2)}}}`,
      };
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: config.inputTopic, messages });
    await producer.disconnect();

    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0, invalidReadings: 0 });
    expect(new Set(report.written.map((w) => w.sensorId))).toEqual(new Set(ids));
    // Sums of two-decimal values have at most two decimals when they are exact.
    expect(report.written.every((w) => /^-?\d+(\.\d{1,2})?$/.test(w.sum))).toBe(true);
    expect(report.written.some((w) => w.sum.includes('.'))).toBe(true);
    expect(report.written.every((w) => Number(w.min) <= Number(w.mean) && Number(w.mean) <= Number(w.max))).toBe(true);
    // The verifier recomputed each extra from the readings: every window carries all of them.
    expect(report.expected.every((w) => EXTRA_AGGREGATES.every((a) => w[a] !== undefined))).toBe(true);
    expect(report.written.every((w) => EXTRA_AGGREGATES.every((a) => w[a] !== undefined))).toBe(true);
  });

  it("takes event time from the Kafka record's timestamp with INPUT_TIME_FORMAT=record-timestamp", async () => {
    const config = await startWorker({
      WINDOW_SECONDS: '1',
      ALLOWED_LATENESS_SECONDS: '1',
      INPUT_TIME_FORMAT: 'record-timestamp',
    });
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: null,
      value: JSON.stringify({ id: i % 3, value: i / 4 }),
      timestamp: String(start + i * 40),
    }));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: config.inputTopic, messages });
    await producer.disconnect();
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, invalidReadings: 0 });
    // 300 readings 40 ms apart: 12 one-second windows per sensor, all from the record timestamps.
    expect(report.written).toHaveLength(3 * 12);
    expect(Math.min(...report.written.map((w) => w.windowStart))).toBe(start);
  });

  it('with INPUT_KEYED_BY_SENSOR, windows keyed input in one stage and refuses a record whose key is not its sensor', async () => {
    const config = await startWorker({
      WINDOW_SECONDS: '1',
      ALLOWED_LATENESS_SECONDS: '1',
      INPUT_KEYED_BY_SENSOR: 'true',
    });
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await produceReadings(kafka, config.inputTopic, seededReadings(start, 600, 5, 20, 300, 3), { keyed: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: config.inputTopic,
      messages: [
        { key: '2', value: JSON.stringify({ id: 1, time: start / 1000 + 1, value: 1 }) },
        { key: null, value: JSON.stringify({ id: 1, time: start / 1000 + 1, value: 1 }) },
      ],
    });
    await producer.disconnect();
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, invalidReadings: 2 });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).not.toContain(config.partialsTopic);
    await admin.disconnect();
    const dlq = [...(await readAll(kafka, config.dlqTopic)).values()].flat();
    expect(dlq.map((m) => m.headers?.['windowpane-reason']?.toString())).toEqual([
      expect.stringContaining('key: must equal the sensor id'),
      expect.stringContaining('key: must equal the sensor id'),
    ]);
  });

  it('with WINDOW_CALENDAR=day in Europe/Helsinki, windows local days exactly, the day clocks went back 25 hours long', async () => {
    const config = await startWorker({
      WINDOW_CALENDAR: 'day',
      WINDOW_TIME_ZONE: 'Europe/Helsinki',
      ALLOWED_LATENESS_SECONDS: '1',
    });
    // 2026-10-24 01:00 to 2026-10-26 23:55 Helsinki time, a reading every 5 min, three sensors; then
    // one reading per partition a second before the last local midnight, so that idle advance
    // closes the last day within seconds (it moves a watermark on from its partition's last reading).
    const start = Date.parse('2026-10-23T22:00:00Z');
    const lastMidnight = Date.parse('2026-10-27T00:00:00+02:00');
    const readings = seededReadings(start, (lastMidnight - start) / 300_000, 3, 300_000, 0, 31);
    await produceReadings(kafka, config.inputTopic, readings);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: config.inputTopic,
      messages: Array.from({ length: config.inputPartitions }, (_, partition) => ({
        partition,
        value: JSON.stringify({ id: partition + 1, time: (lastMidnight - 1_000) / 1000, value: 1 }),
      })),
    });
    await producer.disconnect();
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0, lateReadings: 0 });
    const hours = new Map(report.written.map((w) => [w.windowStart, (w.windowEnd - w.windowStart) / 3_600_000]));
    expect([...hours.entries()].sort(([a], [b]) => a - b)).toEqual([
      [Date.parse('2026-10-24T00:00:00+03:00'), 24],
      [Date.parse('2026-10-25T00:00:00+03:00'), 25],
      [Date.parse('2026-10-26T00:00:00+02:00'), 24],
    ]);
  });

  it('windows exactly when keys have nothing to do with sensors (a custom partitioner, a request id as key)', async () => {
    const config = await startWorker({ WINDOW_SECONDS: '1', ALLOWED_LATENESS_SECONDS: '1' });
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const readings = seededReadings(start, 900, 6, 20, 200, 21);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: config.inputTopic,
      // Keys unrelated to the sensor, some readings also placed by hand: one sensor on every partition.
      messages: readings.map((r, i) => ({
        key: `request-${i * 7_919}`,
        value: JSON.stringify(r),
        ...(i % 5 === 0 ? { partition: i % config.inputPartitions } : {}),
      })),
    });
    await producer.disconnect();
    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0, invalidReadings: 0 });
    expect(new Set(report.written.map((w) => w.sensorId)).size).toBe(6);
  });
});
