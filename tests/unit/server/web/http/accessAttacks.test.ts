/**
 * Attacks on who may read and who may control, sent as an attacker (or a proxy in front of us)
 * would send them: raw HTTP requests with chosen headers to the API on loopback.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedAttempts } from '../../../../../lib/access/failedAttempts';
import type { ConfigUpdate } from '../../../../../lib/contract';
import type { RangeQuery } from '../../../../../server/web/history/windowRange';
import type { AccessPolicy } from '../../../../../server/web/http/access';
import { apiContext, closeApiServers, RUNTIME_CONFIG, serveApi } from '../../../../support/apiServer';

const CONTROL = 'control-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const PROXIED = { 'x-forwarded-for': '203.0.113.9' };
const RANGE = '/api/windows?from=0&to=3600000';
const updates: ConfigUpdate[] = [];
const rangeReads: RangeQuery[] = [];
/** Whole dead letters the server was made to read from the topic. */
const wholeReads: string[] = [];
const WHOLE = '/api/dead-letters/0/41';
const config = RUNTIME_CONFIG;

/** An API server on loopback with this access policy (host 127.0.0.1 unless given). */
function serve(policy: Partial<AccessPolicy>): Promise<string> {
  return serveApi(
    apiContext({
      control: { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [], ...policy },
      getConfig: () => config,
      updateConfig: async (update) => {
        updates.push(update);
        return config;
      },
      windowsInRange: async (query) => {
        rangeReads.push(query);
        return { windows: [], next: null, source: 'topic' };
      },
      metrics: async () => ({ contentType: 'text/plain', body: 'windowpane_up 1\n' }),
      operations: {
        overview: async () => {
          throw new Error('not used here');
        },
        aside: () => ({ topic: 'dlq', records: [] }),
        deadLetter: async (partition, offset) => {
          wholeReads.push(`${partition}/${offset}`);
          return {
            topic: 'dlq',
            partition,
            offset,
            timestamp: 1,
            reason: null,
            source: { topic: null, partition: null, offset: null },
            key: null,
            value: null,
          };
        },
        redrive: async () => {
          throw new Error('not used here');
        },
      },
    }),
  );
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: every header as given (fetch would not let us set Host, nor leave Origin out). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const { port } = new URL(base);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { host: `localhost:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const putConfig = (base: string, headers: Record<string, string>) =>
  send(base, 'PUT', '/api/config', { 'content-type': 'application/json', ...headers }, '{"windowSeconds": 7}');

let noTokens: string;
let tokens: string;
let named: string;
beforeAll(async () => {
  noTokens = await serve({});
  tokens = await serve({ token: CONTROL, readToken: READ, failedAttempts: new FailedAttempts() });
  named = await serve({ allowedHosts: ['windowpane.example'] });
});
afterAll(closeApiServers);

describe('behind a proxy on the same host (every request arrives from loopback)', () => {
  it('refuses PUT /api/config carrying X-Forwarded-For and a matching Origin, with no token set', async () => {
    const before = updates.length;
    const { port } = new URL(noTokens);
    const res = await putConfig(noTokens, { ...PROXIED, origin: `http://localhost:${port}` });
    expect(res.status).toBe(403);
    expect(res.body).toContain('through a proxy');
    for (const header of [{ forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }] as Record<
      string,
      string
    >[]) {
      expect((await putConfig(noTokens, header)).status).toBe(403);
    }
    expect(updates.length).toBe(before);
  });

  it('refuses it without the control token when one is set', async () => {
    const before = updates.length;
    expect((await putConfig(tokens, PROXIED)).status).toBe(401);
    expect((await putConfig(tokens, { ...PROXIED, authorization: `Bearer ${CONTROL}` })).status).toBe(200);
    expect(updates.length).toBe(before + 1);
  });

  it('refuses reads without a token: 401 where a token is set, 403 where none is', async () => {
    const before = rangeReads.length;
    expect((await send(tokens, 'GET', RANGE, PROXIED)).status).toBe(401);
    expect((await send(noTokens, 'GET', RANGE, PROXIED)).status).toBe(403);
    expect((await send(tokens, 'GET', '/metrics', PROXIED)).status).toBe(401);
    expect(rangeReads.length).toBe(before);
  });

  it('keeps /healthz open for probes', async () => {
    expect((await send(noTokens, 'GET', '/healthz', PROXIED)).status).toBe(200);
  });
});

describe('a server reached by name (ALLOWED_HOSTS) and no CONTROL_TOKEN', () => {
  it('refuses controls even from loopback without proxy headers', async () => {
    const res = await putConfig(named, { host: 'windowpane.example' });
    expect(res.status).toBe(403);
    expect(res.body).toContain('ALLOWED_HOSTS');
  });
});

describe('the read token', () => {
  it('opens reads but not controls', async () => {
    const withRead = { ...PROXIED, authorization: `Bearer ${READ}` };
    expect((await send(tokens, 'GET', RANGE, withRead)).status).toBe(200);
    expect((await send(tokens, 'GET', '/api/config', withRead)).status).toBe(200);
    expect((await putConfig(tokens, withRead)).status).toBe(401);
  });
});

describe('another site in a local browser (no token needed on loopback)', () => {
  it('cannot make the server read a range from the topic', async () => {
    const before = rangeReads.length;
    const fromPage = await send(noTokens, 'GET', RANGE, { origin: 'http://evil.example' });
    expect(fromPage.status).toBe(403);
    // A no-cors fetch or an <img> sends no Origin; the browser still says where it comes from.
    const noCors = await send(noTokens, 'GET', RANGE, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' });
    expect(noCors.status).toBe(403);
    expect(rangeReads.length).toBe(before);
    expect((await send(noTokens, 'GET', RANGE, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('cannot make the server read a whole dead letter from the topic, nor can a caller behind a proxy', async () => {
    const before = wholeReads.length;
    expect((await send(noTokens, 'GET', WHOLE, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await send(noTokens, 'GET', WHOLE, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await send(noTokens, 'GET', WHOLE, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    expect(wholeReads.length).toBe(before);
    expect((await send(noTokens, 'GET', WHOLE, {})).status).toBe(200);
    expect(wholeReads.slice(before)).toEqual(['0/41']);
  });
});

describe('guessing the token', () => {
  it('gets 429 with Retry-After on the 11th wrong token within a minute, and the right one waits too', async () => {
    const base = await serve({ token: CONTROL, failedAttempts: new FailedAttempts() });
    for (let i = 0; i < 10; i++) {
      expect((await putConfig(base, { authorization: `Bearer guess-${i}` })).status).toBe(401);
    }
    const eleventh = await putConfig(base, { authorization: 'Bearer guess-10' });
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(50);
    expect((await putConfig(base, { authorization: `Bearer ${CONTROL}` })).status).toBe(429);
  });

  it('cannot start afresh by inventing X-Forwarded-For addresses (not trusted unless TRUST_PROXY)', async () => {
    const base = await serve({ token: CONTROL, failedAttempts: new FailedAttempts() });
    for (let i = 0; i < 10; i++) {
      await putConfig(base, { authorization: `Bearer guess-${i}`, 'x-forwarded-for': `198.51.100.${i}` });
    }
    const next = await putConfig(base, { authorization: 'Bearer guess', 'x-forwarded-for': '198.51.100.99' });
    expect(next.status).toBe(429);
  });
});
