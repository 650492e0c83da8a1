/**
 * "What if" re-windowing (POST /api/rewindow) against a real broker: readings with no key spread
 * over the partitions, decimal values, out of order, some stamped before their event time (inside
 * MAX_FUTURE_SECONDS), some arriving minutes late, malformed ones. The job's windows must equal
 * lib/reference.ts's recomputation over the same records read back from the topic; it reads only
 * from the planned offsets, writes nothing to the output topic, can be cancelled, and keeps its limits.
 */
import { apiContext, closeApiServers, serveApi } from '../support/apiServer';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RewindowJob, WindowResultRecord } from '../../lib/contract';
import { singleSizeSchedule } from '../../lib/engine/schedule';
import type { EngineReading } from '../../lib/engine/windowEngine';
import { readingDecoder } from '../../lib/input/readingDecoder';
import { recomputeWindows } from '../../lib/reference';
import { wholeWindowRange } from '../../lib/rewindow/plan';
import { createRandom } from '../../lib/simulation';
import { windowRecordOf } from '../../lib/windowRecord';
import type { AppConfig } from '../../server/config';
import { createKafka } from '../../server/kafka/client';
import { DEFAULT_REWINDOW_LIMITS, type RewindowLimits } from '../../server/web/rewindow/rewindowJobs';
import { createRewindowJobs } from '../../server/web/rewindow/rewindowSource';
import { brokersFromEnv, isolatedConfig, readAll, testKafka, waitFor } from '../support/kafka';

const kafka = testKafka();
const appKafka = createKafka(brokersFromEnv(), 'windowpane-rewindow-test');
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  await closeApiServers();
});

async function createTopics(config: AppConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: config.inputTopic, numPartitions: config.inputPartitions },
      { topic: config.outputTopic, numPartitions: config.inputPartitions },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
}

async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < messages.length; i += 5_000)
    await producer.send({ topic, messages: messages.slice(i, i + 5_000) });
  await producer.disconnect();
}

/** The API handler of a web process with its re-window jobs on a real Kafka client; nothing else behind it. */
async function serveJobs(config: AppConfig, limits: Partial<RewindowLimits> = {}): Promise<string> {
  const jobs = createRewindowJobs(appKafka, config, { ...DEFAULT_REWINDOW_LIMITS, ...limits });
  stops.push(() => jobs.stop());
  return serveApi(apiContext({ rewindow: jobs }));
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function finished(base: string, id: string): Promise<RewindowJob> {
  return waitFor(`re-window job ${id}`, async () => {
    const job = (await call(base, 'GET', `/api/rewindow/${id}`)).body as unknown as RewindowJob;
    return job.status === 'running' ? undefined : job;
  });
}

/** What lib/reference.ts computes from every record of the topic: the windows of [from, to) at `windowMs`, nothing late. */
async function referenceWindows(
  config: AppConfig,
  range: { from: number; to: number },
  windowMs: number,
  sensorId?: string,
): Promise<WindowResultRecord[]> {
  const decode = readingDecoder(config.input, { maxFutureMs: config.maxFutureMs });
  const partitions: EngineReading[][] = [];
  for (const messages of (await readAll(kafka, config.inputTopic)).values()) {
    const readings: EngineReading[] = [];
    for (const m of messages) {
      const decoded = decode({ value: m.value, timestampMs: Number(m.timestamp) }, Number(m.timestamp));
      if (!decoded.ok) continue;
      const { timeMs } = decoded.reading;
      if (
        timeMs >= range.from &&
        timeMs < range.to &&
        (sensorId === undefined || decoded.reading.sensorId === sensorId)
      )
        readings.push(decoded.reading);
    }
    partitions.push(readings);
  }
  const { windows, late } = recomputeWindows(partitions, singleSizeSchedule(windowMs), Number.POSITIVE_INFINITY);
  expect(late).toEqual([]);
  return windows
    .map((w) => windowRecordOf(w))
    .sort((a, b) => a.windowStart - b.windowStart || (a.sensorId < b.sensorId ? -1 : 1));
}

describe('POST /api/rewindow on a real broker', () => {
  const config = isolatedConfig();
  const windowSeconds = 7;
  // Half an hour ago, away from any whole 7 s boundary: the range's edges cut windows.
  const base = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
  const from = base + 1_234;
  const to = base + 120_567;
  const whole = wholeWindowRange(from, to, windowSeconds * 1000)!;
  const range = { from: whole.fromMs, to: whole.toMs };
  let url: string;
  const sensors = ['s1', 's2', 'boiler-3'];

  beforeAll(async () => {
    await createTopics(config);
    const random = createRandom(42);
    const messages: Message[] = [];
    const reading = (id: string, timeMs: number, value: string, stampMs: number) => ({
      value: `{"id":${JSON.stringify(id)},"time":${timeMs / 1000},"value":${value}}`,
      timestamp: String(stampMs),
    });
    // Every sensor, every ~0.7 s, from 20 s before the range to 20 s after it; two-decimal values, some negative.
    for (let t = base - 20_000; t < base + 140_000; t += 700) {
      for (const id of sensors) {
        const timeMs = t + Math.floor(random() * 700);
        const value = (Math.floor(random() * 10_000) / 100 - 20).toFixed(2);
        const kind = random();
        // Most are stamped a little after their event time; some up to 4.9 s before it (the producer's
        // clock behind; within MAX_FUTURE_SECONDS = 5 s); some arrive 5 minutes late.
        const stamp =
          kind < 0.1
            ? timeMs - 4_900 + Math.floor(random() * 900)
            : kind < 0.15
              ? timeMs + 300_000
              : timeMs + Math.floor(random() * 1_500);
        messages.push(reading(id, timeMs, value, stamp));
      }
    }
    // Right after the range's start, stamped 4.5 s before it: only the read margin finds it.
    messages.push(reading('s1', range.from + 100, '0.1', range.from - 4_500));
    messages.push(reading('s1', range.from + 200, '0.2', range.from - 4_400));
    // Malformed, and one too far ahead of its record (invalid for the worker too), inside the range.
    messages.push({ value: '{"id": "s2", "time": ', timestamp: String(base + 30_000) });
    messages.push(reading('s2', base + 60_000, '5', base + 50_000));
    // Out of order within each partition: shuffled in blocks of 40.
    for (let i = 0; i < messages.length; i += 40) {
      const block = messages.slice(i, i + 40).sort(() => random() - 0.5);
      messages.splice(i, block.length, ...block);
    }
    // No key; spread over the 3 partitions.
    await produce(
      config.inputTopic,
      messages.map((m, i) => ({ ...m, partition: i % 3 })),
    );
    url = await serveJobs(config);
  });

  it('recomputes the whole windows of the range exactly as lib/reference.ts does from the topic', async () => {
    const started = await call(url, 'POST', '/api/rewindow', { from, to, windowSeconds });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', range: { from: range.from, to: range.to } });
    const job = await finished(url, started.body.id as string);
    expect(job.status).toBe('done');
    const expected = await referenceWindows(config, range, windowSeconds * 1000);
    expect(expected.length).toBeGreaterThan(40);
    expect(job.result!.windows).toEqual(expected);
    expect(job.result!.windows[0].windowStart).toBe(range.from);
    expect(job.result!.windows.at(-1)!.windowEnd).toBe(range.to);
    expect(job.result!.skipped.invalid).toBe(2);
    expect(job.result!.skipped.outsideRange).toBeGreaterThan(0);

    // It read each partition from the first record stamped at or after the range's start minus
    // MAX_FUTURE_SECONDS (ListOffsets by timestamp) to the end: no more, no less.
    const readFrom = range.from - config.maxFutureMs;
    let planned = 0;
    for (const messages of (await readAll(kafka, config.inputTopic)).values()) {
      const first = messages.findIndex((m) => Number(m.timestamp) >= readFrom);
      if (first >= 0) planned += messages.length - first;
    }
    expect(job.progress).toEqual({ readRecords: planned, totalRecords: planned, fraction: 1 });
    // Nothing was written to the output topic.
    expect([...(await readAll(kafka, config.outputTopic)).values()].flat()).toHaveLength(0);
  });

  it('keeps only the asked sensor', async () => {
    const started = await call(url, 'POST', '/api/rewindow', { from, to, windowSeconds: 2.5, sensorId: 'boiler-3' });
    expect(started.status).toBe(202);
    const job = await finished(url, started.body.id as string);
    const oneRange = wholeWindowRange(from, to, 2_500)!;
    expect(job.range).toEqual({ from: oneRange.fromMs, to: oneRange.toMs });
    expect(job.result!.windows).toEqual(await referenceWindows(config, job.range, 2_500, 'boiler-3'));
    expect(new Set(job.result!.windows.map((w) => w.sensorId))).toEqual(new Set(['boiler-3']));
    expect(job.result!.skipped.otherSensors).toBeGreaterThan(0);
  });

  it('refuses with 4xx naming the field', async () => {
    expect(await call(url, 'POST', '/api/rewindow', { from, to: from + 24 * 3_600_000 + 1, windowSeconds })).toEqual({
      status: 400,
      body: { error: 'to: must be at most 24 hours after from' },
    });
    expect(await call(url, 'POST', '/api/rewindow', { from, to, windowSeconds: 0.01 })).toEqual({
      status: 400,
      body: { error: 'windowSeconds: must be at least 0.1' },
    });
    expect(await call(url, 'POST', '/api/rewindow', { from, to, windowSeconds: 200 })).toEqual({
      status: 400,
      body: {
        error:
          'windowSeconds: must leave at least one whole window between from and to (windows are aligned to the epoch)',
      },
    });
    expect((await call(url, 'GET', '/api/rewindow/no-such-job')).status).toBe(404);
    // 413 from the real offsets: a server allowing 50 records to be read.
    const small = await serveJobs(config, { maxRecords: 50 });
    const refused = await call(small, 'POST', '/api/rewindow', { from, to, windowSeconds });
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatch(/^from, to: about \d+ input records would be read .*more than 50; /);
  });
});

describe('cancelling and the running-jobs limit on a real broker', () => {
  const config = isolatedConfig();
  const base = Math.floor((Date.now() - 20 * 60_000) / 1_000) * 1_000;
  let url: string;
  const body = { from: base, to: base + 600_000, windowSeconds: 1 };
  let total = 0;

  beforeAll(async () => {
    await createTopics(config);
    // Enough records that a read takes seconds: 100 readings per second over 10 minutes.
    const messages: Message[] = [];
    for (let i = 0; i < 60_000; i++) {
      const timeMs = base + i * 10;
      messages.push({
        partition: i % 3,
        timestamp: String(timeMs),
        value: `{"id":"s${i % 50}","time":${timeMs / 1000},"value":${(i % 997) / 10}}`,
      });
    }
    total = messages.length;
    await produce(config.inputTopic, messages);
    url = await serveJobs(config);
  });

  const post = () => call(url, 'POST', '/api/rewindow', body);
  const expectAllRead = async (id: string) => {
    const done = await finished(url, id);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({ readRecords: total, fraction: 1 });
    expect(done.result!.windows.reduce((n, w) => n + w.count, 0)).toBe(total);
  };

  it('cancels a running job: no result, and its slot is free again', async () => {
    const started = await post();
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const cancelled = await call(url, 'DELETE', `/api/rewindow/${id}`);
    expect(cancelled).toMatchObject({ status: 200, body: { id, status: 'cancelled' } });
    // A cancelled job holds its slot until its consumer has left, a moment later: 429 until then.
    const next = await waitFor(
      'a free slot',
      async () => {
        const res = await post();
        if (res.status === 202) return res;
        expect(res.status).toBe(429);
        return undefined;
      },
      15_000,
    );
    const later = (await call(url, 'GET', `/api/rewindow/${id}`)).body as unknown as RewindowJob;
    expect(later.status).toBe('cancelled');
    expect(later.result).toBeUndefined();
    expect(later.progress.readRecords).toBeLessThan(total);
    await expectAllRead(next.body.id as string);
  });

  it('runs two jobs at a time and refuses a third with 429', async () => {
    // Asked for together: two get a slot (one counts from the moment it looks up offsets), one is refused.
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 429]);
    expect(answers.find((a) => a.status === 429)!.body).toEqual({
      error: 'rewindow: at most 2 jobs run at a time; wait for one to finish or cancel it',
    });
    for (const answer of answers.filter((a) => a.status === 202)) await expectAllRead(answer.body.id as string);
    // Finished jobs hold no slot.
    const again = await post();
    expect(again.status).toBe(202);
    await expectAllRead(again.body.id as string);
  });
});
