/**
 * Where a webhook may go, for URLs as a user can write them: `new URL()` turns `0x7f.1`,
 * `2130706433`, `0177.0.0.1` and `127.1` into 127.0.0.1 before the check, which must still refuse them.
 */
import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  NOTHING_ALLOWED,
  parseWebhookAllowList,
  urlRefusal,
  type WebhookAllowList,
} from '../../../../lib/alerts/webhookTargets';

const allowing = (...items: string[]) => parseWebhookAllowList(items) as WebhookAllowList;

describe('urlRefusal (when a rule is saved)', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
    ['http://0xa9fea9fe/latest/meta-data', '169.254.169.254 is a link-local address'],
    ['http://127.0.0.1:3000/api/config', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://[::1]/', '[::1] is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1] is a loopback address'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', '[::ffff:a9fe:a9fe] is a link-local address'],
    ['http://[::127.0.0.1]/', '[::7f00:1] is a loopback address'],
    ['http://[fe80::1]/', '[fe80::1] is a link-local address'],
    ['http://[fd00::1]/', '[fd00::1] is a private address'],
    ['https://10.0.0.5/hook', '10.0.0.5 is a private address'],
    ['https://172.20.1.1/hook', '172.20.1.1 is a private address'],
    ['https://192.168.0.10/hook', '192.168.0.10 is a private address'],
    ['https://100.100.100.200/hook', '100.100.100.200 is a carrier-grade NAT address'],
    ['http://0.0.0.0:3000/', '0.0.0.0 is an unspecified address'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://[::]/', '[::] is an unspecified address'],
    ['http://224.0.0.251/', '224.0.0.251 is a multicast address'],
    ['http://255.255.255.255/', '255.255.255.255 is a broadcast address'],
    ['http://localhost:3000/', 'localhost is a local name'],
    ['http://LOCALHOST./', 'localhost. is a local name'],
    ['http://admin.localhost/', 'admin.localhost is a local name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a local name'],
    ['http://printer.local/', 'printer.local is a local name'],
    ['http://router.home.arpa/', 'router.home.arpa is a local name'],
    ['http://ip6-localhost/', 'ip6-localhost is a local name'],
  ])('refuses %s', (url, reason) => {
    expect(urlRefusal(url, NOTHING_ALLOWED)).toBe(reason);
  });

  it.each([
    'https://hooks.slack.com/services/T0/B0/x',
    'http://8.8.8.8/',
    'http://[2606:4700:4700::1111]/',
    'https://localhost.example.com/',
    'https://internal.example.com/',
  ])('accepts %s (a name is checked again on every connection)', (url) => {
    expect(urlRefusal(url, NOTHING_ALLOWED)).toBeNull();
  });

  it('accepts what ALERT_WEBHOOK_ALLOW lists: a host name, an address, a block', () => {
    expect(urlRefusal('http://localhost:9000/', allowing('localhost'))).toBeNull();
    expect(urlRefusal('http://alerts.internal/', allowing('Alerts.Internal'))).toBeNull();
    expect(urlRefusal('http://127.0.0.1:9000/', allowing('127.0.0.1'))).toBeNull();
    expect(urlRefusal('http://[::ffff:127.0.0.1]:9000/', allowing('127.0.0.1'))).toBeNull();
    expect(urlRefusal('http://10.20.30.40/', allowing('10.0.0.0/8'))).toBeNull();
    expect(urlRefusal('http://[fd00::5]/', allowing('fd00::/8'))).toBeNull();
    // Only what is listed.
    expect(urlRefusal('http://127.0.0.2/', allowing('127.0.0.1'))).toBe('127.0.0.2 is a loopback address');
    expect(urlRefusal('http://169.254.169.254/', allowing('10.0.0.0/8', 'localhost'))).toBe(
      '169.254.169.254 is a link-local address',
    );
  });
});

describe('addressRefusal (each address a connection may use)', () => {
  it('refuses non-public DNS answers, allows public ones and listed blocks', () => {
    expect(addressRefusal('127.0.0.1', NOTHING_ALLOWED)).toBe('127.0.0.1 is a loopback address');
    expect(addressRefusal('::ffff:169.254.169.254', NOTHING_ALLOWED)).toBe(
      '::ffff:169.254.169.254 is a link-local address',
    );
    expect(addressRefusal('93.184.215.14', NOTHING_ALLOWED)).toBeNull();
    expect(addressRefusal('192.168.1.9', allowing('192.168.1.0/24'))).toBeNull();
    expect(addressRefusal('not-an-address', NOTHING_ALLOWED)).toBe('not-an-address is not an IP address');
  });
});

describe('parseWebhookAllowList (ALERT_WEBHOOK_ALLOW)', () => {
  it('reads host names, addresses and blocks', () => {
    expect(parseWebhookAllowList(['hooks.internal', '127.0.0.1', '10.0.0.0/8', '::1'])).toEqual({
      hosts: ['hooks.internal'],
      blocks: [
        { bytes: [127, 0, 0, 1], prefix: 32 },
        { bytes: [10, 0, 0, 0], prefix: 8 },
        { bytes: [...Array(15).fill(0), 1], prefix: 128 },
      ],
    });
  });

  it.each(['10.0.0.0/33', 'http://hooks', '300.1.1.1', 'hooks.internal/8', '*.internal', ''])(
    'refuses %j, naming it',
    (item) => {
      expect(parseWebhookAllowList([item])).toContain(`(got "${item}")`);
    },
  );
});
