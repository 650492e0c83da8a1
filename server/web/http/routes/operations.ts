/**
 * The Operations view: GET /api/operations (the worker group's progress), GET /api/dead-letters
 * and /api/late (records set aside), POST /api/dead-letters/redrive.
 */
import { redriveRequestSchema } from '../../../../lib/contract';
import type { AsideKind } from '../../operations/operations';
import type { ApiContext } from '../apiContext';
import { parseQuery, readBody, served, type Route } from '../router';
import { listLimitQuerySchema } from './limitQuery';

export function operationsRoutes(ctx: Pick<ApiContext, 'operations'>): Route[] {
  const operations = () => served(ctx.operations, 503, 'operations: this process does not serve the Operations view');
  const aside = (kind: AsideKind, path: string): Route => ({
    method: 'GET',
    path,
    handle: ({ url }) => {
      const { limit } = parseQuery(url, listLimitQuerySchema);
      return [200, operations().aside(kind, limit ?? 50)];
    },
  });
  return [
    { method: 'GET', path: '/api/operations', handle: async () => [200, await operations().overview()] },
    aside('dead-letters', '/api/dead-letters'),
    aside('late', '/api/late'),
    {
      method: 'POST',
      path: '/api/dead-letters/redrive',
      control: true,
      handle: async ({ req }) => {
        const request = await readBody(req, redriveRequestSchema);
        const { status, body } = await operations().redrive(request);
        return [status, body];
      },
    },
  ];
}
