/**
 * The HTTP API (served by the same process as Next.js, ahead of it): each feature's routes
 * (routes/) behind one router (router.ts). Every request body and query is validated against its
 * schema; a bad request gets a 4xx whose message names the field and the rule.
 */
import type { ApiContext } from './apiContext';
import { createRouter } from './router';
import { alertRoutes } from './routes/alerts';
import { configRoutes } from './routes/config';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { operationsRoutes } from './routes/operations';
import { rewindowRoutes } from './routes/rewindow';
import { simulatorRoutes } from './routes/simulator';
import { statsRoutes } from './routes/stats';
import { windowRoutes } from './routes/windows';

export type { ApiContext } from './apiContext';

/**
 * Returns a handler that answers API requests and returns false for anything else. It sees every
 * request first, so it also refuses those sent under a Host name this server does not serve.
 */
export function createApiHandler(ctx: ApiContext) {
  const routes = [
    ...alertRoutes(ctx),
    ...healthRoutes(ctx),
    ...configRoutes(ctx),
    ...statsRoutes(ctx),
    ...metricsRoutes(ctx),
    ...simulatorRoutes(ctx),
    ...operationsRoutes(ctx),
    ...windowRoutes(ctx),
    ...rewindowRoutes(ctx),
  ];
  return createRouter(routes, () => ctx.control);
}
