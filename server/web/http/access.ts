/**
 * Who may read (GET endpoints, the socket.io feed) and who may control (PUT /api/config, POST
 * /api/simulator/*, ...), for HTTP and socket.io alike. The Host check (sitePolicy.ts) comes first.
 *
 * A caller is local when the server listens on loopback only, ALLOWED_HOSTS is unset (a server
 * reached by name is meant for others), the connection comes from a loopback address and it
 * carries no proxy header (Forwarded, X-Forwarded-For, X-Real-IP): nginx or Caddy on the same host
 * connect from loopback too, on behalf of anyone.
 *
 * - Controls: with CONTROL_TOKEN set, `Authorization: Bearer <CONTROL_TOKEN>` (401 otherwise);
 *   without it, local callers only (403 for others, saying how to enable them).
 * - Reads: local callers, or anyone with PUBLIC_READ=true; others need READ_TOKEN or CONTROL_TOKEN
 *   (401), or are refused (403) when neither is set.
 * - A browser request from another origin is refused (403) either way, so a page elsewhere can
 *   neither drive the controls (CSRF) nor make the server do costly reads with the user's access.
 * - Wrong tokens are counted per client address (lib/access/failedAttempts.ts): past the limit the
 *   address gets 429 with Retry-After. Behind a proxy that address is the proxy's, shared by every
 *   user, unless TRUST_PROXY=true names the proxy as the one to believe about X-Forwarded-For.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FailedAttempts } from '../../../lib/access/failedAttempts';
import { isLoopback, originAllowed, type SitePolicy } from '../../shared/sitePolicy';

export interface AccessPolicy extends SitePolicy {
  /** CONTROL_TOKEN: controls need it when set; it opens reads too. */
  token: string | undefined;
  /** READ_TOKEN: opens reads to callers that are not local. */
  readToken?: string;
  /** PUBLIC_READ: reads need no token from anyone. */
  publicRead?: boolean;
  /** TRUST_PROXY: count failed attempts by the last X-Forwarded-For address rather than the connection's. */
  trustProxy?: boolean;
  /** Shared by HTTP and socket.io; absent: wrong tokens are not limited. */
  failedAttempts?: FailedAttempts;
}

export type AccessKind = 'read' | 'control';

export type AccessDecision =
  { ok: true } | { ok: false; status: 401 | 403 | 429; message: string; retryAfterSeconds?: number };

/** What the decision reads of a request (an HTTP request, or a socket.io handshake's). */
export type Caller = Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string } };

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/** `token`: the one a socket.io client sent in its handshake `auth`; otherwise the Authorization header's. */
export function checkAccess(
  req: Caller,
  policy: AccessPolicy,
  kind: AccessKind,
  options: { token?: string; nowMs?: number } = {},
): AccessDecision {
  const foreign = foreignOrigin(req.headers, policy);
  if (foreign) return { ok: false, status: 403, message: foreign };
  const notLocal = notLocalBecause(req, policy);
  const given = options.token ?? bearerToken(req.headers);
  const nowMs = options.nowMs ?? Date.now();
  if (kind === 'control') {
    if (policy.token) return verified(given, [policy.token], req, policy, nowMs, ['CONTROL_TOKEN', 'controls']);
    if (notLocal === null) return { ok: true };
    return {
      ok: false,
      status: 403,
      message: `controls are disabled: ${notLocal} and no CONTROL_TOKEN is set; start it with CONTROL_TOKEN=<secret> to enable them`,
    };
  }
  if (policy.publicRead || notLocal === null) return { ok: true };
  const tokens = [policy.readToken, policy.token].filter((t): t is string => Boolean(t));
  if (tokens.length > 0) return verified(given, tokens, req, policy, nowMs, ['READ_TOKEN or CONTROL_TOKEN', 'reads']);
  return {
    ok: false,
    status: 403,
    message: `reading is disabled: ${notLocal} and neither READ_TOKEN nor CONTROL_TOKEN is set; set one (or PUBLIC_READ=true) to open reads`,
  };
}

/** Null when the caller is local (see the top of this file), else why not, for the refusal's message. */
function notLocalBecause(req: Caller, policy: SitePolicy): string | null {
  if (!isLoopback(policy.host)) return `the server listens on ${policy.host} (beyond loopback)`;
  if (policy.allowedHosts.length > 0) return 'ALLOWED_HOSTS is set (the server is reached by name)';
  const proxied = PROXY_HEADERS.find((name) => req.headers[name] !== undefined);
  if (proxied) return `the request came through a proxy (${proxied} header)`;
  const address = req.socket.remoteAddress ?? '';
  if (!isLoopbackAddress(address)) return `the request came from ${address || 'an unknown address'}`;
  return null;
}

/**
 * The Origin check, and for a request without Origin (a browser's no-cors GET, an <img>) its
 * Sec-Fetch-Site: another site's page may not make us do work even when it cannot read the answer.
 */
function foreignOrigin(headers: IncomingHttpHeaders, policy: SitePolicy): string | null {
  if (!originAllowed(headers, policy.allowedOrigins)) {
    return `origin: ${headers.origin} may not use this server (set ALLOWED_ORIGINS to allow it)`;
  }
  const site = headers['sec-fetch-site'];
  if (!headers.origin && (site === 'cross-site' || site === 'same-site')) {
    return `sec-fetch-site: a ${site} page may not use this server (its origin must be in ALLOWED_ORIGINS)`;
  }
  return null;
}

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return match ? match[1].trim() : undefined;
}

/** The address failed attempts are counted under. */
export function clientAddress(req: Caller, trustProxy: boolean | undefined): string {
  const forwarded = trustProxy
    ? String(req.headers['x-forwarded-for'] ?? '')
        .split(',')
        .at(-1)
        ?.trim()
    : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

function verified(
  given: string | undefined,
  accepted: string[],
  req: Caller,
  policy: AccessPolicy,
  nowMs: number,
  /** How the refusal names the token and what it is for. */
  [tokenName, what]: [string, string],
): AccessDecision {
  const client = clientAddress(req, policy.trustProxy);
  const waitMs = policy.failedAttempts?.retryAfterMs(client, nowMs) ?? 0;
  if (waitMs > 0) {
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    return {
      ok: false,
      status: 429,
      message: `authorization: too many wrong tokens from ${client}; try again in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    };
  }
  if (given !== undefined && accepted.some((token) => sameSecret(given, token))) return { ok: true };
  if (given !== undefined) policy.failedAttempts?.fail(client, nowMs);
  return {
    ok: false,
    status: 401,
    message: `authorization: this server requires "Authorization: Bearer <${tokenName}>" for ${what}`,
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
