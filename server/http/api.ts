/**
 * The HTTP API (served by the same process as Next.js, ahead of it). Every request body and
 * query is validated against its schema; a bad request gets a 4xx whose message names the
 * field and the rule.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  configUpdateSchema,
  describeIssues,
  simulatorStartSchema,
  type RuntimeConfig,
  type SimulatorStatus,
  type Stats,
  type WindowResultRecord,
  type ConfigUpdate,
  type SimulatorStart,
} from '../../lib/contract';
import { RangeTooLargeError } from '../kafka/readSince';
import { decodeCursor, type RangePage, type RangeQuery } from '../windowRange';
import { checkControlAccess, type ControlPolicy } from './controlAccess';
import { checkSite } from './sitePolicy';

export interface ApiContext {
  getConfig(): RuntimeConfig;
  updateConfig(update: ConfigUpdate): Promise<RuntimeConfig>;
  /** Null when this process does not run the simulator role. */
  simulator: {
    status(): SimulatorStatus;
    start(options: SimulatorStart): SimulatorStatus;
    stop(): SimulatorStatus;
  } | null;
  recentWindows(limit: number, sensorId?: string): WindowResultRecord[];
  /** Windows starting in [fromMs, toMs), a page at a time (see server/windowRange.ts). */
  windowsInRange(query: RangeQuery): Promise<RangePage>;
  stats(): Stats;
  health(): { status: 'ok' | 'degraded'; kafka: boolean; roles: string[] };
  /** Prometheus' text format. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Which Host and Origin are served (every request), and who may use the controls. */
  control: ControlPolicy;
}

/** A response that is not JSON (Prometheus' text format). */
class RawBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

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
    limit: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 10_000, 'must be between 1 and 10000')
      .optional(),
    from: epochMs.optional(),
    to: epochMs.optional(),
    after: z
      .string()
      .max(400, 'must be a cursor from a previous page')
      .transform((text, ctx) => decodeCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'must be a cursor from a previous page' }), z.NEVER))
      .optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'is required with ' + (q.from === undefined ? 'to' : 'from') });
    if (q.from !== undefined && q.to !== undefined) {
      if (q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      else if (q.to - q.from > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most 31 days after from; ask for a longer range in parts' });
    }
    if (q.after !== undefined && q.from === undefined) ctx.addIssue({ code: 'custom', path: ['after'], message: 'needs from and to' });
  });

function send(res: ServerResponse, status: number, body: unknown): void {
  const raw = body instanceof RawBody;
  res.writeHead(status, { 'content-type': raw ? body.contentType : 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(raw ? body.text : JSON.stringify(body));
}

async function readJsonBody(req: IncomingMessage, optional: boolean): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body: must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    if (optional) return {};
    throw new HttpError(400, 'body: must be a JSON object');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body: not valid JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, 'body: must be a JSON object');
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new HttpError(400, describeIssues(result.error));
  return result.data;
}

type Route = (req: IncomingMessage, url: URL) => Promise<[number, unknown]>;

/** Marks a route that changes state: it passes the control-access policy first. */
function control(ctx: ApiContext, route: Route): Route {
  return async (req, url) => {
    const decision = checkControlAccess(req, ctx.control);
    if (!decision.ok) throw new HttpError(decision.status, decision.message);
    return route(req, url);
  };
}

function routes(ctx: ApiContext): Record<string, Partial<Record<string, Route>>> {
  const simulator = () => {
    if (!ctx.simulator) throw new HttpError(409, 'simulator: this process does not run the simulator role');
    return ctx.simulator;
  };
  return {
    '/healthz': {
      GET: async () => {
        const health = ctx.health();
        return [health.status === 'ok' ? 200 : 503, health];
      },
    },
    '/api/config': {
      GET: async () => [200, ctx.getConfig()],
      PUT: control(ctx, async (req) => [200, await ctx.updateConfig(parse(configUpdateSchema, await readJsonBody(req, false)))]),
    },
    '/api/stats': { GET: async () => [200, ctx.stats()] },
    '/metrics': {
      GET: async () => {
        const { contentType, body } = await ctx.metrics();
        return [200, new RawBody(contentType, body)];
      },
    },
    '/api/simulator': { GET: async () => [200, simulator().status()] },
    '/api/simulator/start': {
      POST: control(ctx, async (req) => [200, simulator().start(parse(simulatorStartSchema, await readJsonBody(req, true)))]),
    },
    '/api/simulator/stop': { POST: control(ctx, async () => [200, simulator().stop()]) },
    '/api/windows': {
      GET: async (_req, url) => {
        const query = windowsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) throw new HttpError(400, describeIssues(query.error));
        const { from, to, sensorId, limit, after } = query.data;
        if (from === undefined || to === undefined) return [200, ctx.recentWindows(limit ?? 100, sensorId)];
        try {
          return [200, await ctx.windowsInRange({ fromMs: from, toMs: to, sensorId, limit: limit ?? 10_000, after })];
        } catch (error) {
          if (error instanceof RangeTooLargeError) {
            throw new HttpError(413, `from, to: the range holds more than ${error.maxRecords} window records to read; ask for a shorter range or one sensor`);
          }
          throw error;
        }
      },
    },
  };
}

/**
 * Returns a handler that answers API requests and returns false for anything else. It sees every
 * request first, so it also refuses those sent under a Host name this server does not serve.
 */
export function createApiHandler(ctx: ApiContext) {
  const table = routes(ctx);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const site = checkSite(req.headers, ctx.control, { origin: false });
    if (!site.ok) {
      send(res, site.status, { error: site.message });
      return true;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = table[url.pathname];
    if (!route) {
      if (!url.pathname.startsWith('/api/')) return false;
      send(res, 404, { error: `no such endpoint: ${url.pathname}` });
      return true;
    }
    const handler = route[req.method ?? 'GET'];
    if (!handler) {
      res.setHeader('allow', Object.keys(route).join(', '));
      send(res, 405, { error: `method ${req.method} not allowed on ${url.pathname}; use ${Object.keys(route).join(', ')}` });
      return true;
    }
    try {
      const [status, body] = await handler(req, url);
      send(res, status, body);
    } catch (error) {
      if (error instanceof HttpError) send(res, error.status, { error: error.message });
      else send(res, 500, { error: (error as Error).message });
    }
    return true;
  };
}
