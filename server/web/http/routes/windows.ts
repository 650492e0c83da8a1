/**
 * GET /api/windows: the latest windows (`limit`, `sensorId`), or with `from` and `to` the windows
 * starting in that range, a page at a time (`after`: the cursor of the previous page).
 */
import { z } from 'zod';
import { decodeCursor } from '../../history/windowRange';
import type { ApiContext } from '../apiContext';
import { parseQuery, type Route } from '../router';
import { limitParam } from './limitQuery';

const epochMs = z
  .string()
  .regex(/^\d+$/, 'must be a time in epoch milliseconds')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n <= 8_640_000_000_000_000, 'must be a time in epoch milliseconds');
/** A range wider than this is refused: ask for it in parts. */
const MAX_RANGE_MS = 31 * 24 * 3_600_000;

const windowsQuerySchema = z
  .strictObject({
    sensorId: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters').optional(),
    limit: limitParam(10_000),
    from: epochMs.optional(),
    to: epochMs.optional(),
    after: z
      .string()
      .max(400, 'must be a cursor from a previous page')
      .transform((text, ctx) => {
        const cursor = decodeCursor(text);
        if (cursor) return cursor;
        ctx.addIssue({ code: 'custom', message: 'must be a cursor from a previous page' });
        return z.NEVER;
      })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) {
      const [missing, given] = q.from === undefined ? ['from', 'to'] : ['to', 'from'];
      ctx.addIssue({ code: 'custom', path: [missing], message: `is required with ${given}` });
    }
    if (q.from !== undefined && q.to !== undefined) {
      if (q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      else if (q.to - q.from > MAX_RANGE_MS) {
        const message = 'must be at most 31 days after from; ask for a longer range in parts';
        ctx.addIssue({ code: 'custom', path: ['to'], message });
      }
    }
    if (q.after !== undefined && q.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: 'needs from and to' });
    }
  });

export function windowRoutes(ctx: Pick<ApiContext, 'recentWindows' | 'windowsInRange'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/windows',
      // A range too large to read is refused by windowsInRange (413).
      handle: async ({ url }) => {
        const { from, to, sensorId, limit, after } = parseQuery(url, windowsQuerySchema);
        if (from === undefined || to === undefined) return [200, ctx.recentWindows(limit ?? 100, sensorId)];
        return [200, await ctx.windowsInRange({ fromMs: from, toMs: to, sensorId, limit: limit ?? 10_000, after })];
      },
    },
  ];
}
