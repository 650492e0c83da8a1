/**
 * IP addresses as bytes, and CIDR blocks to match them against: what lib/net/addressRanges.ts
 * classifies. Only the canonical text forms are read (dotted-decimal IPv4; IPv6 with `::` and an
 * optional dotted IPv4 tail): that is what a WHATWG URL's hostname and a DNS answer hold. Forms
 * such as `0x7f.1` or `2130706433` never reach here as text: `new URL()` turns them into
 * `127.0.0.1` first, and anything else is not an address (so a name, resolved and checked later).
 */

/** 4 bytes (IPv4) or 16 (IPv6). */
export type IpBytes = readonly number[];

export interface Cidr {
  bytes: IpBytes;
  /** Leading bits that must match. */
  prefix: number;
}

function parseIpv4(text: string): IpBytes | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : 256));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** Groups of one side of `::` (or of a whole address without it), a dotted IPv4 tail counted as two. */
function ipv6Groups(text: string, tailAllowed: boolean): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (tailAllowed && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return null;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): IpBytes | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = ipv6Groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? ipv6Groups(halves[1], true) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** An address's bytes; null when `text` is not an IP address (a host name). `[…]` as a URL writes IPv6 is read. */
export function parseIp(text: string): IpBytes | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return bare.includes(':') ? parseIpv6(bare) : parseIpv4(bare);
}

/** `10.0.0.0/8`, `fc00::/7`, or one address (all its bits). Null when not one of these. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.split('/');
  const bytes = parseIp(address);
  if (!bytes || extra !== undefined) return null;
  if (prefixText === undefined) return { bytes, prefix: bytes.length * 8 };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  return prefix >= 0 && prefix <= bytes.length * 8 ? { bytes, prefix } : null;
}

export function inCidr(address: IpBytes, cidr: Cidr): boolean {
  if (address.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const bits = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((address[bit / 8] & mask) !== (cidr.bytes[bit / 8] & mask)) return false;
  }
  return true;
}
