/**
 * The plumbing every feature's routes share (server/web/http/routes/): a route is a method, a
 * path (with `:name` parameters) and a handler answering a status and a body. The router checks
 * the Host of every request and the access policy (access.ts: reads need read access, routes that
 * change state control access, `open` routes such as /healthz neither), and
 * turns a Refusal (lib/refusal.ts) into its status; anything else thrown is a 500. Handlers read
 * their JSON body and query through `readBody` and `parseQuery`: a bad one is a 400 whose message
 * names the field and the rule.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { describeIssues } from '../../../lib/contract';
import { Refusal } from '../../../lib/refusal';
import { checkSite } from '../../shared/sitePolicy';
import { checkAccess, type AccessDecision, type AccessPolicy } from './access';

export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** The path's `:name` segments, percent-decoded (as sent when that is not valid percent-encoding). */
  params: Record<string, string>;
}

/** The status and the body: sent as JSON, or as is when a RawBody. */
export type Reply = [status: number, body: unknown];

export interface Route {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** e.g. `/api/rewindow/:id`: a `:name` segment matches 1 to `paramMaxLength` characters other than `/`. */
  path: string;
  /** 200 unless given; a longer segment makes the path no endpoint at all. */
  paramMaxLength?: number;
  /** Changes state: control access (access.ts) is checked before the handler runs; otherwise read access. */
  control?: boolean;
  /** Needs no access at all (health probes); never combined with `control`. */
  open?: boolean;
  handle(request: RouteRequest): Reply | Promise<Reply>;
}

/** A response that is not JSON (Prometheus' text format). */
export class RawBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

const MAX_BODY_BYTES = 64 * 1024;

/** The service a feature's routes call, or a refusal when this process does not serve that feature. */
export function served<T>(service: T | null | undefined, status: number, message: string): T {
  if (!service) throw new Refusal(status, message);
  return service;
}

/** The JSON object in the request's body, checked by `schema`; `optional`: an empty body is `{}`. */
export async function readBody<T>(
  req: IncomingMessage,
  schema: z.ZodType<T>,
  options: { optional?: boolean } = {},
): Promise<T> {
  const input = await readJson(req, options.optional ?? false);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Refusal(400, 'body: must be a JSON object');
  }
  return checked(schema, input);
}

/** The query string's parameters, checked by `schema`. */
export function parseQuery<T>(url: URL, schema: z.ZodType<T>): T {
  return checked(schema, Object.fromEntries(url.searchParams));
}

function checked<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new Refusal(400, describeIssues(result.error));
  return result.data;
}

async function readJson(req: IncomingMessage, optional: boolean): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, `body: must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    if (optional) return {};
    throw new Refusal(400, 'body: must be a JSON object');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal(400, 'body: not valid JSON');
  }
}

/** A refused access: 429 says when to try again. */
function refuse(res: ServerResponse, decision: Exclude<AccessDecision, { ok: true }>): void {
  if (decision.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(decision.retryAfterSeconds));
  send(res, decision.status, { error: decision.message });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const raw = body instanceof RawBody;
  const contentType = raw ? body.contentType : 'application/json; charset=utf-8';
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(raw ? body.text : JSON.stringify(body));
}

/** One path and the handlers of its methods, in the order the routes were given (the Allow header's). */
interface PathEntry {
  /** Null for a path without parameters: it is looked up as is. */
  pattern: RegExp | null;
  names: string[];
  methods: Map<string, Route>;
}

function pathEntries(routes: readonly Route[]): Map<string, PathEntry> {
  const entries = new Map<string, PathEntry>();
  for (const route of routes) {
    let entry = entries.get(route.path);
    if (!entry) {
      const parts = route.path.split(/(:\w+)/);
      const names = parts.filter((part) => part.startsWith(':')).map((part) => part.slice(1));
      const segment = `([^/]{1,${route.paramMaxLength ?? 200}})`;
      const source = parts.map((part) => (part.startsWith(':') ? segment : escapeRegExp(part))).join('');
      const pattern = names.length ? new RegExp(`^${source}$`) : null;
      entries.set(route.path, (entry = { pattern, names, methods: new Map() }));
    }
    entry.methods.set(route.method, route);
  }
  return entries;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function percentDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type PathMatch = { entry: PathEntry; params: Record<string, string> };

/** A path without parameters first, then the first whose pattern matches. */
function findPath(entries: Map<string, PathEntry>, pathname: string): PathMatch | null {
  const exact = entries.get(pathname);
  if (exact && !exact.pattern) return { entry: exact, params: {} };
  for (const entry of entries.values()) {
    const match = entry.pattern?.exec(pathname);
    if (!match) continue;
    return { entry, params: Object.fromEntries(entry.names.map((name, i) => [name, percentDecoded(match[i + 1])])) };
  }
  return null;
}

/**
 * Returns a handler that answers the routes' requests and returns false for a path outside them
 * and outside /api/ (left to Next.js). It sees every request first, so it also refuses those sent
 * under a Host name this server does not serve. The policy is read on every request.
 */
export function createRouter(routes: readonly Route[], policy: () => AccessPolicy) {
  const entries = pathEntries(routes);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const site = checkSite(req.headers, policy(), { origin: false });
    if (!site.ok) {
      send(res, site.status, { error: site.message });
      return true;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = findPath(entries, url.pathname);
    if (!found) {
      if (!url.pathname.startsWith('/api/')) return false;
      send(res, 404, { error: `no such endpoint: ${url.pathname}` });
      return true;
    }
    const route = found.entry.methods.get(req.method ?? 'GET');
    if (!route) {
      const allowed = [...found.entry.methods.keys()].join(', ');
      res.setHeader('allow', allowed);
      send(res, 405, { error: `method ${req.method} not allowed on ${url.pathname}; use ${allowed}` });
      return true;
    }
    if (!route.open) {
      const decision = checkAccess(req, policy(), route.control ? 'control' : 'read');
      if (!decision.ok) {
        refuse(res, decision);
        return true;
      }
    }
    try {
      const [status, body] = await route.handle({ req, url, params: found.params });
      send(res, status, body);
    } catch (error) {
      if (error instanceof Refusal) {
        if (error.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(error.retryAfterSeconds));
        send(res, error.status, { error: error.message });
      } else send(res, 500, { error: (error as Error).message });
    }
    return true;
  };
}
