/** Reading IP addresses and CIDR blocks as URLs and DNS answers write them. */
import { describe, expect, it } from 'vitest';
import { inCidr, parseCidr, parseIp } from '../../../../lib/net/ipAddress';

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['::1', [...Array(15).fill(0), 1]],
    ['[::1]', [...Array(15).fill(0), 1]],
    ['::', Array(16).fill(0)],
    ['fe80::1:2', [0xfe, 0x80, ...Array(10).fill(0), 0, 1, 0, 2]],
    ['::ffff:127.0.0.1', [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1]],
    ['::ffff:7f00:1', [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
    ['1::8', [0, 1, ...Array(12).fill(0), 0, 8]],
  ])('reads %s', (text, bytes) => {
    expect(parseIp(text)).toEqual(bytes);
  });

  it.each([
    'localhost',
    'example.com',
    '256.0.0.1',
    '1.2.3',
    '01.2.3.4',
    '0x7f.0.0.1',
    '2130706433',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '1:2:3:4:5:6:7::8',
    '12345::',
    'fe80::1%eth0',
    '',
  ])('%j is not an address', (text) => {
    expect(parseIp(text)).toBeNull();
  });
});

describe('CIDR blocks', () => {
  it('reads a block or one address, and refuses a prefix longer than the address', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ bytes: [10, 0, 0, 0], prefix: 8 });
    expect(parseCidr('127.0.0.1')).toEqual({ bytes: [127, 0, 0, 1], prefix: 32 });
    expect(parseCidr('fc00::/7')?.prefix).toBe(7);
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/8/1')).toBeNull();
    expect(parseCidr('10.0.0.0/x')).toBeNull();
    expect(parseCidr('hooks.example/8')).toBeNull();
  });

  it('matches the prefix bits only, within one address family', () => {
    const block = parseCidr('172.16.0.0/12')!;
    expect(inCidr(parseIp('172.31.255.255')!, block)).toBe(true);
    expect(inCidr(parseIp('172.32.0.0')!, block)).toBe(false);
    expect(inCidr(parseIp('::ffff:172.16.0.1')!, block)).toBe(false);
    expect(inCidr(parseIp('fdff::1')!, parseCidr('fc00::/7')!)).toBe(true);
    expect(inCidr(parseIp('fe00::1')!, parseCidr('fc00::/7')!)).toBe(false);
    expect(inCidr(parseIp('8.8.8.8')!, parseCidr('0.0.0.0/0')!)).toBe(true);
  });
});
