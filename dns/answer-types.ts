/**
 * The seam between the DNS wire server and the zone: the server parses, validates and
 * encodes; the zone decides what the answer is. Record data is plain (no dns2 types), so
 * the zone side is tested without sockets.
 */

/** Record types fedgate serves. */
export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'SOA' | 'NS' | 'TXT';

/** One resource record, in presentation-level fields. */
export type ResourceRecord =
  | { name: string; type: 'A'; ttl: number; address: string }
  | { name: string; type: 'AAAA'; ttl: number; address: string }
  | { name: string; type: 'CNAME'; ttl: number; target: string }
  | { name: string; type: 'NS'; ttl: number; target: string }
  | { name: string; type: 'TXT'; ttl: number; text: string }
  | { name: string; type: 'SRV'; ttl: number; priority: number; weight: number; port: number; target: string }
  | {
      name: string;
      type: 'SOA';
      ttl: number;
      primary: string;
      admin: string;
      serial: number;
      refresh: number;
      retry: number;
      expiration: number;
      minimum: number;
    };

/** A question, with the name lower-cased and without the trailing dot. */
export interface Question {
  name: string;
  type: RecordType | string;
}

/** Who asked: the source address and, when sent, the EDNS Client Subnet. */
export interface ClientInfo {
  address: string;
  /** ECS source prefix, e.g. `198.51.100.0/24`. */
  subnet?: string;
}

/** What the zone answers. `rcode` NOERROR with no answers is NODATA. */
export interface ZoneAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';
  /** Authoritative (AA bit): true for names in our zones. */
  authoritative: boolean;
  answers: ResourceRecord[];
  /** SOA for NXDOMAIN/NODATA (RFC 2308), NS otherwise if wanted. */
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  /**
   * Answers that must be recomputed per query (a weighted pick) are `perQuery`; others may be
   * cached encoded until the zone changes (`version` moves). A zone may return the same
   * frozen (`Object.freeze`) object for equal answers within one version: the server then
   * keeps its encoding by identity.
   */
  perQuery?: boolean;
}

/** The zone, as the server asks it. Must be fast: no store reads on this path. */
export interface Zone {
  /** Moves whenever any answer may have changed (cache key part). */
  readonly version: number;
  /** Is `name` inside one of our zones? (Outside: REFUSED.) */
  inZone(name: string): boolean;
  answer(question: Question, client: ClientInfo): ZoneAnswer;
}
