/**
 * Encoded answers, keyed by (lower-cased name, QTYPE) and valid for one `zone.version`:
 * the first lookup after the version moves empties the cache, so no entry outlives the
 * zone state it was computed from.
 *
 * A body does not depend on EDNS, the client's payload size or the client's case: the
 * OPT record, truncation and the question's case are applied per query on a copy
 * (`finishResponse`), so one entry serves every variant of a question.
 *
 * Answers the zone marks `perQuery` (a weighted pick) still call the zone on every query,
 * but the few distinct answers it picks between are encoded once each and found again by
 * a fingerprint of their records: a weighted name over N clusters has at most N (or
 * N choose k) variants, so encoding disappears from the hot path without the zone having
 * to enumerate its choices. A zone that returns the same frozen object for each variant
 * (answer.ts does for one-cluster picks) saves the fingerprint too: the body is found by
 * the object's identity.
 */
import type { ResourceRecord, ZoneAnswer } from './answer-types.js';
import { TYPE } from './wire.js';

/** Default bound on cached (name, type) entries; beyond it the oldest entry goes first. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** Bound on encoded variants kept per perQuery entry. */
export const MAX_VARIANTS = 64;

/**
 * A cached answer: one body, or bodies per distinct perQuery answer, by fingerprint and,
 * for the frozen answer objects a zone hands out again and again, by identity.
 */
export type CachedAnswer =
  | { perQuery: false; body: Buffer }
  | { perQuery: true; variants: Map<string, Buffer>; shared: Map<ZoneAnswer, Buffer> };

/** Map of encoded answers, emptied when the zone version moves; insertion-ordered eviction. */
export class AnswerCache {
  private version = Number.NaN;
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** The entry for `key` computed at `version`; a new version empties the cache first. */
  get(version: number, key: string): CachedAnswer | undefined {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
      return undefined;
    }
    return this.entries.get(key);
  }

  /** Stores an entry computed at `version` (dropped if the version has moved meanwhile). */
  set(version: number, key: string, entry: CachedAnswer): void {
    if (version !== this.version) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }

  /** Number of cached (name, type) entries. */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * Cache key of a question: name and QTYPE (QCLASS is always IN here). Type A, by far the
 * most asked, is the bare name, which saves building a string per query; other types
 * append ` QTYPE`. A space never occurs in a parsed name (it is escaped as `\032`), so
 * the two forms cannot collide.
 */
export function cacheKey(name: string, qtype: number): string {
  return qtype === TYPE.A ? name : `${name} ${qtype}`;
}

/** A string equal for two answers exactly when they encode to the same body. */
export function answerFingerprint(answer: ZoneAnswer): string {
  let s = `${answer.rcode}${answer.authoritative ? '+' : '-'}`;
  for (const rr of answer.answers) s += `|${recordText(rr)}`;
  s += '#';
  for (const rr of answer.authority) s += `|${recordText(rr)}`;
  s += '#';
  for (const rr of answer.additional) s += `|${recordText(rr)}`;
  return s;
}

function recordText(rr: ResourceRecord): string {
  const head = `${rr.name} ${rr.ttl} ${rr.type} `;
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return head + rr.address;
    case 'CNAME':
    case 'NS':
      return head + rr.target;
    case 'TXT':
      return head + JSON.stringify(rr.text);
    case 'SRV':
      return `${head}${rr.priority} ${rr.weight} ${rr.port} ${rr.target}`;
    case 'SOA':
      return `${head}${rr.primary} ${rr.admin} ${rr.serial} ${rr.refresh} ${rr.retry} ${rr.expiration} ${rr.minimum}`;
  }
}
