/**
 * The decisive webhook check, as an attacker would try it: a rule whose URL names a host that
 * resolves to this machine (here a resolver that answers what the attacker's DNS would), or a
 * literal loopback address. A receiver listens on loopback and counts every connection it gets.
 */
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NOTHING_ALLOWED,
  parseWebhookAllowList,
  type WebhookAllowList,
} from '../../../../../lib/alerts/webhookTargets';
import type { AlertEvent } from '../../../../../lib/contract';
import { WebhookQueue } from '../../../../../server/web/alerts/alertWebhooks';
import { webhookPost } from '../../../../../server/web/alerts/webhookPost';

const event: AlertEvent = {
  id: 'r/s/1/alert',
  kind: 'alert',
  ruleId: 'r',
  ruleName: 'hot',
  condition: 'mean > 1 for 1 window',
  sensorId: 's',
  windowStart: 1,
  windowEnd: 2,
  value: 2,
  firedAt: 0,
};

let receiver: Server;
let port: number;
let connections: number;
let requests: { url: string | undefined; body: string }[];
let answer: (res: import('node:http').ServerResponse) => void;

beforeEach(async () => {
  connections = 0;
  requests = [];
  answer = (res) => res.writeHead(204).end();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => (requests.push({ url: req.url, body }), answer(res)));
  });
  receiver.on('connection', () => connections++);
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
});
afterEach(() => new Promise<void>((r) => (receiver.closeAllConnections(), receiver.close(() => r()))));

/** A resolver answering `addresses` for every name, as dns.lookup would; records the names asked. */
function resolverAnswering(...addresses: string[]): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const resolve = ((hostname, options, callback) => {
    asked.push(hostname);
    const all: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, all);
    else callback(null, all[0].address, all[0].family);
  }) as LookupFunction & { asked: string[] };
  resolve.asked = asked;
  return resolve;
}

/** Sends one event through the queue as the alerts do; resolves with its counted outcome. */
async function send(url: string, allow: WebhookAllowList, resolve?: LookupFunction): Promise<string[]> {
  const outcomes: string[] = [];
  const queue = new WebhookQueue({
    capacity: 10,
    concurrency: 1,
    timeoutMs: 2_000,
    retries: 2,
    initialDelayMs: 1,
    maxDelayMs: 1,
    allow,
    onOutcome: (outcome) => outcomes.push(outcome),
    post: webhookPost(allow, resolve),
  });
  queue.enqueue(url, event);
  await queue.idle();
  return outcomes;
}

const loopbackAllowed = parseWebhookAllowList(['127.0.0.1']) as WebhookAllowList;

describe('webhookPost: the address actually connected to', () => {
  it('refuses a name that resolves to loopback: counted refused, not retried, nothing reaches the receiver', async () => {
    const resolve = resolverAnswering('127.0.0.1');
    expect(await send(`http://hooks.attacker.example:${port}/steal`, NOTHING_ALLOWED, resolve)).toEqual(['refused']);
    expect(resolve.asked).toEqual(['hooks.attacker.example']);
    expect(connections).toBe(0);
  });

  it('refuses the metadata service and IPv4-mapped loopback as DNS answers', async () => {
    for (const address of ['169.254.169.254', '::ffff:127.0.0.1', '10.0.0.1', 'fd00::1']) {
      expect(await send(`http://rebind.example:${port}/`, NOTHING_ALLOWED, resolverAnswering(address))).toEqual([
        'refused',
      ]);
    }
    expect(connections).toBe(0);
  });

  it('connects only to the allowed addresses of a mixed answer', async () => {
    // A public address first (nothing listens there: the attempt fails) and loopback second.
    const resolve = resolverAnswering('192.0.2.1', '127.0.0.1');
    const outcomes = await send(`http://mixed.example:${port}/`, NOTHING_ALLOWED, resolve);
    expect(outcomes).toEqual(['failed']);
    expect(connections).toBe(0);
  }, 15_000);

  it('refuses a literal loopback address without a lookup', async () => {
    const resolve = resolverAnswering('8.8.8.8');
    expect(await send(`http://127.0.0.1:${port}/`, NOTHING_ALLOWED, resolve)).toEqual(['refused']);
    expect(await send(`http://[::ffff:127.0.0.1]:${port}/`, NOTHING_ALLOWED, resolve)).toEqual(['refused']);
    expect(resolve.asked).toEqual([]);
    expect(connections).toBe(0);
  });

  it('delivers where ALERT_WEBHOOK_ALLOW allows the address, or the name', async () => {
    expect(await send(`http://hooks.internal.test:${port}/a`, loopbackAllowed, resolverAnswering('127.0.0.1'))).toEqual(
      ['delivered'],
    );
    expect(await send(`http://127.0.0.1:${port}/b`, loopbackAllowed)).toEqual(['delivered']);
    const byName = parseWebhookAllowList(['localhost']) as WebhookAllowList;
    expect(await send(`http://localhost:${port}/c`, byName)).toEqual(['delivered']);
    expect(requests.map((r) => r.url)).toEqual(['/a', '/b', '/c']);
    expect(JSON.parse(requests[0].body)).toEqual(event);
  });

  it('does not follow a redirect to the metadata service', async () => {
    answer = (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    expect(await send(`http://127.0.0.1:${port}/`, loopbackAllowed)).toEqual(['failed']);
    expect(requests).toHaveLength(1);
  });
});
