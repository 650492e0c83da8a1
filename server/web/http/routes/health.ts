/** GET /healthz: 200 when healthy, 503 when degraded (for load balancers and orchestrators); open to all. */
import type { ApiContext } from '../apiContext';
import type { Route } from '../router';

export function healthRoutes(ctx: Pick<ApiContext, 'health'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      // Probes (load balancers, orchestrators) carry no token; the answer holds nothing secret.
      open: true,
      handle: () => {
        const health = ctx.health();
        return [health.status === 'ok' ? 200 : 503, health];
      },
    },
  ];
}
