// IPv4/IPv6 addresses and CIDR ranges as integers, so ranges can be compared (overlap, containment) without a
// library. node:net's isIP decides what is an address; this file only converts and compares.
import { isIP } from 'node:net';

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  /** The first address of the range (host bits cleared). */
  first: bigint;
  prefix: number;
  /** The address as written had host bits set (10.0.0.1/8). */
  hostBitsSet: boolean;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function ipv4ToBigint(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigint(text: string): bigint {
  let body = text;
  let tail: number[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes the last two words.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body)?.[1];
  if (v4) {
    const n = Number(ipv4ToBigint(v4));
    tail = [n >>> 16, n & 0xffff];
    body = body.slice(0, body.length - v4.length);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => Number.parseInt(h, 16)) : []);
  const left = parse(halves[0]);
  const right = parse(halves[1]);
  const fill = halves.length > 1 ? 8 - left.length - right.length - tail.length : 0;
  const words = [...left, ...Array<number>(fill).fill(0), ...right, ...tail];
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** An IP address (no zone id, no brackets), or undefined. */
export function parseAddress(text: string): Address | undefined {
  if (typeof text !== 'string' || text.includes('%')) return undefined;
  const family = isIP(text);
  if (family === 4) return { family, value: ipv4ToBigint(text) };
  if (family === 6) return { family, value: ipv6ToBigint(text) };
  return undefined;
}

/** "address/prefix" (both families), or undefined. A bare address is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const address = parseAddress(match[1]!);
  const prefix = Number(match[2]);
  if (!address || prefix > BITS[address.family]) return undefined;
  const hostBits = BigInt(BITS[address.family] - prefix);
  const first = (address.value >> hostBits) << hostBits;
  return { family: address.family, first, prefix, hostBitsSet: first !== address.value };
}

function last(c: Cidr): bigint {
  return c.first + (1n << BigInt(BITS[c.family] - c.prefix)) - 1n;
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(BITS[c.family] - c.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= last(b) && b.first <= last(a);
}

export function contains(c: Cidr, address: Address): boolean {
  return c.family === address.family && address.value >= c.first && address.value <= last(c);
}

export function formatCidr(c: Cidr): string {
  if (c.family === 4) {
    const n = Number(c.first);
    return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${c.prefix}`;
  }
  const words = Array.from({ length: 8 }, (_, i) => ((c.first >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return `${words.join(':')}/${c.prefix}`;
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in CIDR ${text}`);
  return parsed;
}

/** The default container bridges on a Tunnel Gateway host (reference A2, Linux host). */
export const CONTAINER_BRIDGES: readonly { name: string; range: Cidr; text: string }[] = [
  { name: 'the Docker default bridge', text: '172.17.0.0/16', range: cidr('172.17.0.0/16') },
  { name: 'the Podman default bridge', text: '10.88.0.0/16', range: cidr('10.88.0.0/16') },
];

export const APIPA = cidr('169.254.0.0/16');

export type AddressKind =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'unspecified'
  | 'shared (carrier-grade NAT)'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'reserved';

const SPECIAL: readonly [Cidr, AddressKind][] = (
  [
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'shared (carrier-grade NAT)'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'],
    ['192.0.2.0/24', 'documentation'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'benchmarking'],
    ['198.51.100.0/24', 'documentation'],
    ['203.0.113.0/24', 'documentation'],
    ['224.0.0.0/4', 'multicast'],
    ['240.0.0.0/4', 'reserved'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['fc00::/7', 'private'],
    ['fe80::/10', 'link-local'],
    ['ff00::/8', 'multicast'],
    ['2001:db8::/32', 'documentation'],
  ] as const
).map(([text, kind]) => [cidr(text), kind]);

const V4_MAPPED = cidr('::ffff:0:0/96');

/** What kind of address this is; IPv4-mapped IPv6 addresses are judged by their IPv4 part. */
export function addressKind(address: Address): AddressKind {
  if (contains(V4_MAPPED, address)) return addressKind({ family: 4, value: address.value & 0xffffffffn });
  for (const [range, kind] of SPECIAL) if (contains(range, address)) return kind;
  return 'public';
}
