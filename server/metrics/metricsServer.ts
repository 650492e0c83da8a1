/**
 * `/metrics` for a process without the web role (ROLES=worker), on METRICS_PORT. A process with
 * the web role serves `/metrics` on its own port instead.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { checkSite, type SitePolicy } from '../shared/sitePolicy';
import { renderMetrics } from './registry';

export async function startMetricsServer(
  registry: Registry,
  port: number,
  site: SitePolicy,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const json = (status: number, error: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error }));
    };
    const decision = checkSite(req.headers, site, { origin: false });
    if (!decision.ok) return json(decision.status, decision.message);
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics')
      return json(404, `no such endpoint: ${req.url}; this port serves /metrics only`);
    if (req.method !== 'GET') return json(405, `method ${req.method} not allowed on /metrics; use GET`);
    renderMetrics(registry).then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      },
      (error: Error) => json(500, error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `METRICS_PORT: port ${port} on ${site.host} is already in use; set METRICS_PORT to a free port, 0 for any, or off`,
            )
          : error,
      ),
    );
    server.listen(port, site.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
