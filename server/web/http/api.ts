/**
 * The HTTP API (served by the same process as Next.js, ahead of it). Every request body and
 * query is validated against its schema; a bad request gets a 4xx whose message names the
 * field and the rule.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  alertRuleBodySchema,
  alertRuleIdSchema,
  MAX_ALERT_RULES,
  configUpdateSchema,
  describeIssues,
  redriveRequestSchema,
  rewindowRequestSchema,
  type RewindowJob,
  type RewindowRequest,
  simulatorStartSchema,
  type RuntimeConfig,
  type SimulatorStatus,
  type Stats,
  type WindowResultRecord,
  type ConfigUpdate,
  type SimulatorStart,
} from '../../../lib/contract';
import { AlertRulesFull } from '../alerts/alertRules';
import type { AlertsApi } from '../alerts/alerts';
import { RangeTooLargeError } from '../../kafka/readSince';
import { RedriveFailed } from '../operations/redriver';
import type { AsideKind, OperationsApi } from '../operations/operations';
import { RewindowRefused } from '../rewindow/rewindowJobs';
import { decodeCursor, type RangePage, type RangeQuery } from '../history/windowRange';
import { checkControlAccess, type ControlPolicy } from './controlAccess';
import { checkSite } from '../../shared/sitePolicy';

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
  /** "What if" re-window jobs (server/rewindowJobs.ts); absent where no web role serves them. */
  rewindow?: {
    /** Throws RewindowRefused (413, 429, 503) when a limit says no. */
    start(request: RewindowRequest): Promise<RewindowJob>;
    get(id: string): RewindowJob | null;
    cancel(id: string): RewindowJob | null;
  };
  /** The Operations view (server/operations.ts); absent where no web role serves it: its endpoints answer 503. */
  operations?: OperationsApi | null;
  /** Alert rules and events (server/alerts.ts); absent where no web role serves them: their endpoints answer 503. */
  alerts?: AlertsApi | null;
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

/** GET /api/dead-letters and /api/late. */
const asideQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, 'must be between 1 and 500')
    .optional(),
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

/** Paths with an id at the end, routed under one key: `/api/rewindow/<id>` → `/api/rewindow/:id`. */
const REWINDOW_JOB_PATH = /^\/api\/rewindow\/([^/]{1,100})$/;
const ALERT_RULE_PATH = /^\/api\/alert-rules\/([^/]{1,200})$/;
function routeKey(pathname: string): string {
  if (ALERT_RULE_PATH.test(pathname)) return '/api/alert-rules/:id';
  return REWINDOW_JOB_PATH.test(pathname) ? '/api/rewindow/:id' : pathname;
}

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
  const rewindow = () => {
    if (!ctx.rewindow) throw new HttpError(409, 'rewindow: this process does not serve re-window jobs (it runs no web role)');
    return ctx.rewindow;
  };
  const rewindowJob = (url: URL, find: (id: string) => RewindowJob | null): [number, unknown] => {
    const raw = REWINDOW_JOB_PATH.exec(url.pathname)![1];
    let id = raw;
    try {
      id = decodeURIComponent(raw);
    } catch {
      // Not valid percent-encoding: no job has such an id; it is answered as unknown below.
    }
    const job = find(id);
    if (!job) throw new HttpError(404, `id: no re-window job ${JSON.stringify(id)} (finished jobs are kept 10 minutes)`);
    return [200, job];
  };
  const operations = () => {
    if (!ctx.operations) throw new HttpError(503, 'operations: this process does not serve the Operations view');
    return ctx.operations;
  };
  const aside = (kind: AsideKind): Route => async (_req, url) => {
    const query = asideQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw new HttpError(400, describeIssues(query.error));
    return [200, operations().aside(kind, query.data.limit ?? 50)];
  };
  const alerts = () => {
    if (!ctx.alerts) throw new HttpError(503, 'alerts: this process does not serve alerts (it runs no web role)');
    return ctx.alerts;
  };
  const alertRuleId = (url: URL): string => {
    let id = ALERT_RULE_PATH.exec(url.pathname)![1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // Not valid percent-encoding: refused by the id rule below.
    }
    const checked = alertRuleIdSchema.safeParse(id);
    if (!checked.success) throw new HttpError(400, `id: ${checked.error.issues[0].message}`);
    return checked.data;
  };
  return {
    // Alert rules live in a compacted topic every web server follows (server/alertRules.ts).
    '/api/alert-rules': { GET: async () => [200, { rules: alerts().rules(), max: MAX_ALERT_RULES }] },
    '/api/alert-rules/:id': {
      PUT: control(ctx, async (req, url) => {
        const id = alertRuleId(url);
        const body = parse(alertRuleBodySchema, await readJsonBody(req, false));
        if (body.id !== undefined && body.id !== id) throw new HttpError(400, `id: must be the id in the path (${id}) when given`);
        try {
          const { rule, created } = await alerts().putRule(id, body);
          return [created ? 201 : 200, rule];
        } catch (error) {
          if (error instanceof AlertRulesFull) throw new HttpError(409, error.message);
          throw error;
        }
      }),
      DELETE: control(ctx, async (_req, url) => {
        const id = alertRuleId(url);
        if (!(await alerts().deleteRule(id))) throw new HttpError(404, `id: no alert rule ${JSON.stringify(id)}`);
        return [200, { deleted: id }];
      }),
    },
    '/api/alerts': {
      GET: async (_req, url) => {
        const query = asideQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) throw new HttpError(400, describeIssues(query.error));
        return [200, { events: alerts().recent(query.data.limit ?? 100) }];
      },
    },
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
    '/api/operations': { GET: async () => [200, await operations().overview()] },
    '/api/dead-letters': { GET: aside('dead-letters') },
    '/api/late': { GET: aside('late') },
    '/api/dead-letters/redrive': {
      POST: control(ctx, async (req) => {
        const request = parse(redriveRequestSchema, await readJsonBody(req, false));
        try {
          const { status, body } = await operations().redrive(request);
          return [status, body];
        } catch (error) {
          if (error instanceof RedriveFailed) throw new HttpError(503, error.message);
          throw error;
        }
      }),
    },
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
    // Re-windowing reads the input topic for a while: starting and cancelling are controls.
    '/api/rewindow': {
      POST: control(ctx, async (req) => {
        const request = parse(rewindowRequestSchema, await readJsonBody(req, false));
        try {
          return [202, await rewindow().start(request)];
        } catch (error) {
          if (error instanceof RewindowRefused) throw new HttpError(error.status, error.message);
          throw error;
        }
      }),
    },
    '/api/rewindow/:id': {
      GET: async (_req, url) => rewindowJob(url, (id) => rewindow().get(id)),
      DELETE: control(ctx, async (_req, url) => rewindowJob(url, (id) => rewindow().cancel(id))),
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
    const route = table[routeKey(url.pathname)];
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
