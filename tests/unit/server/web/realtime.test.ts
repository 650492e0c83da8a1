/** The socket.io handshake applies the same Host and Origin rules as HTTP (a real server, no Kafka). */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Realtime } from '../../../../server/web/realtime';

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
      config: () => ({
        windowSeconds: 5,
        allowedLatenessSeconds: 2,
        effectiveFrom: null,
        pending: null,
        schedule: [],
        version: 1,
        updatedAt: 0,
      }),
      simulator: () => null,
    },
    {
      dev: false,
      site: { host: '127.0.0.1', allowedHosts: [], allowedOrigins: [] },
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
