/** The browser's one request function: its results, its one wording of a failure, and the control token. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokenAsker } from '@/components/shared/controlToken';
import { failureSentence, request, type RequestFailure } from '@/components/shared/request';

/** A stand-in for window.sessionStorage. */
function sessionStore(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let calls: { url: string; init: RequestInit }[];
let answers: (() => Response)[];

beforeEach(() => {
  calls = [];
  answers = [];
  vi.stubGlobal('window', { sessionStorage: sessionStore() });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new TypeError('Failed to fetch');
    return next();
  });
});

afterEach(() => {
  setTokenAsker(null);
  vi.unstubAllGlobals();
});

const headers = (i: number) => (calls[i].init.headers ?? {}) as Record<string, string>;

describe('request', () => {
  it('gives the data of a 2xx answer, and sends a body as JSON', async () => {
    answers.push(() => json(200, { windowSeconds: 5 }));
    expect(await request('PUT', '/api/config', { body: { windowSeconds: 5 } })).toEqual({
      ok: true,
      data: { windowSeconds: 5 },
    });
    expect(calls[0].init).toMatchObject({ method: 'PUT', body: '{"windowSeconds":5}', cache: 'no-store' });
    expect(headers(0)['content-type']).toBe('application/json');
  });

  it("words a refusal in the server's own words, and keeps the body", async () => {
    const body = { error: 'windowSeconds: must be at least 0.1' };
    answers.push(() => json(400, body));
    expect(await request('PUT', '/api/config', { body: {} })).toEqual({
      ok: false,
      status: 400,
      message: 'windowSeconds: must be at least 0.1',
      fromServer: true,
      body,
    });
  });

  it('says the status when the server gave no reason, and that it could not be reached when nothing answered', async () => {
    answers.push(() => new Response('<html>bad gateway</html>', { status: 502 }));
    expect(await request('GET', '/api/operations')).toMatchObject({
      ok: false,
      status: 502,
      message: 'the server answered with status 502',
      fromServer: false,
    });
    expect(await request('GET', '/api/operations')).toMatchObject({
      ok: false,
      status: 0,
      message: 'the server could not be reached (Failed to fetch)',
      fromServer: false,
    });
  });

  it('is one sentence on the dashboard, whatever went wrong', () => {
    const failure = (message: string, fromServer: boolean): RequestFailure => ({
      ok: false,
      status: 400,
      message,
      fromServer,
      body: null,
    });
    expect(failureSentence(failure('sensors: must be at most 10000', true))).toBe(
      'The server refused: sensors: must be at most 10000.',
    );
    expect(failureSentence(failure('the server answered with status 502', false))).toBe(
      'The server answered with status 502.',
    );
    expect(failureSentence(failure('the server could not be reached (offline)', false))).toBe(
      'The server could not be reached (offline).',
    );
  });
});

describe('the token', () => {
  const refused = () => json(401, { error: 'authorization: this server requires a token' });

  it('is asked for on a refused control, kept for the tab, and the control tried once more with it', async () => {
    const asked: string[] = [];
    setTokenAsker(async (message) => {
      asked.push(message);
      return ' s3cret ';
    });
    answers.push(refused, () => json(200, { running: false }));
    expect(await request('POST', '/api/simulator/stop')).toEqual({ ok: true, data: { running: false } });
    expect(asked).toEqual(['authorization: this server requires a token']);
    expect(headers(0).authorization).toBeUndefined();
    expect(headers(1).authorization).toBe('Bearer s3cret');
    // Kept: the next control (on either page) sends it without asking.
    answers.push(() => json(200, {}));
    await request('DELETE', '/api/rewindow/j');
    expect(headers(2).authorization).toBe('Bearer s3cret');
    expect(asked).toHaveLength(1);
  });

  it('is sent with reads too (beyond loopback they need the read or control token)', async () => {
    window.sessionStorage.setItem('windowpane-control-token', 'held');
    answers.push(() => json(200, []));
    await request('GET', '/api/alerts?limit=5');
    expect(headers(0).authorization).toBe('Bearer held');
  });

  it('is asked for once by reads refused together, and not again by reads once the dialog was dismissed', async () => {
    let asked = 0;
    setTokenAsker(async () => (++asked === 1 ? 'read-token' : null));
    answers.push(
      refused,
      refused,
      () => json(200, [1]),
      () => json(200, [2]),
    );
    const [a, b] = await Promise.all([request('GET', '/api/stats'), request('GET', '/api/config')]);
    expect([a.ok, b.ok, asked]).toEqual([true, true, 1]);
    expect(headers(2).authorization).toBe('Bearer read-token');

    window.sessionStorage.clear();
    answers.push(refused, refused, refused);
    expect(await request('GET', '/api/stats')).toMatchObject({ ok: false, status: 401 }); // asked: dismissed
    expect(await request('GET', '/api/stats')).toMatchObject({ ok: false, status: 401 }); // not asked again
    expect(asked).toBe(2);
  });

  it('is forgotten when a read refuses it; with no token given the refusal stands, and a wrong one is asked for once only', async () => {
    window.sessionStorage.setItem('windowpane-control-token', 'read-token');
    setTokenAsker(async () => null);
    answers.push(refused);
    expect(await request('POST', '/api/simulator/start', { body: {} })).toMatchObject({
      ok: false,
      status: 401,
      fromServer: true,
    });
    // A control refused it: it may be a read token, still good for reads.
    expect(window.sessionStorage.getItem('windowpane-control-token')).toBe('read-token');
    answers.push(refused);
    expect(await request('GET', '/api/stats')).toMatchObject({ ok: false, status: 401 });
    expect(window.sessionStorage.getItem('windowpane-control-token')).toBeNull();
    expect(calls).toHaveLength(2);

    let asked = 0;
    setTokenAsker(async () => `wrong-${++asked}`);
    answers.push(refused, refused);
    expect(await request('POST', '/api/simulator/start', { body: {} })).toMatchObject({ ok: false, status: 401 });
    expect(asked).toBe(1);
    expect(calls).toHaveLength(4);
  });
});
