/**
 * What kind of address an IP address is: anything but `public` is a place a server-side request
 * (an alert webhook) must not reach unless an operator allows it — this host (loopback), the
 * local networks (private, link-local with the cloud metadata service at 169.254.169.254, the
 * carrier-grade NAT range), and addresses that are no single host (unspecified, multicast,
 * broadcast, reserved). An IPv6 address carrying an IPv4 one (`::ffff:127.0.0.1`, NAT64's
 * `64:ff9b::/96`, the old `::a.b.c.d`) is the kind of the IPv4 address it carries.
 */
import { inCidr, parseCidr, type Cidr, type IpBytes } from './ipAddress';

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** The first block that holds an address decides its kind. */
const RANGES: [string, AddressKind][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['169.254.0.0/16', 'link-local'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fec0::/10', 'private'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];
const BLOCKS = RANGES.map(([text, kind]) => ({ block: parseCidr(text)!, kind }));

/** IPv6 blocks whose last 32 bits are an IPv4 address. */
const CARRYING_IPV4: Cidr[] = ['::ffff:0:0/96', '64:ff9b::/96', '::/96'].map((text) => parseCidr(text)!);

/** The IPv4 address an IPv6 one carries, else the address itself. `::` and `::1` stay IPv6. */
export function unwrapIpv4(address: IpBytes): IpBytes {
  if (address.length !== 16) return address;
  const carried = address.slice(12);
  const isUnspecifiedOrLoopback = address.slice(0, 15).every((b) => b === 0) && address[15] <= 1;
  if (isUnspecifiedOrLoopback) return address;
  return CARRYING_IPV4.some((block) => inCidr(address, block)) ? carried : address;
}

export function classifyAddress(address: IpBytes): AddressKind {
  const plain = unwrapIpv4(address);
  return BLOCKS.find(({ block }) => inCidr(plain, block))?.kind ?? 'public';
}
