/**
 * IPv4 address allocation from a CIDR (pod IPs, service cluster IPs). The allocator is the
 * in-memory view; the truth is in the store (`status.podIP`, `spec.clusterIP`), from which
 * it is rebuilt with `markUsed` after a restart.
 */

/** Parses `a.b.c.d` to a 32-bit number; undefined when malformed. */
export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const octet = Number(p);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

/** Formats a 32-bit number as `a.b.c.d`. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An IPv4 range `base/prefix`. */
export interface Cidr {
  /** First address (the network address). */
  first: number;
  /** Last address (the broadcast address). */
  last: number;
  prefix: number;
  text: string;
}

/** Parses `127.1.0.0/16`; throws an Error with a user-facing message when malformed. */
export function parseCidr(text: string): Cidr {
  const [ip, bits, extra] = text.split('/');
  const base = ip === undefined ? undefined : parseIPv4(ip);
  const prefix = Number(bits);
  if (base === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32) {
    throw new Error(`"${text}" is not an IPv4 CIDR (for example 127.1.0.0/16)`);
  }
  const size = 2 ** (32 - prefix);
  const first = base - (base % size);
  return { first, last: first + size - 1, prefix, text };
}

/** True when `ip` lies in `cidr`. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const n = parseIPv4(ip);
  return n !== undefined && n >= cidr.first && n <= cidr.last;
}

/**
 * Hands out addresses of a CIDR, never the network or broadcast address, nor any excluded
 * address or range. Allocation scans from just after the last address handed out, so a
 * freed address is not reused at once (a late packet for a deleted pod does not reach its
 * successor).
 */
export class IpAllocator {
  private readonly used = new Set<number>();
  private readonly excluded: Cidr[];
  private cursor: number;

  constructor(
    readonly cidr: Cidr,
    exclude: readonly (string | Cidr)[] = [],
  ) {
    this.excluded = exclude.map((e) => (typeof e === 'string' ? (e.includes('/') ? parseCidr(e) : parseCidr(`${e}/32`)) : e));
    this.cursor = cidr.first;
  }

  /** Reserves a specific address (one found in the store after a restart). False if taken or outside. */
  markUsed(ip: string): boolean {
    const n = parseIPv4(ip);
    if (n === undefined || !this.allocatable(n) || this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }

  /** The next free address; throws when the range is exhausted. */
  allocate(): string {
    const size = this.cidr.last - this.cidr.first + 1;
    for (let i = 0; i < size; i++) {
      this.cursor = this.cursor >= this.cidr.last ? this.cidr.first : this.cursor + 1;
      const n = this.cursor;
      if (this.allocatable(n) && !this.used.has(n)) {
        this.used.add(n);
        return formatIPv4(n);
      }
    }
    throw new Error(`no free address left in ${this.cidr.text}`);
  }

  /** Returns an address to the pool. */
  release(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.delete(n);
  }

  /** Addresses in use. */
  get size(): number {
    return this.used.size;
  }

  private allocatable(n: number): boolean {
    if (n <= this.cidr.first || n >= this.cidr.last) return false;
    return !this.excluded.some((e) => n >= e.first && n <= e.last);
  }
}
