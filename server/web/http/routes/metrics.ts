/** GET /metrics: Prometheus' text format. */
import type { ApiContext } from '../apiContext';
import { RawBody, type Route } from '../router';

export function metricsRoutes(ctx: Pick<ApiContext, 'metrics'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      handle: async () => {
        const { contentType, body } = await ctx.metrics();
        return [200, new RawBody(contentType, body)];
      },
    },
  ];
}
