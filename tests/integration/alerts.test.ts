/**
 * Alerts end to end on a real broker: a rule created through the HTTP API (with the control
 * token), readings that cross its threshold for N windows, the alert in /api/alerts, on
 * socket.io and at the rule's webhook (a small HTTP server here), then resolved; the rule as
 * changed through one app seen by a second app reading the same topic; refused without the token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent, AlertRule, ClientToServerEvents, ServerToClientEvents } from '../../lib/contract';
import { startApp, type RunningApp } from '../../server/app';
import { ensureTopics } from '../../server/kafka/topics';
import { brokersFromEnv, isolatedConfig, testKafka, waitFor } from '../support/kafka';

const TOKEN = 'alerts-token';
const running: RunningApp[] = [];
const closers: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const app of running.reverse()) await app.stop();
});

/** The webhook receiver: keeps every JSON body POSTed to it. */
async function webhookReceiver(): Promise<{ url: string; bodies: AlertEvent[] }> {
  const bodies: AlertEvent[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.headers['content-type'] === 'application/json')
        bodies.push(JSON.parse(text) as AlertEvent);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?from=windowpane`, bodies };
}

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(base + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const rulesOf = async (base: string) => (await call(base, 'GET', '/api/alert-rules')).body.rules as AlertRule[];
const eventsOf = async (base: string) => (await call(base, 'GET', '/api/alerts?limit=500')).body.events as AlertEvent[];

describe('alerts on a real broker', () => {
  const kafka = testKafka();
  const tag = randomUUID().slice(0, 8);
  const config = isolatedConfig(
    {
      windowMs: 1_000,
      // Room for a send delayed by a busy machine: a whole window late would be a gap.
      allowedLatenessMs: 2_000,
      controlToken: TOKEN,
      alertRulesTopic: `it-${tag}-alert-rules`,
      redriveTopic: `it-${tag}-redrives`,
    },
    // The webhook receiver below listens on loopback, which webhooks may call only when allowed.
    { ALERT_WEBHOOK_ALLOW: '127.0.0.1' },
  );
  /** A: web and worker; B: web only, sharing nothing with A but the topics. */
  let a: string;
  let b: string;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, config);
    await admin.disconnect();
    const appA = await startApp({ ...config, roles: ['web', 'worker'], port: 0 }, brokersFromEnv());
    running.push(appA);
    const appB = await startApp({ ...config, roles: ['web'], port: 0 }, brokersFromEnv());
    running.push(appB);
    a = appA.url!;
    b = appB.url!;
    hook = await webhookReceiver();
  });

  it('refuses changes without the token; a change made through one app is seen by the other', async () => {
    const rule = { name: 'Shared', metric: 'max', op: '>=', threshold: 1_000, forWindows: 2, sensorId: 'nobody' };
    expect(await call(a, 'PUT', '/api/alert-rules/shared', rule)).toMatchObject({ status: 401 });
    expect(await call(a, 'PUT', '/api/alert-rules/shared', rule, 'wrong')).toMatchObject({ status: 401 });
    expect(await rulesOf(a)).toEqual([]);
    // Even with the token, a webhook to the cloud metadata service is refused (loopback alone is allowed here).
    const metadata = { ...rule, webhookUrl: 'http://169.254.169.254/latest/meta-data' };
    expect(await call(a, 'PUT', '/api/alert-rules/shared', metadata, TOKEN)).toMatchObject({ status: 400 });

    // Created through A, seen by B; renamed through B, seen by A; deleted through A, gone from B.
    expect(await call(a, 'PUT', '/api/alert-rules/shared', rule, TOKEN)).toMatchObject({
      status: 201,
      body: { id: 'shared', name: 'Shared' },
    });
    await waitFor(
      'B to see the rule',
      async () => ((await rulesOf(b)).some((r) => r.id === 'shared') ? true : undefined),
      20_000,
    );
    expect(await call(b, 'DELETE', '/api/alert-rules/shared')).toMatchObject({ status: 401 });
    expect(await call(b, 'PUT', '/api/alert-rules/shared', { ...rule, name: 'Renamed' }, TOKEN)).toMatchObject({
      status: 200,
      body: { name: 'Renamed' },
    });
    await waitFor(
      'A to see the rename',
      async () => ((await rulesOf(a)).find((r) => r.id === 'shared')?.name === 'Renamed' ? true : undefined),
      20_000,
    );
    expect(await call(a, 'DELETE', '/api/alert-rules/shared', undefined, TOKEN)).toEqual({
      status: 200,
      body: { deleted: 'shared' },
    });
    await waitFor('B to drop the rule', async () => ((await rulesOf(b)).length === 0 ? true : undefined), 20_000);
    expect(await rulesOf(a)).toEqual([]);
  });

  it('fires after N windows over the threshold and resolves; in /api/alerts, at the webhook and on socket.io', async () => {
    const rule = { name: 'Too hot', metric: 'mean', op: '>', threshold: 80, forWindows: 3, webhookUrl: hook.url };
    expect(await call(a, 'PUT', '/api/alert-rules/too-hot', rule, TOKEN)).toMatchObject({
      status: 201,
      body: { id: 'too-hot', webhookOrigin: new URL(hook.url).origin },
    });
    await waitFor(
      'B to see the rule',
      async () => ((await rulesOf(b)).some((r) => r.id === 'too-hot') ? true : undefined),
      20_000,
    );

    const pushed: AlertEvent[] = [];
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(a, { transports: ['websocket'] });
    closers.push(() => void socket.close());
    socket.on('alerts', (events) => pushed.push(...events));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    // One reading every 250 ms of event time, sent as that time comes: `hot` at 90 for 6 windows
    // then 10 for 3; `cool` at 10 throughout (the rule covers every sensor; cool never alerts).
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Math.ceil(Date.now() / 1_000) * 1_000;
    for (let i = 0; i < 9; i++) {
      const due = t0 + i * 1_000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const messages = [0, 250, 500, 750].flatMap((ms) => [
        { key: null, value: JSON.stringify({ id: 'hot', time: (due + ms) / 1000, value: i < 6 ? 90 : 10 }) },
        { key: null, value: JSON.stringify({ id: 'cool', time: (due + ms) / 1000, value: 10 }) },
      ]);
      await producer.send({ topic: config.inputTopic, messages });
    }
    await producer.disconnect();

    const events = await waitFor(
      'the alert and its resolve in A',
      async () => {
        const all = (await eventsOf(a)).reverse();
        return all.some((e) => e.kind === 'resolved') ? all : undefined;
      },
      60_000,
    );
    expect(events.map((e) => `${e.kind}:${e.reason ?? ''}:${e.sensorId}:${e.windowStart - t0}:${e.value}`)).toEqual([
      `alert::hot:2000:90`,
      `resolved:condition:hot:6000:10`,
    ]);
    expect(events[0]).toMatchObject({
      ruleId: 'too-hot',
      ruleName: 'Too hot',
      condition: 'mean > 80 for 3 windows',
      windowEnd: t0 + 3_000,
    });

    // B evaluated the same windows: the same events, with the same ids.
    await waitFor(
      'B to have the same events',
      async () => ((await eventsOf(b)).length === 2 ? true : undefined),
      30_000,
    );
    expect((await eventsOf(b)).map((e) => e.id).reverse()).toEqual(events.map((e) => e.id));

    // The webhook got each event's JSON, once from A and once from B (the id tells copies apart).
    await waitFor(
      'the webhook to receive both events from both servers',
      async () => (hook.bodies.length >= 4 ? true : undefined),
      30_000,
    );
    expect(hook.bodies).toHaveLength(4);
    for (const e of events) {
      const copies = hook.bodies.filter((body) => body.id === e.id);
      expect(copies).toHaveLength(2);
      expect(copies).toContainEqual(e);
    }

    // socket.io pushed them as they happened.
    expect(pushed.map((e) => e.id)).toEqual(events.map((e) => e.id));

    const metrics = await (await fetch(`${a}/metrics`)).text();
    expect(metrics).toMatch(/windowpane_alert_webhooks_total\{outcome="delivered"\} 2\b/);
    expect(metrics).toMatch(/windowpane_alert_events_total\{kind="alert"\} 1\b/);
  });
});
