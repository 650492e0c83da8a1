/**
 * The Operations view: GET /api/operations (the worker group's progress), GET /api/dead-letters
 * and /api/late (records set aside), GET /api/dead-letters/<partition>/<offset> (one, whole),
 * POST /api/dead-letters/redrive.
 */
import { deadLetterPathSchema, redriveRequestSchema } from '../../../../lib/contract';
import { Refusal } from '../../../../lib/refusal';
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
      method: 'GET',
      path: '/api/dead-letters/:partition/:offset',
      handle: async ({ params }) => {
        const checked = deadLetterPathSchema.safeParse(params);
        if (!checked.success) {
          const issue = checked.error.issues[0];
          throw new Refusal(400, `${issue.path.join('.')}: ${issue.message}`);
        }
        return [200, await operations().deadLetter(checked.data.partition, checked.data.offset)];
      },
    },
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
