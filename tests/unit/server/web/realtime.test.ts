/** The socket.io handshake applies the same Host and Origin rules as HTTP (a real server, no Kafka). */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { Realtime } from '../../../../server/web/realtime';
import { RUNTIME_CONFIG } from '../../../support/apiServer';

const READ_TOKEN = 'read-token-0123456789abcdef';
let server: Server;
let realtime: Realtime;

beforeAll(async () => {
  server = createServer();
  realtime = new Realtime(
    server,
    {
      stats: () => {
        throw new Error('not used');
      },
      feed: { epoch: 'e', position: 0, sensorCount: 0, snapshot: () => ({ records: [], seq: 0 }), since: () => [] },
      historyPerSensor: 10,
      config: () => RUNTIME_CONFIG,
      simulator: () => null,
    },
    {
      dev: false,
      site: { token: undefined, readToken: READ_TOKEN, host: '127.0.0.1', allowedHosts: [], allowedOrigins: [] },
      pushDelay: { observe: () => undefined },
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => realtime.close());

function handshake(headers: Record<string, string>): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('socket.io handshake', () => {
  it('opens for the page served here', async () => {
    expect(await handshake({ host: 'localhost:3000', origin: 'http://localhost:3000' })).toBe(200);
    expect(await handshake({ host: '127.0.0.1:3000' })).toBe(200);
  });

  it('refuses a rebinding page (foreign Host, same origin) and another site', async () => {
    expect(await handshake({ host: 'rebind.example:3000', origin: 'http://rebind.example:3000' })).toBe(403);
    expect(await handshake({ host: 'localhost:3000', origin: 'http://evil.example' })).toBe(403);
  });
});

/** Connects as a socket.io client would; resolves with the refusal's message, or 'connected'. */
function connect(options: { headers?: Record<string, string>; token?: string }): Promise<string> {
  const { port } = server.address() as AddressInfo;
  const socket = io(`http://127.0.0.1:${port}`, {
    extraHeaders: options.headers,
    auth: options.token ? { token: options.token } : {},
    reconnection: false,
  });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  }).finally(() => socket.close());
}

describe('the feed is a read', () => {
  it('is refused behind a proxy (X-Forwarded-For from loopback) without the read token', async () => {
    expect(await connect({ headers: { 'x-forwarded-for': '203.0.113.9' } })).toMatch(/^authorization: .*READ_TOKEN/);
    expect(await connect({ headers: { 'x-forwarded-for': '203.0.113.9' }, token: 'wrong-token-0123456789' })).toMatch(
      /^authorization:/,
    );
  });

  it('opens with the read token in the handshake auth, and to a local client without one', async () => {
    expect(await connect({ headers: { 'x-forwarded-for': '203.0.113.9' }, token: READ_TOKEN })).toBe('connected');
    expect(await connect({})).toBe('connected');
  });
});
