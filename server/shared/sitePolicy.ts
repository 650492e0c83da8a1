/**
 * Which requests this server answers at all, for HTTP and the socket.io handshake alike.
 *
 * Host: a page on an attacker's domain can make its name resolve to 127.0.0.1 (DNS rebinding)
 * and then talk to us as "same origin". The browser still sends the attacker's name in `Host`,
 * so we answer only names we serve: loopback names, IP literals (a rebinding page cannot put an
 * address there: its origin would be that address), the configured HOST and ALLOWED_HOSTS.
 *
 * Origin: a browser request or socket from another site is refused unless listed in
 * ALLOWED_ORIGINS (cross-site request forgery); same-origin is safe once Host is checked.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

export interface SitePolicy {
  /** The address the server listens on (HOST). */
  host: string;
  /** Extra Host names: exact names, `.example.com` for a domain and its subdomains, or `*` for any. */
  allowedHosts: string[];
  /** Other origins whose pages may use the controls and socket.io. */
  allowedOrigins: string[];
}

export type SiteDecision = { ok: true } | { ok: false; status: 403; message: string };

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/** The name part of a Host header: `[::1]:3000` → `::1`, `Example.com:80` → `example.com`. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined);
  const colon = host.lastIndexOf(':');
  return (colon >= 0 ? host.slice(0, colon) : host).replace(/\.$/, '');
}

export function hostAllowed(hostHeader: string | undefined, policy: SitePolicy): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  if (name === '') return false;
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  const configured = policy.host.toLowerCase();
  if (!WILDCARD_ADDRESSES.has(configured) && name === hostName(configured)) return true;
  return policy.allowedHosts.some((allowed) => {
    if (allowed === '*') return true;
    if (allowed.startsWith('.')) return name === allowed.slice(1) || name.endsWith(allowed);
    return name === allowed;
  });
}

/** Same origin as the Host the request was sent to, or one of the configured ones. */
export function originAllowed(headers: IncomingHttpHeaders, allowedOrigins: string[]): boolean {
  const origin = headers.origin;
  if (!origin) return true; // not a browser cross-origin request (curl, Prometheus, server to server)
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** Host for every request; Origin too where the request can change or stream something. */
export function checkSite(
  headers: IncomingHttpHeaders,
  policy: SitePolicy,
  options: { origin: boolean },
): SiteDecision {
  if (!hostAllowed(headers.host, policy)) {
    return {
      ok: false,
      status: 403,
      message: `host: "${headers.host ?? ''}" is not a name this server answers to (DNS rebinding protection); add it to ALLOWED_HOSTS if it is yours`,
    };
  }
  if (options.origin && !originAllowed(headers, policy.allowedOrigins)) {
    return {
      ok: false,
      status: 403,
      message: `origin: ${headers.origin} may not use this server (set ALLOWED_ORIGINS to allow it)`,
    };
  }
  return { ok: true };
}
