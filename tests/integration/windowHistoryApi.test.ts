/**
 * `GET /api/windows?from=&to=` on a web-only app: recent windows from memory, older ones read back
 * from the output topic (beyond the web tier's look-back and its HISTORY_WINDOWS), exactly as the
 * topic holds them (the last record of a (sensor, start) wins), paged with a cursor; all the pages
 * of a range come from one read of the topic, and reads at once are limited (429 past the limit).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWindowRecord } from '../../lib/windowRecord';
import { parseDecimal, type Decimal } from '../../lib/decimal';
import { startApp, type RunningApp } from '../../server/app';
import { ensureTopics } from '../../server/kafka/topics';
import { brokersFromEnv, isolatedConfig, testKafka } from '../support/kafka';

const running: RunningApp[] = [];
afterAll(async () => {
  for (const app of running.reverse()) await app.stop();
});

const dec = (v: string) => parseDecimal(v) as Decimal;
const window = (sensorId: string, windowStart: number, sum: string) => ({
  sensorId,
  windowStart,
  windowEnd: windowStart + 5_000,
  count: 2,
  sum: dec(sum),
  min: dec('0'),
  max: dec(sum),
});

interface Page {
  windows: { sensorId: string; windowStart: number; sum: number }[];
  next: string | null;
  source: string;
}

describe('GET /api/windows over a time range', () => {
  it('serves old windows from the output topic and recent ones from memory, paged', async () => {
    const kafka = testKafka();
    const config = isolatedConfig({ historyPerSensor: 3 });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, config);
    await admin.disconnect();
    const now = Math.floor(Date.now() / 5_000) * 5_000;
    const hourAgo = now - 3_600_000;
    // An hour ago (before the web tier's look-back): 3 sensors × 4 windows, one window written twice.
    const old = [];
    for (let i = 0; i < 4; i++) for (const id of ['a', 'b', 'c']) old.push(window(id, hourAgo + i * 5_000, `${i}.5`));
    const producer = kafka.producer();
    await producer.connect();
    const send = (windows: ReturnType<typeof window>[], closedAt: number) =>
      producer.send({
        topic: config.outputTopic,
        messages: windows.map((w) => ({
          key: w.sensorId,
          value: encodeWindowRecord(w),
          timestamp: String(closedAt + w.windowEnd - w.windowStart),
        })),
      });
    for (const w of old) await send([w], w.windowEnd);
    await send([window('b', hourAgo + 5_000, '99.25')], hourAgo + 20_000); // a later revision of b's second window
    await send([window('a', now - 10_000, '7.5')], now - 5_000);
    await producer.disconnect();

    const web = await startApp({ ...config, roles: ['web'], port: 0 }, brokersFromEnv());
    running.push(web);
    const get = async (query: string) => (await (await fetch(`${web.url}/api/windows?${query}`)).json()) as Page;

    const first = await get(`from=${hourAgo}&to=${hourAgo + 20_000}&limit=5`);
    expect(first.source).toBe('topic');
    expect(first.windows.map((w) => `${w.windowStart - hourAgo}/${w.sensorId}`)).toEqual([
      '0/a',
      '0/b',
      '0/c',
      '5000/a',
      '5000/b',
    ]);
    expect(first.windows[4].sum).toBe(99.25);
    const pages = [first];
    while (pages.at(-1)!.next)
      pages.push(
        await get(`from=${hourAgo}&to=${hourAgo + 20_000}&limit=5&after=${encodeURIComponent(pages.at(-1)!.next!)}`),
      );
    expect(pages.flatMap((p) => p.windows)).toHaveLength(12);
    // The pages are cut from one read of the range, and equal one whole read of it.
    const topicReads = async () => {
      const text = await (await fetch(`${web.url}/metrics`)).text();
      return Number(/^windowpane_window_range_topic_reads_total (\d+)$/m.exec(text)?.[1]);
    };
    expect(await topicReads()).toBe(1);
    const whole = await get(`from=${hourAgo}&to=${hourAgo + 20_000}&limit=10000`);
    expect(pages.flatMap((p) => p.windows)).toEqual(whole.windows);
    expect(await topicReads()).toBe(2);

    // Reads of the topic at once are limited: past two, 429 with Retry-After and a message.
    const answers = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => fetch(`${web.url}/api/windows?from=${hourAgo + i}&to=${hourAgo + 20_000}`)),
    );
    const busy = answers.filter((a) => a.status === 429);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    expect(busy[0].headers.get('retry-after')).toBe('5');
    expect(((await busy[0].json()) as { error: string }).error).toContain('reads of older windows are under way');

    const oneSensor = await get(`from=${hourAgo}&to=${hourAgo + 20_000}&sensorId=c`);
    expect(oneSensor.windows.map((w) => w.sum)).toEqual([0.5, 1.5, 2.5, 3.5]);

    const recent = await get(`from=${now - 60_000}&to=${now}&sensorId=a`);
    expect(recent).toMatchObject({ source: 'memory', next: null });
    expect(recent.windows.map((w) => w.sum)).toEqual([7.5]);
  });
});
