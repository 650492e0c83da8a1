/**
 * Who may change things (PUT /api/config, POST /api/simulator/*).
 *
 * - CONTROL_TOKEN set: the request must carry `Authorization: Bearer <token>` (401 otherwise).
 * - No token and the server listens on loopback only: allowed (a local tool).
 * - No token and the server listens beyond loopback: refused (403), saying how to enable it.
 * In every case a browser request from another origin is refused (403), so a page elsewhere
 * cannot drive the controls with the user's access (CSRF). The Host check (sitePolicy.ts) comes first.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback, originAllowed, type SitePolicy } from '../../shared/sitePolicy';

export interface ControlPolicy extends SitePolicy {
  token: string | undefined;
}

export type ControlDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkControlAccess(req: Pick<IncomingMessage, 'headers'>, policy: ControlPolicy): ControlDecision {
  if (!originAllowed(req.headers, policy.allowedOrigins)) {
    return {
      ok: false,
      status: 403,
      message: `origin: ${req.headers.origin} may not use the controls (set ALLOWED_ORIGINS to allow it)`,
    };
  }
  if (policy.token) {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match || !sameSecret(match[1].trim(), policy.token)) {
      return {
        ok: false,
        status: 401,
        message: 'authorization: this server requires "Authorization: Bearer <CONTROL_TOKEN>" for controls',
      };
    }
    return { ok: true };
  }
  if (!isLoopback(policy.host)) {
    return {
      ok: false,
      status: 403,
      message: `controls are disabled: the server listens on ${policy.host} (beyond loopback) and no CONTROL_TOKEN is set; start it with CONTROL_TOKEN=<secret> to enable them`,
    };
  }
  return { ok: true };
}
