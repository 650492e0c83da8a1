/** GET /healthz: 200 when healthy, 503 when degraded (for load balancers and orchestrators). */
import type { ApiContext } from '../apiContext';
import type { Route } from '../router';

export function healthRoutes(ctx: Pick<ApiContext, 'health'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      handle: () => {
        const health = ctx.health();
        return [health.status === 'ok' ? 200 : 503, health];
      },
    },
  ];
}
