/**
 * socket.io bounded against abuse (server/web/realtime.ts), on a real server on loopback with real
 * clients, no Kafka: connections past MAX_CLIENTS are refused with a message, a resume too long to
 * send is answered with "re-read over HTTP", a client that stops reading gets no stats and is
 * disconnected after the read deadline even though it answers pings.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedWindow, RuntimeConfig, Stats } from '../../../../lib/contract';
import { Realtime, TOO_MANY_CLIENTS, type RealtimeLimits } from '../../../../server/web/realtime';

interface Feed {
  epoch: string;
  position: number;
  sensorCount: number;
  snapshot(perSensor: number): { records: FeedWindow[]; seq: number };
  since(after: number): FeedWindow[] | null;
}

const opened: { server: Server; realtime: Realtime; clients: ClientSocket[] }[] = [];
afterEach(async () => {
  for (const { server, realtime, clients } of opened.splice(0)) {
    for (const c of clients) c.disconnect();
    await realtime.close();
    server.closeAllConnections();
  }
});

async function serve(limits: Partial<RealtimeLimits>, feed: Feed, stats: () => Stats = () => ({}) as Stats) {
  const server = createServer();
  const realtime = new Realtime(
    server,
    // The config is sent on connect and not looked at here.
    { stats, feed, historyPerSensor: 10, config: () => ({}) as RuntimeConfig, simulator: () => null },
    {
      dev: false,
      site: { token: undefined, host: '127.0.0.1', allowedHosts: [], allowedOrigins: [] },
      pushDelay: { observe: () => undefined },
      limits,
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  realtime.start();
  const clients: ClientSocket[] = [];
  opened.push({ server, realtime, clients });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (auth: object = {}) => {
    const socket = connect(url, { transports: ['websocket'], reconnection: false, auth });
    clients.push(socket);
    return socket;
  };
  return { realtime, url, client };
}

const emptyFeed = (over: Partial<Feed> = {}): Feed => ({
  epoch: 'e',
  position: 0,
  sensorCount: 0,
  snapshot: () => ({ records: [], seq: 0 }),
  since: () => [],
  ...over,
});

function outcome(socket: ClientSocket): Promise<{ connected: true } | { error: Error & { data?: unknown } }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (error) => resolve({ error }));
  });
}

/**
 * A WebSocket as an attacker would hold one: the upgrade done by hand on a raw TCP socket, which the
 * test can stop reading from while it goes on writing (frames of under 126 bytes, masked as a client must).
 */
async function rawWebSocket(url: string, path: string): Promise<{ socket: Socket; send(text: string): void }> {
  const { hostname, port } = new URL(url);
  const headers = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-key': randomBytes(16).toString('base64'),
    'sec-websocket-version': '13',
  };
  const socket = await new Promise<Socket>((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers });
    req.once('upgrade', (_res, upgraded) => resolve(upgraded));
    req.once('error', reject);
    req.end();
  });
  const send = (text: string) => {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const masked = payload.map((byte, i) => byte ^ mask[i % 4]);
    socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
  };
  return { socket, send };
}

const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('socket.io limits', () => {
  it('refuses connections past MAX_CLIENTS with a message the dashboard shows, and counts them', async () => {
    const { realtime, client } = await serve({ maxClients: 2 }, emptyFeed());
    const first = client();
    expect(await outcome(first)).toEqual({ connected: true });
    expect(await outcome(client())).toEqual({ connected: true });
    const third = await outcome(client());
    expect(third).toMatchObject({ error: { message: TOO_MANY_CLIENTS, data: { reason: 'too_many_clients' } } });
    expect(realtime.refusedClients).toBe(1);
    // A place freed is a place taken.
    first.disconnect();
    await waitFor(() => realtime.socketClients < 2 && realtime.io.of('/').sockets.size < 2, 2_000);
    expect(await outcome(client())).toEqual({ connected: true });
  });

  it('refuses engine.io handshakes past twice MAX_CLIENTS while they have not joined the feed', async () => {
    const { realtime, url } = await serve({ maxClients: 2 }, emptyFeed());
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
      await answer.text();
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 403]);
    expect(realtime.refusedClients).toBe(1);
  });

  it('answers a resume of 100 000 missed windows with "re-read over HTTP", not the windows', async () => {
    let asked = 0;
    const feed = emptyFeed({
      position: 100_000,
      since: () => {
        asked++;
        throw new Error('the server must not gather 100 000 windows for one socket');
      },
    });
    const { realtime, client } = await serve({ maxResumeWindows: 2_000 }, feed);
    const socket = client({ epoch: 'e', after: 0 });
    const windows: FeedWindow[][] = [];
    socket.on('windows', (batch) => windows.push(batch));
    const position = await new Promise((resolve) => socket.once('feed', resolve));
    expect(position).toEqual({ epoch: 'e', seq: 100_000, reread: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(windows).toEqual([]);
    expect(asked).toBe(0);
    expect(realtime.rereadsAsked).toBe(1);
  });

  it('still sends a short resume over the socket', async () => {
    const missed = [{ seq: 5 } as FeedWindow];
    const { client } = await serve({ maxResumeWindows: 2_000 }, emptyFeed({ position: 5, since: () => missed }));
    const socket = client({ epoch: 'e', after: 4 });
    expect(await new Promise((resolve) => socket.once('windows', resolve))).toEqual(missed);
  });

  it('stops sending stats to a client that stopped reading, and disconnects it after the read deadline though it answers pings', async () => {
    let statsCalls = 0;
    const { realtime, url } = await serve({ readDeadlineMs: 6_000 }, emptyFeed(), () => {
      statsCalls++;
      return { n: statsCalls } as unknown as Stats;
    });
    // A raw engine.io client over WebSocket: joins the namespace, then never reads again (its TCP
    // socket paused) but keeps sending pongs, which is all engine.io's heartbeat checks.
    const ws = await rawWebSocket(url, '/socket.io/?EIO=4&transport=websocket');
    ws.send('40'); // the engine.io open packet came with the upgrade's answer: join the namespace
    await waitFor(() => realtime.io.of('/').sockets.size === 1, 2_000);
    ws.socket.pause();
    const pongs = setInterval(() => ws.socket.writable && ws.send('3'), 200);
    try {
      // About 30 MB of windows fills the loopback buffers; more batches then wait in the send buffer.
      const record = { sensorId: 'x'.repeat(100), windowStart: 0, windowEnd: 1, closedAt: Date.now() };
      const big = Array.from({ length: 5_000 }, (_, i) => ({ ...record, seq: i + 1 }) as unknown as FeedWindow);
      for (let i = 0; i < 30; i++) realtime.windows(big);
      for (let i = 0; i < 60; i++) realtime.windows([big[0]]);
      const [socket] = realtime.io.of('/').sockets.values();
      const buffered = () => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
      expect(buffered()).toBeGreaterThan(50);
      // From the tick after the one that finds its write stuck, nothing more is queued for it.
      let callsBefore = statsCalls;
      await waitFor(() => statsCalls >= callsBefore + 2, 5_000);
      const before = buffered();
      callsBefore = statsCalls;
      await waitFor(() => statsCalls >= callsBefore + 3, 5_000);
      expect(buffered()).toBe(before); // three stats sent to the others, none queued for it
      await waitFor(() => realtime.io.of('/').sockets.size === 0, 10_000);
    } finally {
      clearInterval(pongs);
      ws.socket.destroy();
    }
  }, 20_000);
});
