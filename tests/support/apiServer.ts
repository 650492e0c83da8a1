/**
 * The HTTP API handler on a loopback port, over an ApiContext whose unneeded parts throw: for tests
 * of one feature's routes. `closeApiServers()` in afterAll.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeConfig } from '../../lib/contract';
import { createApiHandler, type ApiContext } from '../../server/web/http/api';

/** A runtime config as GET /api/config answers it, for tests that need one. */
export const RUNTIME_CONFIG: RuntimeConfig = {
  windowSeconds: 5,
  calendar: null,
  allowedLatenessSeconds: 2,
  effectiveFrom: null,
  pending: null,
  schedule: [],
  version: 1,
  updatedAt: 0,
  aggregates: [],
  quantileRelativeAccuracy: 0.01,
};

const unused = () => {
  throw new Error('not used by this test');
};

/** A context with nothing behind it but health; pass what the test exercises. */
export function apiContext(overrides: Partial<ApiContext> = {}): ApiContext {
  return {
    getConfig: unused,
    updateConfig: unused,
    simulator: null,
    recentWindows: unused,
    windowsInRange: unused,
    stats: unused,
    health: () => ({ status: 'ok', kafka: true, roles: ['web'] }),
    metrics: unused,
    control: { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] },
    ...overrides,
  };
}

const servers: Server[] = [];

/** Serves `ctx` on 127.0.0.1; a request the API does not handle gets 418. Returns the base URL. */
export async function serveApi(ctx: ApiContext): Promise<string> {
  const api = createApiHandler(ctx);
  const server = createServer(
    (req, res) => void api(req, res).then((handled) => (handled ? undefined : res.writeHead(418).end())),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeApiServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
}
