/** GET /api/stats: the group's counters, as the socket.io `stats` event carries them. */
import type { ApiContext } from '../apiContext';
import type { Route } from '../router';

export function statsRoutes(ctx: Pick<ApiContext, 'stats'>): Route[] {
  return [{ method: 'GET', path: '/api/stats', handle: () => [200, ctx.stats()] }];
}
