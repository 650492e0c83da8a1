/** The re-window routes over real HTTP: validation, status codes, control access; the jobs behind them are a stub. */
import { apiContext, closeApiServers, serveApi } from '../../../../support/apiServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RewindowJob, RewindowRequest } from '../../../../../lib/contract';
import type { ApiContext } from '../../../../../server/web/http/api';
import { RewindowRefused } from '../../../../../server/web/rewindow/rewindowJobs';

const T0 = 1_763_900_000_000;
const started: RewindowRequest[] = [];
const cancelled: string[] = [];
const jobOf = (request: RewindowRequest, id = 'j1'): RewindowJob => ({
  id,
  status: 'running',
  request,
  range: { from: request.from, to: request.to },
  startedAt: T0,
  finishedAt: null,
  progress: { readRecords: 0, totalRecords: 10, fraction: 0 },
});
const known = new Map<string, RewindowJob>([
  ['job/1', jobOf({ from: T0, to: T0 + 60_000, windowSeconds: 5 }, 'job/1')],
]);

const rewindow: ApiContext['rewindow'] = {
  start: async (request) => {
    if (request.sensorId === 'busy')
      throw new RewindowRefused(429, 'rewindow: at most 2 jobs run at a time; wait for one to finish or cancel it');
    if (request.sensorId === 'huge')
      throw new RewindowRefused(413, 'from, to: about 3000000 input records would be read');
    started.push(request);
    return jobOf(request);
  },
  get: (id) => known.get(id) ?? null,
  cancel: (id) => {
    cancelled.push(id);
    const job = known.get(id);
    return job ? { ...job, status: 'cancelled' } : null;
  },
};

afterAll(closeApiServers);

let base: string;
beforeAll(async () => {
  base = await serveApi(apiContext({ rewindow }));
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, at = base) {
  const res = await fetch(at + path, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('POST /api/rewindow', () => {
  it('starts a job: 202 with its id and status', async () => {
    const res = await call('POST', '/api/rewindow', {
      from: T0,
      to: T0 + 900_000,
      windowSeconds: 2.5,
      sensorId: 's-1',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: 'j1', status: 'running', progress: { fraction: 0 } });
    expect(started.at(-1)).toEqual({ from: T0, to: T0 + 900_000, windowSeconds: 2.5, sensorId: 's-1' });
  });

  it.each([
    [{ from: T0, to: T0 + 25 * 3_600_000, windowSeconds: 5 }, 400, 'to: must be at most 24 hours after from'],
    [{ from: T0, to: T0 + 60_000, windowSeconds: 0 }, 400, 'windowSeconds: must be at least 0.1'],
    [{ from: T0, to: T0 - 1, windowSeconds: 5 }, 400, 'to: must be after from'],
    [{ from: T0, windowSeconds: 5 }, 400, 'to: must be a time in epoch milliseconds'],
    ['{"from": ', 400, 'body: not valid JSON'],
    [
      { from: T0, to: T0 + 60_000, windowSeconds: 5, sensorId: 'busy' },
      429,
      'rewindow: at most 2 jobs run at a time; wait for one to finish or cancel it',
    ],
    [
      { from: T0, to: T0 + 60_000, windowSeconds: 5, sensorId: 'huge' },
      413,
      'from, to: about 3000000 input records would be read',
    ],
  ])('refuses %j with %i', async (body, status, error) => {
    const before = started.length;
    const res = await call('POST', '/api/rewindow', body);
    expect(res).toEqual({ status, body: { error } });
    expect(started).toHaveLength(before);
  });

  it('is a control: a browser request from another origin is refused', async () => {
    const res = await call(
      'POST',
      '/api/rewindow',
      { from: T0, to: T0 + 60_000, windowSeconds: 5 },
      { origin: 'http://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(res.body?.error).toMatch(/^origin: /);
  });

  it('says so in a process that serves no jobs', async () => {
    const bare = await serveApi(apiContext({}));
    const res = await call('POST', '/api/rewindow', { from: T0, to: T0 + 60_000, windowSeconds: 5 }, {}, bare);
    expect(res).toEqual({
      status: 409,
      body: { error: 'rewindow: this process does not serve re-window jobs (it runs no web role)' },
    });
  });
});

describe('GET and DELETE /api/rewindow/<id>', () => {
  it('answers a job by its (URL-encoded) id, and 404 naming an unknown one', async () => {
    expect(await call('GET', '/api/rewindow/job%2F1')).toMatchObject({
      status: 200,
      body: { id: 'job/1', status: 'running' },
    });
    expect(await call('GET', '/api/rewindow/nope')).toEqual({
      status: 404,
      body: { error: 'id: no re-window job "nope" (finished jobs are kept 10 minutes)' },
    });
    expect((await call('GET', '/api/rewindow/%E0%A4%A')).status).toBe(404);
  });

  it('cancels with DELETE, a control', async () => {
    expect(await call('DELETE', '/api/rewindow/job%2F1')).toMatchObject({
      status: 200,
      body: { id: 'job/1', status: 'cancelled' },
    });
    expect(cancelled).toEqual(['job/1']);
    expect((await call('DELETE', '/api/rewindow/job%2F1', undefined, { origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect(cancelled).toEqual(['job/1']);
    expect((await call('DELETE', '/api/rewindow/nope')).status).toBe(404);
  });

  it('allows only GET and DELETE on a job, only POST on the collection', async () => {
    expect(await call('PUT', '/api/rewindow/j1', {})).toEqual({
      status: 405,
      body: { error: 'method PUT not allowed on /api/rewindow/j1; use GET, DELETE' },
    });
    expect((await call('GET', '/api/rewindow')).status).toBe(405);
    expect((await call('GET', '/api/rewindow/a/b')).status).toBe(404);
  });
});
