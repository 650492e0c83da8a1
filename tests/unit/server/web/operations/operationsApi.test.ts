/** The Operations routes of the HTTP API over real HTTP, with an in-memory Operations service behind them. */
import { apiContext, closeApiServers, serveApi } from '../../../../support/apiServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedriveRequest } from '../../../../../lib/contract';
import { Refusal } from '../../../../../lib/refusal';
import { RedriveFailed } from '../../../../../server/web/operations/redriver';
import type { AsideKind, OperationsApi } from '../../../../../server/web/operations/operations';

const asked: [AsideKind, number][] = [];
const wholeAsked: [number, string][] = [];
const redrives: RedriveRequest[] = [];
const operations: OperationsApi = {
  overview: async () => ({
    at: 1,
    groupId: 'g',
    state: 'Stable',
    input: { topic: 'in', partitions: [], lag: 0 },
    partials: null,
    members: [],
    totals: { lag: 0, members: 0, lowestWatermarkMs: null },
    counters: null,
  }),
  aside: (kind, limit) => {
    asked.push([kind, limit]);
    return { topic: kind, records: [] };
  },
  deadLetter: async (partition, offset) => {
    wholeAsked.push([partition, offset]);
    if (offset === '404') throw new Refusal(404, 'dead letter: dlq has no record at partition 0, offset 404');
    return {
      topic: 'dlq',
      partition,
      offset,
      timestamp: 1,
      reason: 'value: not valid JSON',
      source: { topic: 'in', partition: 0, offset: '7' },
      key: null,
      value: { encoding: 'utf8', data: 'x'.repeat(20_000), bytes: 20_000, truncated: false },
    };
  },
  redrive: async (request) => {
    redrives.push(request);
    if (request.records[0].offset === '666')
      throw new RedriveFailed('redrive: nothing was redriven (broker gone); try again');
    if (request.records[0].offset === '409')
      return {
        status: 409,
        body: { error: 'records.0: dlq/0/409 was already redriven', redriven: 0, refused: 1, results: [] },
      };
    return { status: 200, body: { redriven: 1, refused: 0, results: [] } };
  },
};

const base = apiContext({ control: { token: 'secret', host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] } });

let url = '';
let bare = '';
beforeAll(async () => {
  url = await serveApi({ ...base, operations });
  bare = await serveApi(base);
});
afterAll(closeApiServers);

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}, at = url) {
  const res = await fetch(at + path, { method, body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const auth = { authorization: 'Bearer secret' };

describe('GET /api/dead-letters and /api/late', () => {
  it('default to 50 records and pass the limit on', async () => {
    expect((await call('GET', '/api/dead-letters')).status).toBe(200);
    expect((await call('GET', '/api/late?limit=500')).body).toEqual({ topic: 'late', records: [] });
    expect(asked.slice(-2)).toEqual([
      ['dead-letters', 50],
      ['late', 500],
    ]);
  });

  it.each([
    ['/api/dead-letters?limit=0', 'limit: must be between 1 and 500'],
    ['/api/late?limit=501', 'limit: must be between 1 and 500'],
    ['/api/late?limit=ten', 'limit: must be a whole number'],
    ['/api/dead-letters?from=1', 'from: unknown field'],
  ])('refuse %s with 400', async (path, error) => {
    expect(await call('GET', path)).toEqual({ status: 400, body: { error } });
  });
});

describe('GET /api/dead-letters/<partition>/<offset>', () => {
  it('answers the whole record', async () => {
    const { status, body } = await call('GET', '/api/dead-letters/2/12345678901');
    expect(status).toBe(200);
    expect(body).toMatchObject({ partition: 2, offset: '12345678901', value: { bytes: 20_000, truncated: false } });
    expect(wholeAsked.at(-1)).toEqual([2, '12345678901']);
  });

  it.each([
    ['/api/dead-letters/x/1', 'partition: must be a partition number'],
    ['/api/dead-letters/-1/1', 'partition: must be a partition number'],
    ['/api/dead-letters/0/1e3', 'offset: must be a string of digits'],
    ['/api/dead-letters/0/12345678901234567890', 'offset: must be a string of digits'],
  ])('refuses %s with 400 naming the field', async (path, error) => {
    const asked = wholeAsked.length;
    expect(await call('GET', path)).toEqual({ status: 400, body: { error } });
    expect(wholeAsked.length).toBe(asked);
  });

  it('passes a refusal on (404 for no such record)', async () => {
    expect(await call('GET', '/api/dead-letters/0/404')).toEqual({
      status: 404,
      body: { error: 'dead letter: dlq has no record at partition 0, offset 404' },
    });
  });
});

describe('GET /api/operations', () => {
  it('answers the overview, or 503 where no Operations view is served', async () => {
    expect((await call('GET', '/api/operations')).body).toMatchObject({ groupId: 'g', state: 'Stable' });
    expect(await call('GET', '/api/operations', undefined, {}, bare)).toEqual({
      status: 503,
      body: { error: 'operations: this process does not serve the Operations view' },
    });
  });
});

describe('POST /api/dead-letters/redrive', () => {
  const body = JSON.stringify({ records: [{ partition: 0, offset: '12' }] });

  it('needs the control token, and a browser request from this origin only', async () => {
    expect((await call('POST', '/api/dead-letters/redrive', body)).status).toBe(401);
    expect((await call('POST', '/api/dead-letters/redrive', body, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(
      (await call('POST', '/api/dead-letters/redrive', body, { ...auth, origin: 'http://evil.example' })).status,
    ).toBe(403);
    const before = redrives.length;
    expect(await call('POST', '/api/dead-letters/redrive', body, auth)).toEqual({
      status: 200,
      body: { redriven: 1, refused: 0, results: [] },
    });
    expect(redrives.slice(before)).toEqual([{ records: [{ partition: 0, offset: '12' }] }]);
  });

  it('passes a refusal on with its status, and a Kafka failure as 503', async () => {
    expect(
      (
        await call(
          'POST',
          '/api/dead-letters/redrive',
          JSON.stringify({ records: [{ partition: 0, offset: '409' }] }),
          auth,
        )
      ).status,
    ).toBe(409);
    expect(
      await call(
        'POST',
        '/api/dead-letters/redrive',
        JSON.stringify({ records: [{ partition: 0, offset: '666' }] }),
        auth,
      ),
    ).toEqual({
      status: 503,
      body: { error: 'redrive: nothing was redriven (broker gone); try again' },
    });
  });

  it.each([
    ['', 'body: must be a JSON object'],
    ['{"records": [', 'body: not valid JSON'],
    ['{"records": [{"partition": 0, "offset": "x"}]}', 'records.0.offset: must be a string of digits'],
    ['{"records": [{"partition": 0, "offset": "1"}], "force": true}', 'force: unknown field'],
  ])('refuses %j with 400', async (text, error) => {
    expect(await call('POST', '/api/dead-letters/redrive', text, auth)).toEqual({ status: 400, body: { error } });
  });

  it('answers 405 to GET', async () => {
    expect((await call('GET', '/api/dead-letters/redrive')).status).toBe(405);
  });
});
