/**
 * The Operations endpoints against the real broker and a real worker: /api/operations lag figures
 * agree with the cluster's own offsets, the dead-letter inspector shows poison records where they
 * came from, and a redrive puts a dead letter back on the input topic once — a second redrive is
 * refused with 409, one without the control token with 401.
 *
 * The API is served by createApiHandler over the real Operations service rather than by a web-role
 * app: the web role needs a Next.js build, which this test does not need or assume.
 */
import { apiContext, closeApiServers, serveApi } from '../support/apiServer';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { AsideRecordView, AsideRecordsPage, OperationsOverview, RedriveOutcome } from '../../lib/contract';
import { encodeAside } from '../../lib/asideEnvelope';
import { startApp } from '../../server/app';
import { REDRIVE_OF_HEADER } from '../../server/web/operations/redriver';
import { ensureTopics } from '../../server/kafka/topics';
import { redriveCounter } from '../../server/web/operations/operationsMetrics';
import { createRegistry } from '../../server/metrics/registry';
import { Operations } from '../../server/web/operations/operations';
import { brokersFromEnv, isolatedConfig, readAll, testKafka, waitFor } from '../support/kafka';
import { produceReadings, seededReadings, waitForExact } from '../support/pipeline';

const TOKEN = 'ops-test-token';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await closeApiServers();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function serveOperations(operations: Operations): Promise<string> {
  return serveApi(
    apiContext({ control: { token: TOKEN, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] }, operations }),
  );
}

describe('Operations view endpoints', () => {
  it('report lag and members, list dead letters, and redrive one once', async () => {
    const kafka = testKafka();
    const config = isolatedConfig({
      windowMs: 1_000,
      allowedLatenessMs: 1_000,
      redriveTopic: `it-${randomUUID().slice(0, 8)}-redrives`,
      controlToken: TOKEN,
    });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await ensureTopics(admin, config);

    // Readings from a minute ago, in the topic before the worker starts (see separateRoles.test.ts),
    // and two poison records on partition 1: text that is not JSON, and bytes that are not UTF-8.
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await produceReadings(kafka, config.inputTopic, seededReadings(start, 300, 3, 50, 0, 5));
    const producer = kafka.producer();
    await producer.connect();
    const [textPoison] = await producer.send({
      topic: config.inputTopic,
      messages: [{ partition: 1, key: 'poison-key', value: 'not json' }],
    });
    const [bytePoison] = await producer.send({
      topic: config.inputTopic,
      messages: [{ partition: 1, key: null, value: Buffer.from([0xff, 0xfe, 0x7b]) }],
    });
    await producer.disconnect();

    const worker = await startApp({ ...config, roles: ['worker'] }, brokersFromEnv());
    let workerRunning = true;
    cleanups.push(() => (workerRunning ? worker.stop() : Promise.resolve()));
    const registry = createRegistry();
    const operations = new Operations(kafka, config, redriveCounter(registry), () => null);
    await operations.start();
    cleanups.push(() => operations.stop());
    const url = await serveOperations(operations);
    const get = async <T>(path: string) => {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };
    const redrive = async (body: unknown, token: string | null = TOKEN) => {
      const res = await fetch(`${url}/api/dead-letters/redrive`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as RedriveOutcome };
    };

    const report = await waitForExact(kafka, config);
    expect(report).toMatchObject({ ok: true, invalidReadings: 2 });

    // The inspector shows both poison records with where they came from.
    const dead = await waitFor(
      'the dead letters to be listed',
      async () => {
        const page = await get<AsideRecordsPage>('/api/dead-letters?limit=10');
        return page.records.length === 2 ? page : undefined;
      },
      30_000,
    );
    expect(dead.topic).toBe(config.dlqTopic);
    const [newest, oldest] = dead.records;
    expect(oldest).toMatchObject({
      topic: config.dlqTopic,
      partition: 0,
      source: { topic: config.inputTopic, partition: 1, offset: String(textPoison.baseOffset) },
      key: { encoding: 'utf8', data: 'poison-key', bytes: 10, truncated: false },
      value: { encoding: 'utf8', data: 'not json', bytes: 8, truncated: false },
      redrivenAt: null,
    });
    expect(oldest.reason).toMatch(/json/i);
    expect(newest).toMatchObject({
      source: { topic: config.inputTopic, partition: 1, offset: String(bytePoison.baseOffset) },
      key: null,
      value: { encoding: 'base64', data: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'), bytes: 3 },
    });
    expect((await get<AsideRecordsPage>('/api/dead-letters?limit=1')).records).toEqual([newest]);
    expect((await fetch(`${url}/api/dead-letters?limit=501`)).status).toBe(400);

    // Lag while the worker runs: the committed offsets move with its steps, so each must lie
    // between the group's offsets read just before and just after the call.
    const committedNow = async (topic: string) => {
      const [offsets] = await admin.fetchOffsets({ groupId: config.workerGroupId, topics: [topic] });
      return new Map(offsets.partitions.map((p) => [p.partition, Number(p.offset)]));
    };
    const live = await waitFor('the worker to be a stable member', async () => {
      const o = await get<OperationsOverview>('/api/operations');
      return o.state === 'Stable' && o.members.length === 1 && o.members[0].assignment !== null ? o : undefined;
    });
    const before = await committedNow(config.inputTopic);
    const overview = await get<OperationsOverview>('/api/operations');
    const after = await committedNow(config.inputTopic);
    const ends = await admin.fetchTopicOffsets(config.inputTopic);
    expect(overview.input.topic).toBe(config.inputTopic);
    expect(overview.input.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of overview.input.partitions) {
      const end = Number(ends.find((e) => e.partition === p.partition)!.high);
      expect(p.end).toBe(end);
      expect(p.committed).not.toBeNull();
      expect(p.committed!).toBeGreaterThanOrEqual(before.get(p.partition)!);
      expect(p.committed!).toBeLessThanOrEqual(after.get(p.partition)!);
      expect(p.lag).toBe(end - p.committed!);
      // The checkpoint's watermark: past the readings of a minute ago.
      expect(p.watermarkMs).toBeGreaterThan(start);
    }
    expect(overview.partials?.topic).toBe(config.partialsTopic);
    expect(overview.partials?.partitions).toHaveLength(3);
    expect(overview.totals.lag).toBe(overview.input.lag + overview.partials!.lag);
    expect(live.members[0].assignment).toEqual(
      [
        { topic: config.inputTopic, partitions: [0, 1, 2] },
        { topic: config.partialsTopic, partitions: [0, 1, 2] },
      ].sort((a, b) => (a.topic < b.topic ? -1 : 1)),
    );

    // With the worker stopped, new input is pure lag: exactly the records produced since.
    await worker.stop();
    workerRunning = false;
    const stopped = await committedNow(config.inputTopic);
    await produceReadings(kafka, config.inputTopic, seededReadings(Date.now(), 6, 3, 10, 0, 6));
    const idle = await get<OperationsOverview>('/api/operations');
    const endsNow = await admin.fetchTopicOffsets(config.inputTopic);
    for (const p of idle.input.partitions) {
      const end = Number(endsNow.find((e) => e.partition === p.partition)!.high);
      expect(p).toMatchObject({ end, committed: stopped.get(p.partition), lag: end - stopped.get(p.partition)! });
    }
    expect(sum(endsNow.map((e) => Number(e.high))) - sum(ends.map((e) => Number(e.high)))).toBe(6);
    expect(idle.input.lag).toBe(sum(endsNow.map((e) => Number(e.high) - stopped.get(e.partition)!)));
    expect(idle.members).toEqual([]);

    // Redrive: refused without the token, done once with it, refused with 409 the second time.
    const textLetter = { partition: oldest.partition, offset: oldest.offset };
    const name = `${config.dlqTopic}/${textLetter.partition}/${textLetter.offset}`;
    const unauthorised = await redrive({ records: [textLetter] }, null);
    expect(unauthorised.status).toBe(401);
    expect((await redrive({ records: [{ ...textLetter, offset: 12 }] })).body.error).toBe(
      'records.0.offset: must be a string of digits',
    );

    const first = await redrive({ records: [textLetter] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      redriven: 1,
      refused: 0,
      results: [{ ...textLetter, status: 'redriven', replaced: false, to: { topic: config.inputTopic } }],
    });
    const second = await redrive({ records: [textLetter] });
    expect(second.status).toBe(409);
    expect(second.body.error).toContain(name);
    expect(second.body.results).toMatchObject([{ ...textLetter, status: 'refused' }]);
    const missing = await redrive({ records: [{ partition: 0, offset: '999999' }] });
    expect(missing.status).toBe(404);

    const redriven = [...(await readAll(kafka, config.inputTopic)).values()]
      .flat()
      .filter((m) => m.headers?.[REDRIVE_OF_HEADER] !== undefined);
    expect(redriven).toHaveLength(1);
    expect(redriven[0].headers![REDRIVE_OF_HEADER]!.toString()).toBe(name);
    expect(redriven[0].key?.toString()).toBe('poison-key');
    expect(redriven[0].value?.toString()).toBe('not json');
    expect(redriven[0].offset).toBe(
      first.body.results[0].status === 'redriven' ? first.body.results[0].to?.offset : 'none',
    );

    // "again" with a replacement value sends the fixed record, and the redrive topic remembers it.
    const again = await redrive({
      records: [{ ...textLetter, value: '{"id": 7, "time": 1, "value": 2}' }],
      again: true,
    });
    expect(again.status).toBe(200);
    const all = [...(await readAll(kafka, config.inputTopic)).values()]
      .flat()
      .filter((m) => m.headers?.[REDRIVE_OF_HEADER] !== undefined);
    expect(all.map((m) => m.value?.toString())).toEqual(['not json', '{"id": 7, "time": 1, "value": 2}']);
    const listed = await waitFor(
      'the redrive to show',
      async () => {
        const page = await get<AsideRecordsPage>('/api/dead-letters?limit=10');
        const r = page.records.find((x) => x.offset === textLetter.offset);
        return r?.redrivenAt ? r : undefined;
      },
      15_000,
    );
    expect(listed.redrivenAt).toBeGreaterThan(start);
    const counted = await registry.getSingleMetric('windowpane_redrives_total')!.get();
    expect(Object.fromEntries(counted.values.map((v) => [v.labels.value, v.value]))).toEqual({
      original: 1,
      replacement: 1,
    });
  });
});

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

describe('one dead letter, whole', () => {
  it('shows the first 8 KiB of a 900 000-byte dead letter in the list and sends all of it on request', async () => {
    const kafka = testKafka();
    const config = isolatedConfig({ redriveTopic: `it-${randomUUID().slice(0, 8)}-redrives`, controlToken: TOKEN });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await ensureTopics(admin, config);
    const big = `{"id": "a", "note": "${'x'.repeat(899_970)}"`; // not JSON: the closing brace is missing
    const producer = kafka.producer();
    await producer.connect();
    const [written] = await producer.send({
      topic: config.dlqTopic,
      messages: [
        {
          partition: 0,
          ...encodeAside({ key: 'k', value: big }, 'value: not valid JSON', {
            topic: config.inputTopic,
            partition: 2,
            offset: 41,
          }),
        },
      ],
    });
    await producer.disconnect();

    const operations = new Operations(kafka, config, redriveCounter(createRegistry()), () => null);
    await operations.start();
    cleanups.push(() => operations.stop());
    const url = await serveOperations(operations);
    const listed = await waitFor('the dead letter to be listed', async () => {
      const page = (await (await fetch(`${url}/api/dead-letters`)).json()) as AsideRecordsPage;
      return page.records[0];
    });
    expect(listed.value).toMatchObject({ encoding: 'utf8', bytes: big.length, truncated: true });
    expect(listed.value!.data.length).toBe(8 * 1024);

    const res = await fetch(`${url}/api/dead-letters/0/${written.baseOffset}`);
    expect(res.status).toBe(200);
    const whole = (await res.json()) as AsideRecordView;
    expect(whole).toMatchObject({
      partition: 0,
      offset: written.baseOffset,
      reason: 'value: not valid JSON',
      source: { topic: config.inputTopic, partition: 2, offset: '41' },
      key: { data: 'k', truncated: false },
      value: { encoding: 'utf8', bytes: big.length, truncated: false },
    });
    expect(whole.value!.data).toBe(big);
    expect((await fetch(`${url}/api/dead-letters/0/${Number(written.baseOffset) + 5}`)).status).toBe(404);
    // One whole read at a time: a second caller meanwhile is told when to come back.
    const [one, two] = await Promise.all([
      fetch(`${url}/api/dead-letters/0/${written.baseOffset}`),
      fetch(`${url}/api/dead-letters/0/${written.baseOffset}`),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 429]);
    expect((one.status === 429 ? one : two).headers.get('retry-after')).toBe('2');
  });
});
