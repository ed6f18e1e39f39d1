/**
 * Longest-prefix lookup of addresses to regions, the core of the `geo` strategy's client
 * table (geo-table.ts adds the API's error type): CIDR prefixes → region names, so
 * `10.0.0.0/8 → eu` with `10.1.0.0/16 → us` sends 10.1.x.x to us. Both families are kept
 * as bigints, one list per family sorted longest prefix first; tables are small (one line
 * per site or office), so a linear scan beats a trie here. Imports nothing beyond
 * node:net, so the DNS worker processes load it cheaply.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** One line of the table: a CIDR prefix (`198.51.100.0/24`, `2001:db8::/32`) and its region. */
export interface GeoTableEntry {
  cidr: string;
  region: string;
}

interface Prefix {
  network: bigint;
  mask: bigint;
  length: number;
  region: string;
}

const V4_BITS = 32;
const V6_BITS = 128;

/** An IPv4 address as a 32-bit bigint; undefined when not an IPv4 address. */
export function ipv4ToBigInt(address: string): bigint | undefined {
  if (!isIPv4(address)) return undefined;
  let n = 0n;
  for (const part of address.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

/** An IPv6 address (zone id ignored, embedded IPv4 allowed) as a 128-bit bigint; undefined when not IPv6. */
export function ipv6ToBigInt(address: string): bigint | undefined {
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return undefined;
  let text = bare;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigInt(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const headParts = head === '' ? [] : head.split(':');
  const restParts = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headParts.length - restParts.length;
  const parts = rest === undefined ? headParts : [...headParts, ...new Array<string>(missing).fill('0'), ...restParts];
  if (parts.length !== 8) return undefined;
  let n = 0n;
  for (const p of parts) n = (n << 16n) | BigInt(parseInt(p, 16));
  return n;
}

function maskOf(length: number, bits: number): bigint {
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
}

/** Parses one line; throws RangeError when it is not a CIDR prefix with a region. */
export function parsePrefix(entry: GeoTableEntry): { v6: boolean; prefix: Prefix } {
  const [addr, len] = entry.cidr.trim().split('/') as [string, string | undefined];
  const v4 = ipv4ToBigInt(addr);
  const v6 = v4 === undefined ? ipv6ToBigInt(addr) : undefined;
  const bits = v4 !== undefined ? V4_BITS : V6_BITS;
  const length = len === undefined ? bits : Number(len);
  if ((v4 === undefined && v6 === undefined) || !Number.isInteger(length) || length < 0 || length > bits || !entry.region) {
    throw new RangeError(`geo table: ${JSON.stringify(entry)} is not a CIDR prefix with a region`);
  }
  const mask = maskOf(length, bits);
  return { v6: v4 === undefined, prefix: { network: (v4 ?? v6 ?? 0n) & mask, mask, length, region: entry.region } };
}

/** Longest-prefix lookup of client addresses to regions. */
export class PrefixTable {
  private readonly v4: Prefix[] = [];
  private readonly v6: Prefix[] = [];
  /** The lines the table was built from, as given (so it can be rebuilt in another process). */
  readonly entries: readonly GeoTableEntry[];

  /** Throws RangeError on a malformed entry (a table is configuration: fail at start, not per query). */
  constructor(entries: readonly GeoTableEntry[] = []) {
    this.entries = Object.freeze(entries.map((e) => ({ cidr: e.cidr, region: e.region })));
    for (const e of entries) {
      const { v6, prefix } = parsePrefix(e);
      (v6 ? this.v6 : this.v4).push(prefix);
    }
    this.v4.sort((a, b) => b.length - a.length);
    this.v6.sort((a, b) => b.length - a.length);
  }

  /** Number of prefixes. */
  get size(): number {
    return this.v4.length + this.v6.length;
  }

  /** The region of an address or of a CIDR's network address (an ECS subnet); undefined when no prefix matches. */
  regionOf(addressOrSubnet: string): string | undefined {
    if (this.v4.length + this.v6.length === 0) return undefined;
    const slash = addressOrSubnet.indexOf('/');
    const address = slash < 0 ? addressOrSubnet : addressOrSubnet.slice(0, slash);
    const v4 = ipv4ToBigInt(address);
    if (v4 !== undefined) return this.v4.find((p) => (v4 & p.mask) === p.network)?.region;
    const v6 = ipv6ToBigInt(address);
    if (v6 === undefined) return undefined;
    // IPv4-mapped IPv6 sources (dual-stack sockets) are looked up as IPv4.
    if (v6 >> 32n === 0xffffn) {
      const mapped = v6 & 0xffffffffn;
      return this.v4.find((p) => (mapped & p.mask) === p.network)?.region;
    }
    return this.v6.find((p) => (v6 & p.mask) === p.network)?.region;
  }
}
