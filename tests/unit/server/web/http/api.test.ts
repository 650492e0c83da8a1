/** The HTTP API's validation over real HTTP; the context behind it is a plain in-memory object. */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigUpdate, SimulatorStart } from '../../../../../lib/contract';
import { createApiHandler, type ApiContext } from '../../../../../server/web/http/api';
import { RangeTooLargeError, type RangeQuery } from '../../../../../server/web/history/windowRange';
import { RUNTIME_CONFIG } from '../../../../support/apiServer';

const updates: ConfigUpdate[] = [];
const starts: SimulatorStart[] = [];
const ranges: RangeQuery[] = [];
const context: ApiContext = {
  getConfig: () => RUNTIME_CONFIG,
  updateConfig: async (u) => {
    updates.push(u);
    const { calendar: _calendar, timeZone: _timeZone, ...fixed } = u;
    return { ...context.getConfig(), ...fixed };
  },
  simulator: {
    status: () => ({
      running: false,
      sensors: 3,
      ratePerSensor: 1,
      jitterSeconds: 0,
      lateShare: 0,
      seed: 1,
      values: 'counts',
      keyed: false,
      sent: 0,
      startedAt: null,
    }),
    start: (o) => {
      starts.push(o);
      return { ...context.simulator!.status(), running: true };
    },
    stop: () => context.simulator!.status(),
  },
  recentWindows: (limit, sensorId) => [
    { sensorId: sensorId ?? 'x', windowStart: 0, windowEnd: limit, sum: 1, count: 1, min: 1, max: 1, mean: 1 },
  ],
  windowsInRange: async (query) => {
    ranges.push(query);
    if (query.sensorId === 'huge') throw new RangeTooLargeError(2_000_000);
    return { windows: [], next: null, source: 'memory' };
  },
  stats: () => {
    throw new Error('not used here');
  },
  health: () => ({ status: 'ok', kafka: true, roles: ['web'] }),
  metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'windowpane_up 1\n' }),
  control: { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] },
};

let server: Server;
let base: string;

beforeAll(async () => {
  const api = createApiHandler(context);
  server = createServer((req, res) => {
    void api(req, res).then((handled) => {
      if (!handled) res.writeHead(418).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    body,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('PUT /api/config', () => {
  it('accepts a partial body and passes it on', async () => {
    const res = await call('PUT', '/api/config', '{"windowSeconds": 10}');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ windowSeconds: 10 });
    expect(updates.at(-1)).toEqual({ windowSeconds: 10 });
  });

  it('accepts a calendar size with its time zone and passes both on', async () => {
    const res = await call('PUT', '/api/config', '{"calendar": "day", "timeZone": "Europe/Helsinki"}');
    expect(res.status).toBe(200);
    expect(updates.at(-1)).toEqual({ calendar: 'day', timeZone: 'Europe/Helsinki' });
  });

  it.each([
    ['{"windowSeconds": 0}', 'windowSeconds: must be at least 0.1'],
    ['{"windowSeconds": -5}', 'windowSeconds: must be at least 0.1'],
    ['{"windowSeconds": "ten"}', 'windowSeconds: must be a number'],
    ['{"windowSeconds": 86401}', 'windowSeconds: must be at most 86400'],
    ['{"windowSeconds": 1.00001}', 'windowSeconds: must be a whole number of milliseconds'],
    ['{"allowedLatenessSeconds": -1}', 'allowedLatenessSeconds: must be 0 or more'],
    ['{"windowSize": 5}', 'windowSize: unknown field'],
    ['{}', 'give at least one of windowSeconds, calendar, allowedLatenessSeconds'],
    ['{"calendar": "month", "timeZone": "UTC"}', 'calendar: must be one of hour, day, week'],
    ['{"calendar": "day"}', 'timeZone: goes with calendar: give both or neither'],
    ['{"windowSeconds": 5, "timeZone": "UTC"}', 'timeZone: goes with calendar: give both or neither'],
    ['{"calendar": "day", "timeZone": "Mars/Olympus"}', 'timeZone: must be an IANA time zone name'],
    [
      '{"calendar": "day", "timeZone": "UTC", "windowSeconds": 5}',
      'calendar: give windowSeconds or calendar, not both',
    ],
    ['{"windowSeconds": ', 'body: not valid JSON'],
    ['[5]', 'body: must be a JSON object'],
    ['', 'body: must be a JSON object'],
  ])('rejects %s with a 400 naming the field and the rule', async (body, message) => {
    const before = updates.length;
    const res = await call('PUT', '/api/config', body);
    expect(res.status).toBe(400);
    expect(String(res.body?.error)).toContain(message);
    expect(updates.length).toBe(before);
  });
});

describe('simulator endpoints', () => {
  it('starts with an optional body', async () => {
    expect((await call('POST', '/api/simulator/start')).status).toBe(200);
    const res = await call('POST', '/api/simulator/start', '{"sensors": 10, "ratePerSensor": 2}');
    expect(res.body).toMatchObject({ running: true });
    expect(starts.at(-1)).toEqual({ sensors: 10, ratePerSensor: 2 });
    await call('POST', '/api/simulator/start', '{"values": "temperatures", "keyed": true}');
    expect(starts.at(-1)).toEqual({ values: 'temperatures', keyed: true });
  });

  it.each([
    ['{"sensors": 0}', 'sensors: must be at least 1'],
    ['{"sensors": 2.5}', 'sensors: must be an integer'],
    ['{"sensors": 100001}', 'sensors: must be at most 100000'],
    ['{"ratePerSensor": 0}', 'ratePerSensor: must be greater than 0'],
    ['{"lateShare": 2}', 'lateShare: must be between 0 and 1'],
    ['{"values": "pressure"}', 'values: must be one of counts, temperatures'],
    ['{"keyed": "yes"}', 'keyed: must be true or false'],
  ])('rejects %s', async (body, message) => {
    const res = await call('POST', '/api/simulator/start', body);
    expect(res.status).toBe(400);
    expect(String(res.body?.error)).toContain(message);
  });

  it('answers 405 for a wrong method and 404 for an unknown endpoint', async () => {
    expect((await call('GET', '/api/simulator/start')).status).toBe(405);
    expect((await call('GET', '/api/nope')).status).toBe(404);
  });
});

describe('GET /api/windows and /healthz', () => {
  it('validates limit', async () => {
    expect((await call('GET', '/api/windows?limit=0')).body?.error).toContain('limit: must be between 1 and 10000');
    expect((await call('GET', '/api/windows?limit=abc')).body?.error).toContain('limit: must be a whole number');
    const ok = await call('GET', '/api/windows?sensorId=3&limit=7');
    expect(ok.body).toEqual([
      { sensorId: '3', windowStart: 0, windowEnd: 7, sum: 1, count: 1, min: 1, max: 1, mean: 1 },
    ]);
  });

  it('takes a time range with a cursor, and names the field and the rule when it is wrong', async () => {
    const ok = await call('GET', '/api/windows?from=1000&to=5000&sensorId=boiler-3&limit=50&after=2000%3Aboiler-3');
    expect(ok).toEqual({ status: 200, body: { windows: [], next: null, source: 'memory' } });
    expect(ranges.at(-1)).toEqual({
      fromMs: 1000,
      toMs: 5000,
      sensorId: 'boiler-3',
      limit: 50,
      after: { windowStart: 2000, sensorId: 'boiler-3' },
    });
    expect((await call('GET', '/api/windows?from=1000')).body?.error).toContain('to: is required with from');
    expect((await call('GET', '/api/windows?from=5000&to=1000')).body?.error).toContain('to: must be after from');
    expect((await call('GET', '/api/windows?from=yesterday&to=1000')).body?.error).toContain(
      'from: must be a time in epoch milliseconds',
    );
    expect((await call('GET', `/api/windows?from=0&to=${32 * 86_400_000}`)).body?.error).toContain(
      'to: must be at most 31 days after from',
    );
    expect((await call('GET', '/api/windows?from=0&to=10&after=nonsense')).body?.error).toContain(
      'after: must be a cursor from a previous page',
    );
    const big = await call('GET', '/api/windows?from=0&to=10&sensorId=huge');
    expect(big.status).toBe(413);
    expect(big.body?.error).toContain('ask for a shorter range or one sensor');
  });

  it('reports health', async () => {
    expect(await call('GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok', kafka: true, roles: ['web'] } });
  });

  it('leaves other paths to Next.js', async () => {
    expect((await fetch(`${base}/`)).status).toBe(418);
  });
});

describe('control access', () => {
  it('requires the bearer token on every control endpoint when CONTROL_TOKEN is set', async () => {
    context.control = { token: 'tok', host: '0.0.0.0', allowedOrigins: [], allowedHosts: [] };
    try {
      for (const [method, path, body] of [
        ['PUT', '/api/config', '{"windowSeconds": 5}'],
        ['POST', '/api/simulator/start', undefined],
        ['POST', '/api/simulator/stop', undefined],
      ] as const) {
        const refused = await call(method, path, body);
        expect(refused.status).toBe(401);
        expect(String(refused.body?.error)).toContain('authorization');
        expect((await call(method, path, body, { authorization: 'Bearer tok' })).status).toBe(200);
      }
      // Beyond loopback reads need a token too; the control token opens them.
      expect((await call('GET', '/api/config')).status).toBe(401);
      expect((await call('GET', '/api/config', undefined, { authorization: 'Bearer tok' })).status).toBe(200);
    } finally {
      context.control = { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] };
    }
  });

  it('refuses controls from another origin', async () => {
    const res = await call('POST', '/api/simulator/stop', undefined, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
  });
});

/** fetch() will not send a Host of our choosing; a rebinding attacker's browser does. */
function callAs(host: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; body: Record<string, unknown> | null }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('DNS rebinding', () => {
  it('refuses a control request sent under a foreign Host name, even from that same origin', async () => {
    const before = updates.length;
    const res = await callAs(
      'rebind.example:3000',
      'PUT',
      '/api/config',
      { origin: 'http://rebind.example:3000', 'content-type': 'application/json' },
      '{"windowSeconds": 7}',
    );
    expect(res.status).toBe(403);
    expect(String(res.body?.error)).toMatch(/^host: "rebind\.example:3000" is not a name this server answers to/);
    expect(updates.length).toBe(before);
  });

  it('refuses every path under a foreign Host name, pages and reads included', async () => {
    for (const path of ['/', '/api/config', '/metrics', '/healthz']) {
      expect((await callAs('rebind.example', 'GET', path)).status).toBe(403);
    }
  });

  it('answers loopback names, IP addresses and names listed in ALLOWED_HOSTS', async () => {
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', '192.0.2.7']) {
      expect((await callAs(host, 'GET', '/api/config')).status).toBe(200);
    }
    // A server reached by name is not local: reads are opened here to test the Host check alone.
    context.control = { ...context.control, allowedHosts: ['windowpane.example'], publicRead: true };
    try {
      expect((await callAs('windowpane.example', 'GET', '/api/config')).status).toBe(200);
      expect((await callAs('other.example', 'GET', '/api/config')).status).toBe(403);
    } finally {
      context.control = { ...context.control, allowedHosts: [], publicRead: false };
    }
  });
});

describe('GET /metrics', () => {
  it("answers in Prometheus' text format", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('windowpane_up 1\n');
  });
});
