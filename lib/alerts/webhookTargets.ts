/**
 * Where an alert webhook may go. A webhook is a request the web server makes, so a rule could
 * otherwise make it call this host, the local network or the cloud metadata service (SSRF): only
 * public addresses are called, unless ALERT_WEBHOOK_ALLOW lists the host name or a block holding
 * the address. Checked twice: when a rule is saved (`urlRefusal`: a literal address or a name that
 * is local by definition) and, decisively, on every address a name resolves to just before the
 * connection is made to it (`addressRefusal`, server/web/alerts/webhookPost.ts), so a DNS answer
 * that changes after the first check changes nothing.
 */
import { classifyAddress, unwrapIpv4 } from '../net/addressRanges';
import { inCidr, parseCidr, parseIp, type Cidr } from '../net/ipAddress';

export interface WebhookAllowList {
  /** Lower-case host names that may resolve to any address (the operator trusts their DNS). */
  hosts: string[];
  /** Blocks of addresses that may be called whatever their kind. */
  blocks: Cidr[];
}

export const NOTHING_ALLOWED: WebhookAllowList = { hosts: [], blocks: [] };

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * ALERT_WEBHOOK_ALLOW's comma-separated items: host names, addresses, CIDR blocks. A string names a
 * bad item (a name ending in a number is a mistyped address, as a URL would read it).
 */
export function parseWebhookAllowList(items: readonly string[]): WebhookAllowList | string {
  const allow: WebhookAllowList = { hosts: [], blocks: [] };
  for (const item of items) {
    const block = parseCidr(item);
    const host = normalHost(item);
    if (block) allow.blocks.push(block);
    else if (HOST_NAME.test(host) && !/(^|\.)\d+$/.test(host)) allow.hosts.push(host);
    else return `each item must be a host name, an IP address or a CIDR block such as 10.0.0.0/8 (got "${item}")`;
  }
  return allow;
}

/** Lower case, without the root's trailing dot (`localhost.` is `localhost`). */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/** Names that are local whatever a resolver answers (RFC 6761 localhost, mDNS, RFC 8375, ICANN's `.internal`). */
function isLocalName(host: string): boolean {
  return /(^|\.)(localhost|local|internal|home\.arpa)$/.test(host) || /^(ip6-)?(localhost|loopback)$/.test(host);
}

/** Why `address` (as a DNS answer or a URL writes it) may not be called; null when it may. */
export function addressRefusal(address: string, allow: WebhookAllowList): string | null {
  const bytes = parseIp(address);
  if (!bytes) return `${address} is not an IP address`;
  // `::ffff:127.0.0.1` is allowed where 127.0.0.1 is.
  if (allow.blocks.some((block) => inCidr(bytes, block) || inCidr(unwrapIpv4(bytes), block))) return null;
  const kind = classifyAddress(bytes);
  return kind === 'public' ? null : `${address} is ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address`;
}

/** True when the URL's host is listed by name: whatever it resolves to is then called. */
export function hostAllowed(hostname: string, allow: WebhookAllowList): boolean {
  return allow.hosts.includes(normalHost(hostname));
}

/**
 * Why a rule's webhook URL is refused when saved; null when it may be saved (a name is resolved
 * and its addresses checked only when called). `url` has already passed the http(s) URL rule.
 */
export function urlRefusal(url: string, allow: WebhookAllowList): string | null {
  const hostname = new URL(url).hostname;
  if (hostAllowed(hostname, allow)) return null;
  if (parseIp(hostname)) return addressRefusal(hostname, allow);
  return isLocalName(normalHost(hostname)) ? `${hostname} is a local name` : null;
}
