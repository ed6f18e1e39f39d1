/**
 * Answer selection (pure): a question against a zone snapshot gives a `ZoneAnswer`. The
 * snapshot holds every owner name, already lower-cased, with records built in advance, so
 * a query does one map lookup and, for per-query strategies, one pick.
 *
 * Standards followed: names that exist only because names below them exist (empty
 * non-terminals, e.g. `shop.svc.<zone>`) answer NODATA, not NXDOMAIN (RFC 8020); NXDOMAIN
 * and NODATA carry the zone's SOA in authority with TTL min(SOA TTL, SOA minimum)
 * (RFC 2308 §3); an in-zone CNAME is followed and the rcode is the chain's last name's
 * (RFC 6604); names outside every zone are REFUSED without the AA bit.
 */
import type { RandomSource } from '../controller/index.js';
import type { ClientInfo, Question, ResourceRecord, ZoneAnswer } from './answer-types.js';
import type { PrefixTable } from './geo-prefixes.js';
import type { Member, PreparedSet, Strategy } from './strategies.js';

/** The SOA record variant of ResourceRecord. */
export type SoaRecord = Extract<ResourceRecord, { type: 'SOA' }>;

/** One zone apex with its SOA, NS and the name server's addresses (glue). */
export interface ZoneApex {
  /** Lower-case, without the trailing dot. */
  readonly name: string;
  readonly soa: SoaRecord;
  /** The SOA as authority of a negative answer: TTL min(SOA TTL, minimum). */
  readonly negativeSoa: SoaRecord;
  readonly ns: readonly ResourceRecord[];
  /** A/AAAA of the name servers, for the additional section of NS answers. */
  readonly glue: readonly ResourceRecord[];
}

/** A serving cluster of one owner name, with its records at that name. */
export interface NodeMember extends Member {
  readonly a: readonly ResourceRecord[];
  readonly aaaa: readonly ResourceRecord[];
}

/** A Service's address name (`web.shop.svc.<zone>` or a regional one). */
export interface ServiceNode {
  readonly strategy: Strategy;
  /** Members with IPv4 addresses, and with IPv6 addresses. */
  readonly v4: PreparedSet<NodeMember>;
  readonly v6: PreparedSet<NodeMember>;
  /** Whether an A / AAAA answer may differ between queries. */
  readonly varies4: boolean;
  readonly varies6: boolean;
  /** Rotation state of roundRobin: the only thing a query changes. */
  readonly cursor: { turn: number };
}

/** What one owner name holds. */
export type NameNode =
  | { readonly kind: 'apex'; readonly zone: ZoneApex }
  | { readonly kind: 'empty'; readonly zone: ZoneApex }
  | { readonly kind: 'host'; readonly zone: ZoneApex; readonly a: readonly ResourceRecord[]; readonly aaaa: readonly ResourceRecord[] }
  | { readonly kind: 'cname'; readonly zone: ZoneApex; readonly record: ResourceRecord; readonly target: string }
  | { readonly kind: 'service'; readonly zone: ZoneApex; readonly service: ServiceNode }
  | { readonly kind: 'srv'; readonly zone: ZoneApex; readonly records: readonly ResourceRecord[]; readonly additional: readonly ResourceRecord[] };

/** Everything the zone answers from; rebuilt on change, never edited in place (but for `cursor`). */
export interface ZoneSnapshot {
  /** Apexes, longest first (so the most specific zone wins). */
  readonly zones: readonly ZoneApex[];
  readonly names: ReadonlyMap<string, NameNode>;
}

/** What a query may use besides the snapshot. */
export interface AnswerContext {
  random: RandomSource;
  geo?: PrefixTable;
  /** Addresses per answer for weighted, geo and roundRobin (default 1). */
  count?: number;
}

const EMPTY: readonly ResourceRecord[] = Object.freeze([]);

/** The zone `name` belongs to, if any (`zones` longest first, so the most specific wins). */
export function zoneOf<Z extends { readonly name: string }>(zones: readonly Z[], name: string): Z | undefined {
  for (const z of zones) {
    if (name === z.name || (name.length > z.name.length && name.endsWith(z.name) && name.charCodeAt(name.length - z.name.length - 1) === 46)) return z;
  }
  return undefined;
}

function negative(zone: ZoneApex, rcode: 'NOERROR' | 'NXDOMAIN', answers: ResourceRecord[] = [], perQuery = false): ZoneAnswer {
  return { rcode, authoritative: true, answers, authority: [zone.negativeSoa], additional: [], perQuery };
}

function positive(answers: ResourceRecord[], additional: readonly ResourceRecord[] = EMPTY, perQuery = false): ZoneAnswer {
  return { rcode: 'NOERROR', authoritative: true, answers, authority: [], additional: additional.length ? [...additional] : [], perQuery };
}

/** The members of a service name one query gets (the strategy's pick). */
function pickMembers(node: ServiceNode, set: ServiceNode['v4'], client: ClientInfo, ctx: AnswerContext): readonly NodeMember[] {
  const turn = node.cursor.turn++;
  return node.strategy.pick(set, { random: ctx.random, client, geo: ctx.geo, turn, count: ctx.count ?? 1 });
}

/** A or AAAA records of a service name for one query. */
function serviceRecords(node: ServiceNode, family: 4 | 6, client: ClientInfo, ctx: AnswerContext): { records: ResourceRecord[]; perQuery: boolean } {
  const set = family === 4 ? node.v4 : node.v6;
  if (set.members.length === 0) return { records: [], perQuery: false };
  const records: ResourceRecord[] = [];
  for (const m of pickMembers(node, set, client, ctx)) for (const r of family === 4 ? m.a : m.aaaa) records.push(r);
  return { records, perQuery: family === 4 ? node.varies4 : node.varies6 };
}

/**
 * The answer of one member's records, built once per record list and frozen: a weighted
 * or round-robin name answering one cluster per query then returns one of a few fixed
 * objects, which the server recognises by identity and whose encoding it keeps.
 */
const memberAnswers = new WeakMap<readonly ResourceRecord[], ZoneAnswer>();

function memberAnswer(records: readonly ResourceRecord[], perQuery: boolean): ZoneAnswer {
  // A record list belongs to one name and family, so `perQuery` is the same at every call.
  let answer = memberAnswers.get(records);
  if (answer === undefined) {
    answer = Object.freeze(positive(Object.freeze([...records]) as ResourceRecord[], EMPTY, perQuery));
    memberAnswers.set(records, answer);
  }
  return answer;
}

/** The A or AAAA answer of a service name. */
function serviceAnswer(zone: ZoneApex, node: ServiceNode, family: 4 | 6, client: ClientInfo, ctx: AnswerContext): ZoneAnswer {
  const set = family === 4 ? node.v4 : node.v6;
  if (set.members.length === 0) return negative(zone, 'NOERROR');
  const picked = pickMembers(node, set, client, ctx);
  const perQuery = family === 4 ? node.varies4 : node.varies6;
  if (picked.length === 1) {
    const records = family === 4 ? picked[0]!.a : picked[0]!.aaaa;
    if (records.length > 0) return memberAnswer(records, perQuery);
  }
  const records: ResourceRecord[] = [];
  for (const m of picked) for (const r of family === 4 ? m.a : m.aaaa) records.push(r);
  return records.length > 0 ? positive(records, EMPTY, perQuery) : negative(zone, 'NOERROR');
}

function answerNode(snapshot: ZoneSnapshot, node: NameNode, qtype: string, client: ClientInfo, ctx: AnswerContext, depth: number): ZoneAnswer {
  const zone = node.zone;
  switch (node.kind) {
    case 'apex':
      if (qtype === 'SOA') return positive([zone.soa]);
      if (qtype === 'NS') return positive([...zone.ns], zone.glue);
      if (qtype === 'ANY') return positive([zone.soa, ...zone.ns], zone.glue);
      return negative(zone, 'NOERROR');
    case 'empty':
      return negative(zone, 'NOERROR');
    case 'host': {
      const records = qtype === 'A' ? node.a : qtype === 'AAAA' ? node.aaaa : qtype === 'ANY' ? [...node.a, ...node.aaaa] : EMPTY;
      return records.length > 0 ? positive([...records]) : negative(zone, 'NOERROR');
    }
    case 'srv':
      return qtype === 'SRV' || qtype === 'ANY' ? positive([...node.records], node.additional) : negative(zone, 'NOERROR');
    case 'service': {
      if (qtype === 'A' || qtype === 'AAAA') return serviceAnswer(zone, node.service, qtype === 'A' ? 4 : 6, client, ctx);
      if (qtype === 'ANY') {
        const a = serviceRecords(node.service, 4, client, ctx);
        const aaaa = serviceRecords(node.service, 6, client, ctx);
        const records = [...a.records, ...aaaa.records];
        return records.length > 0 ? positive(records, EMPTY, a.perQuery || aaaa.perQuery) : negative(zone, 'NOERROR');
      }
      return negative(zone, 'NOERROR');
    }
    case 'cname': {
      if (qtype === 'CNAME' || qtype === 'ANY') return positive([node.record]);
      const target = snapshot.names.get(node.target);
      // A chain longer than a few links would be a build error; stop rather than loop.
      if (!target || depth >= 8) return positive([node.record]);
      const rest = answerNode(snapshot, target, qtype, client, ctx, depth + 1);
      return { ...rest, answers: [node.record, ...rest.answers] };
    }
  }
}

/** The answer to `question` from `snapshot`; REFUSED (not authoritative) outside every zone. */
export function answerQuestion(snapshot: ZoneSnapshot, question: Question, client: ClientInfo, ctx: AnswerContext): ZoneAnswer {
  const name = question.name;
  const node = snapshot.names.get(name);
  if (node === undefined) {
    const zone = zoneOf(snapshot.zones, name);
    if (!zone) return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additional: [] };
    return negative(zone, 'NXDOMAIN');
  }
  return answerNode(snapshot, node, String(question.type).toUpperCase(), client, ctx, 0);
}
