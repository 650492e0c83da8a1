/** The window settings: GET /api/config, and PUT /api/config to change them. */
import { configUpdateSchema } from '../../../../lib/contract';
import type { ApiContext } from '../apiContext';
import { readBody, type Route } from '../router';

export function configRoutes(ctx: Pick<ApiContext, 'getConfig' | 'updateConfig'>): Route[] {
  return [
    { method: 'GET', path: '/api/config', handle: () => [200, ctx.getConfig()] },
    {
      method: 'PUT',
      path: '/api/config',
      control: true,
      handle: async ({ req }) => [200, await ctx.updateConfig(await readBody(req, configUpdateSchema))],
    },
  ];
}
