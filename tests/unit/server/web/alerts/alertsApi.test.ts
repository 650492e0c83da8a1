/** The alert endpoints over real HTTP (validation, access, answers); the rules behind them are in memory. */
import { apiContext, closeApiServers, serveApi } from '../../../../support/apiServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertRuleBodySchema,
  describeIssues,
  MAX_ALERT_RULES,
  type AlertEvent,
  type AlertRule,
} from '../../../../../lib/contract';
import { parseWebhookAllowList, type WebhookAllowList } from '../../../../../lib/alerts/webhookTargets';
import { AlertRulesFull } from '../../../../../server/web/alerts/alertRules';
import type { AlertsApi } from '../../../../../server/web/alerts/alerts';

const TOKEN = 's3cret';
const rules = new Map<string, AlertRule>();
const events: AlertEvent[] = Array.from({ length: 7 }, (_, i) => ({
  id: `r/s/${i}/alert`,
  kind: 'alert',
  ruleId: 'r',
  ruleName: 'hot',
  condition: 'mean > 1 for 1 window',
  sensorId: 's',
  windowStart: i,
  windowEnd: i + 1,
  value: 2,
  firedAt: i,
}));
const alerts: AlertsApi = {
  rules: () => [...rules.values()],
  putRule: async (id, body) => {
    const created = !rules.has(id);
    if (created && rules.size >= MAX_ALERT_RULES) throw new AlertRulesFull();
    const { id: _id, ...fields } = body;
    const rule = { ...fields, id, updatedAt: 1 };
    rules.set(id, rule);
    return { rule, created };
  },
  deleteRule: async (id) => rules.delete(id),
  recent: (limit) => events.slice(-limit).reverse(),
};
const allowLoopback = parseWebhookAllowList(['127.0.0.1']) as WebhookAllowList;
const context = (token: string | undefined, withAlerts = true) =>
  apiContext({
    control: { token, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] },
    alerts: withAlerts ? alerts : null,
  });

let open: string;
let guarded: string;
let noWeb: string;
beforeAll(async () => {
  open = await serveApi(context(undefined));
  guarded = await serveApi(context(TOKEN));
  noWeb = await serveApi(context(undefined, false));
});
afterAll(closeApiServers);

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

const good = { name: 'Hot', metric: 'mean', op: '>', threshold: 80, forWindows: 3 };

describe('alert rule endpoints', () => {
  it("never answers a webhook's path or query (its secret), neither in the list nor in PUT's echo", async () => {
    const secretUrl = 'https://hooks.example/services/T00/B00/XXXXsecretXXXX?token=k3y';
    const put = await call(open, 'PUT', '/api/alert-rules/hook-1', { ...good, webhookUrl: secretUrl });
    const list = await call(open, 'GET', '/api/alert-rules');
    for (const answer of [put, list]) {
      expect(JSON.stringify(answer.body)).not.toMatch(/secret|k3y|services/);
      expect(JSON.stringify(answer.body)).toContain('"webhookOrigin":"https://hooks.example"');
    }
    expect(rules.get('hook-1')?.webhookUrl).toBe(secretUrl); // kept whole where it is called from
    await call(open, 'DELETE', '/api/alert-rules/hook-1');
  });

  it('creates (201), replaces (200), lists and deletes a rule', async () => {
    expect(
      await call(open, 'PUT', '/api/alert-rules/hot-1', { ...good, webhookUrl: 'https://example.com/h?k=1' }),
    ).toMatchObject({
      status: 201,
      body: { id: 'hot-1', name: 'Hot', webhookOrigin: 'https://example.com' },
    });
    expect(
      await call(open, 'PUT', '/api/alert-rules/hot-1', { ...good, id: 'hot-1', sensorId: 'boiler-3', threshold: 90 }),
    ).toMatchObject({
      status: 200,
      body: { id: 'hot-1', sensorId: 'boiler-3', threshold: 90 },
    });
    const list = await call(open, 'GET', '/api/alert-rules');
    expect(list).toMatchObject({ status: 200, body: { max: 200, rules: [{ id: 'hot-1', threshold: 90 }] } });
    expect(await call(open, 'DELETE', '/api/alert-rules/hot-1')).toEqual({ status: 200, body: { deleted: 'hot-1' } });
    expect(await call(open, 'DELETE', '/api/alert-rules/hot-1')).toEqual({
      status: 404,
      body: { error: 'id: no alert rule "hot-1"' },
    });
  });

  it.each([
    [{ ...good, webhookUrl: 'file:///etc/passwd' }, 'webhookUrl: must be an http:// or https:// URL'],
    [{ ...good, webhookUrl: 'javascript:alert(1)' }, 'webhookUrl: must be an http:// or https:// URL'],
    [{ ...good, webhookUrl: 'not a url' }, 'webhookUrl: must be an http:// or https:// URL'],
    [{ ...good, forWindows: 0 }, 'forWindows: must be at least 1'],
    [{ ...good, forWindows: 101 }, 'forWindows: must be at most 100'],
    [{ ...good, forWindows: 1.5 }, 'forWindows: must be a whole number'],
    [
      { ...good, metric: 'median' },
      'metric: must be one of sum, count, min, max, mean, variance, stddev, first, last, p50, p90, p95, p99',
    ],
    [{ ...good, op: '==' }, 'op: must be one of >, >=, <, <='],
    [{ ...good, threshold: '80' }, 'threshold: must be a number'],
    [{ ...good, name: '   ' }, 'name: must not be empty'],
    [{ ...good, sensorId: '' }, 'sensorId: must not be empty'],
    [{ ...good, colour: 'red' }, 'colour: unknown field'],
    [{ ...good, id: 'other' }, 'id: must be the id in the path (hot-2) when given'],
    [
      { name: 'x' },
      'metric: must be one of sum, count, min, max, mean, variance, stddev, first, last, p50, p90, p95, p99; op: must be one of >, >=, <, <=; threshold: must be a number; forWindows: must be a number',
    ],
    ['[1]', 'body: must be a JSON object'],
    ['{', 'body: not valid JSON'],
  ])('refuses %j with a message naming the field', async (body, error) => {
    expect(await call(open, 'PUT', '/api/alert-rules/hot-2', body)).toEqual({ status: 400, body: { error } });
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
    ['http://0x7f.1:3000/api/config', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1] is a loopback address'],
    ['https://10.0.0.5/hook', '10.0.0.5 is a private address'],
    ['http://localhost:9092/', 'localhost is a local name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a local name'],
  ])('refuses a webhook to %s (server-side request forgery), naming the field and the rule', async (url, reason) => {
    expect(await call(open, 'PUT', '/api/alert-rules/ssrf', { ...good, webhookUrl: url })).toEqual({
      status: 400,
      body: { error: `webhookUrl: alert rule "ssrf" may not call it: ${reason} (see ALERT_WEBHOOK_ALLOW)` },
    });
    expect(rules.has('ssrf')).toBe(false);
  });

  it('accepts a local webhook that ALERT_WEBHOOK_ALLOW lists', async () => {
    const allowing = await serveApi({ ...context(undefined), alertWebhookAllow: allowLoopback });
    expect(
      await call(allowing, 'PUT', '/api/alert-rules/local', { ...good, webhookUrl: 'http://127.0.0.1:9000/h' }),
    ).toMatchObject({ status: 201 });
    expect(
      await call(allowing, 'PUT', '/api/alert-rules/local', { ...good, webhookUrl: 'http://169.254.169.254/' }),
    ).toMatchObject({ status: 400 });
    rules.delete('local');
  });

  it('refuses an id that is not plain', async () => {
    expect(await call(open, 'PUT', '/api/alert-rules/a%20b', good)).toEqual({
      status: 400,
      body: { error: 'id: must be 1–64 letters, digits, ".", "_" or "-"' },
    });
    expect(await call(open, 'DELETE', `/api/alert-rules/${'x'.repeat(65)}`)).toMatchObject({ status: 400 });
  });

  it('PUT and DELETE are controls: refused without the token, from another origin; GET is open', async () => {
    expect(await call(guarded, 'PUT', '/api/alert-rules/t', good)).toMatchObject({ status: 401 });
    expect(await call(guarded, 'DELETE', '/api/alert-rules/t')).toMatchObject({ status: 401 });
    expect(await call(guarded, 'PUT', '/api/alert-rules/t', good, { authorization: 'Bearer nope' })).toMatchObject({
      status: 401,
    });
    expect(
      await call(guarded, 'PUT', '/api/alert-rules/t', good, {
        authorization: `Bearer ${TOKEN}`,
        origin: 'http://evil.example',
      }),
    ).toMatchObject({ status: 403 });
    expect(await call(guarded, 'PUT', '/api/alert-rules/t', good, { authorization: `Bearer ${TOKEN}` })).toMatchObject({
      status: 201,
    });
    expect(await call(guarded, 'GET', '/api/alert-rules')).toMatchObject({ status: 200 });
    expect(
      await call(guarded, 'DELETE', '/api/alert-rules/t', undefined, { authorization: `Bearer ${TOKEN}` }),
    ).toMatchObject({ status: 200 });
  });

  it('answers 409 past the cap of rules', async () => {
    for (let i = 0; i < MAX_ALERT_RULES; i++) rules.set(`r${i}`, { ...(good as AlertRule), id: `r${i}`, updatedAt: 0 });
    expect(await call(open, 'PUT', '/api/alert-rules/one-more', good)).toEqual({
      status: 409,
      body: { error: 'rules: at most 200 alert rules; delete one first' },
    });
    expect(await call(open, 'PUT', '/api/alert-rules/r0', good)).toMatchObject({ status: 200 });
    rules.clear();
  });

  it('answers 503 where no web role serves alerts', async () => {
    expect(await call(noWeb, 'GET', '/api/alert-rules')).toMatchObject({ status: 503 });
    expect(await call(noWeb, 'GET', '/api/alerts')).toMatchObject({ status: 503 });
  });
});

describe('GET /api/alerts', () => {
  it('returns the latest events, newest first, at most limit', async () => {
    const res = await call(open, 'GET', '/api/alerts?limit=2');
    expect(res.status).toBe(200);
    expect((res.body!.events as AlertEvent[]).map((e) => e.windowStart)).toEqual([6, 5]);
    expect(((await call(open, 'GET', '/api/alerts')).body!.events as AlertEvent[]).length).toBe(7);
  });

  it.each(['limit=0', 'limit=501', 'limit=ten', 'since=1'])('refuses %s', async (query) => {
    expect((await call(open, 'GET', `/api/alerts?${query}`)).status).toBe(400);
  });
});

describe('alertRuleBodySchema', () => {
  it('accepts http and https webhooks and trims names', () => {
    expect(alertRuleBodySchema.parse({ ...good, name: ' Hot ', webhookUrl: 'http://10.0.0.1:8080/x' })).toMatchObject({
      name: 'Hot',
    });
    const failed = alertRuleBodySchema.safeParse({ ...good, threshold: Number.NaN });
    expect(failed.success ? '' : describeIssues(failed.error)).toBe('threshold: must be a number');
  });
});
