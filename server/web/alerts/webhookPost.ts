/**
 * The webhook POST, made only to addresses lib/alerts/webhookTargets.ts allows. The check sits in
 * the connection's own DNS lookup: the socket connects to exactly the addresses that were checked,
 * so a name that answers a public address once and 127.0.0.1 the next time (DNS rebinding) is
 * refused on the answer actually used. A literal address is checked before anything is sent
 * (Node connects to it without a lookup). Redirects are not followed: a 3xx is the answer.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, hostAllowed, type WebhookAllowList } from '../../../lib/alerts/webhookTargets';
import { parseIp } from '../../../lib/net/ipAddress';

export interface WebhookPost {
  (url: string, body: string, signal: AbortSignal): Promise<{ status: number }>;
}

/** The webhook's address is one it may not call: final, never retried. */
export class WebhookTargetRefused extends Error {
  constructor(reason: string) {
    super(`refused: ${reason}; ALERT_WEBHOOK_ALLOW can allow it`);
    this.name = 'WebhookTargetRefused';
  }
}

/** `resolve` answers like dns.lookup (tests give one that answers what an attacker's DNS would). */
function checkedLookup(allow: WebhookAllowList, resolve: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, answer) => {
      if (error) return callback(error, '', 0);
      const all = answer as LookupAddress[];
      // Only the allowed addresses are handed to the socket; none allowed: the request fails here.
      const usable = all.filter((a) => addressRefusal(a.address, allow) === null);
      if (usable.length === 0) {
        const reasons = [...new Set(all.map((a) => addressRefusal(a.address, allow)))].join(', ');
        return callback(new WebhookTargetRefused(`${hostname} resolves to no allowed address (${reasons})`), '', 0);
      }
      if (options.all) return callback(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}

export function webhookPost(allow: WebhookAllowList, resolve: LookupFunction = dnsLookup): WebhookPost {
  const lookup = checkedLookup(allow, resolve);
  return (url, body, signal) => {
    const target = new URL(url);
    if (!hostAllowed(target.hostname, allow) && parseIp(target.hostname)) {
      const refusal = addressRefusal(target.hostname, allow);
      if (refusal) return Promise.reject(new WebhookTargetRefused(refusal));
    }
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((settle, fail) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'windowpane-alerts' },
          // A name listed in ALERT_WEBHOOK_ALLOW resolves as usual; every other one is checked.
          lookup: hostAllowed(target.hostname, allow) ? undefined : lookup,
          // A fresh connection per POST: each one goes through the lookup above.
          agent: false,
          signal,
        },
        (response) => {
          response.resume();
          settle({ status: response.statusCode ?? 0 });
        },
      );
      request.on('error', fail);
      request.end(body);
    });
  };
}
