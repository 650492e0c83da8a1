/**
 * "What if" re-windowing: POST /api/rewindow starts a job (202), GET /api/rewindow/<id> follows
 * it, DELETE cancels it. It reads the input topic for a while: starting and cancelling are controls.
 */
import { rewindowRequestSchema, type RewindowJob } from '../../../../lib/contract';
import { Refusal } from '../../../../lib/refusal';
import type { ApiContext } from '../apiContext';
import { readBody, served, type Reply, type Route } from '../router';

export function rewindowRoutes(ctx: Pick<ApiContext, 'rewindow'>): Route[] {
  const rewindow = () =>
    served(ctx.rewindow, 409, 'rewindow: this process does not serve re-window jobs (it runs no web role)');
  const job = (id: string, find: (id: string) => RewindowJob | null): Reply => {
    const found = find(id);
    if (!found) {
      throw new Refusal(404, `id: no re-window job ${JSON.stringify(id)} (finished jobs are kept 10 minutes)`);
    }
    return [200, found];
  };
  return [
    {
      method: 'POST',
      path: '/api/rewindow',
      control: true,
      handle: async ({ req }) => {
        const request = await readBody(req, rewindowRequestSchema);
        return [202, await rewindow().start(request)];
      },
    },
    {
      method: 'GET',
      path: '/api/rewindow/:id',
      paramMaxLength: 100,
      handle: ({ params }) => job(params.id, (id) => rewindow().get(id)),
    },
    {
      method: 'DELETE',
      path: '/api/rewindow/:id',
      paramMaxLength: 100,
      control: true,
      handle: ({ params }) => job(params.id, (id) => rewindow().cancel(id)),
    },
  ];
}
