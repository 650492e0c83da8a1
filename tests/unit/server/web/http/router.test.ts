/** The router every feature's routes share, over real HTTP, with routes made up for the test. */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Refusal } from '../../../../../lib/refusal';
import { FailedAttempts } from '../../../../../lib/access/failedAttempts';
import type { AccessPolicy } from '../../../../../server/web/http/access';
import { createRouter, parseQuery, RawBody, readBody, served, type Route } from '../../../../../server/web/http/router';

let policy: AccessPolicy = { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] };
const noteSchema = z.strictObject({
  text: z.string({ error: 'must be a string' }).max(5, 'must be at most 5 characters'),
});

const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/things',
    handle: ({ url }) => [200, parseQuery(url, z.strictObject({ q: z.string().optional() }))],
  },
  { method: 'GET', path: '/api/things/special', handle: () => [200, { special: true }] },
  { method: 'GET', path: '/api/things/:id', paramMaxLength: 5, handle: ({ params }) => [200, params] },
  { method: 'DELETE', path: '/api/things/:id', control: true, handle: ({ params }) => [200, { deleted: params.id }] },
  {
    method: 'PUT',
    path: '/api/notes',
    control: true,
    handle: async ({ req }) => [201, await readBody(req, noteSchema)],
  },
  {
    method: 'POST',
    path: '/api/notes',
    handle: async ({ req }) => [200, await readBody(req, noteSchema.partial(), { optional: true })],
  },
  { method: 'GET', path: '/api/refused', handle: () => [200, served(null, 503, 'things: not served here')] },
  {
    method: 'GET',
    path: '/api/broken',
    handle: () => {
      throw new Error('it broke');
    },
  },
  { method: 'GET', path: '/api/teapot', handle: async () => Promise.reject(new Refusal(418, 'pot: short and stout')) },
  { method: 'GET', path: '/api/probe', open: true, handle: () => [200, { open: true }] },
  { method: 'GET', path: '/text', handle: () => [200, new RawBody('text/plain; charset=utf-8', 'plain\n')] },
];

let server: Server;
let base: string;

beforeAll(async () => {
  const router = createRouter(routes, () => policy);
  server = createServer(
    (req, res) => void router(req, res).then((handled) => (handled ? undefined : res.writeHead(299).end())),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method, body, headers });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: compared as text.
  }
  return {
    status: res.status,
    body: json ?? text,
    allow: res.headers.get('allow'),
    type: res.headers.get('content-type'),
  };
}

/** fetch may not set Host: a plain request does. */
function statusAs(host: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createRouter', () => {
  it('matches a path without parameters before a pattern, and hands on the decoded parameters', async () => {
    expect((await call('GET', '/api/things/special')).body).toEqual({ special: true });
    expect((await call('GET', '/api/things/a%20b')).body).toEqual({ id: 'a b' });
    // Not valid percent-encoding: passed on as sent, for the handler's own rule to judge.
    expect((await call('GET', '/api/things/%zz')).body).toEqual({ id: '%zz' });
  });

  it('answers 404 for a parameter longer than the route allows, and leaves paths outside /api/ alone', async () => {
    expect(await call('GET', '/api/things/123456')).toMatchObject({
      status: 404,
      body: { error: 'no such endpoint: /api/things/123456' },
    });
    expect((await call('GET', '/api/things/')).status).toBe(404);
    expect((await call('GET', '/elsewhere')).status).toBe(299);
  });

  it('answers 405 naming the methods in the order the routes give them', async () => {
    const wrong = await call('POST', '/api/things/x');
    expect(wrong).toMatchObject({
      status: 405,
      allow: 'GET, DELETE',
      body: { error: 'method POST not allowed on /api/things/x; use GET, DELETE' },
    });
    expect((await call('DELETE', '/api/notes')).allow).toBe('PUT, POST');
  });

  it('checks the control policy, read on every request, before a control route runs', async () => {
    expect((await call('DELETE', '/api/things/x')).body).toEqual({ deleted: 'x' });
    expect((await call('DELETE', '/api/things/x', undefined, { origin: 'http://elsewhere.example' })).status).toBe(403);
    policy = { ...policy, token: 'tok' };
    try {
      expect((await call('DELETE', '/api/things/x')).status).toBe(401);
      expect((await call('DELETE', '/api/things/x', undefined, { authorization: 'Bearer tok' })).status).toBe(200);
      // Routes that change nothing are not controls.
      expect((await call('GET', '/api/things/x')).status).toBe(200);
    } finally {
      policy = { ...policy, token: undefined };
    }
  });

  it('checks read access on routes that are neither controls nor open, and none on open ones', async () => {
    const proxied = { 'x-forwarded-for': '203.0.113.9' };
    expect((await call('GET', '/api/things/x', undefined, proxied)).status).toBe(403);
    expect((await call('GET', '/api/probe', undefined, proxied)).status).toBe(200);
    policy = { ...policy, readToken: 'read-token-0123456789' };
    try {
      expect((await call('GET', '/api/things/x', undefined, proxied)).status).toBe(401);
      const withToken = { ...proxied, authorization: 'Bearer read-token-0123456789' };
      expect((await call('GET', '/api/things/x', undefined, withToken)).status).toBe(200);
    } finally {
      policy = { ...policy, readToken: undefined };
    }
  });

  it('answers wrong tokens past the limit with 429 and Retry-After', async () => {
    const failedAttempts = new FailedAttempts({ maxFailures: 2, windowMs: 60_000, maxClients: 10 });
    policy = { ...policy, token: 'tok', failedAttempts };
    try {
      const wrong = { authorization: 'Bearer wrong' };
      expect((await call('DELETE', '/api/things/x', undefined, wrong)).status).toBe(401);
      expect((await call('DELETE', '/api/things/x', undefined, wrong)).status).toBe(401);
      const res = await fetch(`${base}/api/things/x`, { method: 'DELETE', headers: { authorization: 'Bearer tok' } });
      expect([res.status, Number(res.headers.get('retry-after'))]).toEqual([429, 60]);
    } finally {
      policy = { ...policy, token: undefined, failedAttempts: undefined };
    }
  });

  it('refuses every request under a Host name it does not serve, API or not', async () => {
    expect(await statusAs('rebound.example', '/api/things')).toBe(403);
    expect(await statusAs('rebound.example', '/elsewhere')).toBe(403);
    expect(await statusAs('localhost:3000', '/elsewhere')).toBe(299);
  });

  it('answers a Refusal with its status and message, anything else with 500', async () => {
    expect(await call('GET', '/api/refused')).toMatchObject({
      status: 503,
      body: { error: 'things: not served here' },
    });
    expect(await call('GET', '/api/teapot')).toMatchObject({ status: 418, body: { error: 'pot: short and stout' } });
    expect(await call('GET', '/api/broken')).toMatchObject({ status: 500, body: { error: 'it broke' } });
  });

  it('sends JSON, or a RawBody as it is, never cached', async () => {
    const json = await fetch(`${base}/api/things/special`);
    expect([json.headers.get('content-type'), json.headers.get('cache-control')]).toEqual([
      'application/json; charset=utf-8',
      'no-store',
    ]);
    expect(await call('GET', '/text')).toMatchObject({
      status: 200,
      body: 'plain\n',
      type: 'text/plain; charset=utf-8',
    });
  });
});

describe('readBody and parseQuery', () => {
  it.each([
    ['', 400, 'body: must be a JSON object'],
    ['[1]', 400, 'body: must be a JSON object'],
    ['null', 400, 'body: must be a JSON object'],
    ['{nope', 400, 'body: not valid JSON'],
    ['{"text": 3}', 400, 'text: must be a string'],
    ['{"text": "too long"}', 400, 'text: must be at most 5 characters'],
    ['{"text": "ok", "more": 1}', 400, 'more: unknown field'],
    [JSON.stringify({ text: 'x'.repeat(70_000) }), 413, 'body: must be at most 65536 bytes'],
  ])('refuses the body %#, naming the field and the rule', async (body, status, error) => {
    expect(await call('PUT', '/api/notes', body)).toMatchObject({ status, body: { error } });
  });

  it('takes a valid body, and an empty one where the body is optional', async () => {
    expect(await call('PUT', '/api/notes', ' {"text": "hi"} ')).toMatchObject({ status: 201, body: { text: 'hi' } });
    expect(await call('POST', '/api/notes', '')).toMatchObject({ status: 200, body: {} });
  });

  it('checks the query string', async () => {
    expect((await call('GET', '/api/things?q=1')).body).toEqual({ q: '1' });
    expect(await call('GET', '/api/things?x=1')).toMatchObject({ status: 400, body: { error: 'x: unknown field' } });
  });
});
