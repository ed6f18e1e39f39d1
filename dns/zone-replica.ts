/**
 * A `Zone` that answers from a copy of another zone's state (zone-state.ts), kept current
 * by updates: what each UDP worker process of a `DnsServer` answers from. Answers are
 * computed by the same pure `answerQuestion` as the zone view's, over a snapshot rebuilt
 * from plain data, so a replica at version V answers exactly as the zone did at V (but for
 * the random draws, which come from this process's own source).
 *
 * A delta rebuilds only the names it carries. Apex objects are updated in place, so the
 * names left alone keep pointing at the current SOA.
 */
import type { RandomSource } from '../controller/index.js';
import type { ClientInfo, Question, ZoneAnswer } from './answer-types.js';
import { answerQuestion, zoneOf, type AnswerContext, type NameNode, type NodeMember, type ServiceNode, type ZoneApex } from './answer.js';
import { PrefixTable } from './geo-prefixes.js';
import { prepareSet, strategyFor } from './strategies.js';
import { exportZoneState, type ExportableZone, type PlainApex, type PlainNode, type ZoneSettings, type ZoneState, type ZoneUpdate } from './zone-state.js';

type MutableApex = { -readonly [K in keyof ZoneApex]: ZoneApex[K] };

const SERVFAIL: ZoneAnswer = Object.freeze({ rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], additional: [] }) as ZoneAnswer;
const REFUSED: ZoneAnswer = Object.freeze({ rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additional: [] }) as ZoneAnswer;

/** Options of a {@link ZoneReplica}. */
export interface ZoneReplicaOptions {
  /** Source of the weighted and geo draws (default Math.random, seeded by V8 per process). */
  random?: RandomSource;
}

/** A zone answering from shipped state; empty (and not synced) until the first full update. */
export class ZoneReplica implements ExportableZone {
  private readonly random: RandomSource;
  private settings: ZoneSettings = { zones: [], maxAnswers: 1, geo: [] };
  private apexNames: { name: string }[] = [];
  private readonly apexes = new Map<string, MutableApex>();
  private readonly names = new Map<string, NameNode>();
  private zoneList: ZoneApex[] = [];
  private ctx: AnswerContext;
  private currentVersion = 0;
  private synced = false;
  private received = false;
  private readonly listeners = new Set<() => void>();

  constructor(options: ZoneReplicaOptions = {}) {
    this.random = options.random ?? Math.random;
    this.ctx = { random: this.random, count: 1 };
  }

  /** A replica holding `state` (for serving a fixed zone, and in tests). */
  static of(state: ZoneState, options?: ZoneReplicaOptions): ZoneReplica {
    const replica = new ZoneReplica(options);
    replica.apply({ kind: 'full', state });
    return replica;
  }

  /** The version of the last update applied. */
  get version(): number {
    return this.currentVersion;
  }

  /** True once a full update was applied. */
  get hasState(): boolean {
    return this.received;
  }

  inZone(name: string): boolean {
    return zoneOf(this.apexNames, name) !== undefined;
  }

  answer(question: Question, client: ClientInfo): ZoneAnswer {
    if (!this.synced) return this.inZone(question.name) ? SERVFAIL : REFUSED;
    return answerQuestion({ zones: this.zoneList, names: this.names }, question, client, this.ctx);
  }

  /**
   * Applies an update. A delta before any full update is refused (throws): the replica
   * cannot know what the delta is relative to.
   */
  apply(update: ZoneUpdate): void {
    if (update.kind === 'full') {
      const s = update.state;
      this.settings = { zones: [...s.zones], maxAnswers: Math.max(1, s.maxAnswers), geo: s.geo };
      this.apexNames = s.zones.map((name) => ({ name })).sort((a, b) => b.name.length - a.name.length);
      this.ctx = { random: this.random, geo: new PrefixTable(s.geo), count: this.settings.maxAnswers };
      this.apexes.clear();
      this.names.clear();
      this.setApexes(s.apexes);
      for (const [name, node] of s.names) this.names.set(name, this.hydrate(node));
      this.received = true;
      this.commit(s.version, s.synced);
      return;
    }
    if (!this.received) throw new Error('zone delta received before the full zone');
    this.setApexes(update.apexes);
    for (const name of update.removals) this.names.delete(name);
    for (const [name, node] of update.upserts) this.names.set(name, this.hydrate(node));
    this.commit(update.version, update.synced);
  }

  exportState(): ZoneState {
    return exportZoneState({ zones: this.zoneList, names: this.names }, this.settings, this.currentVersion, this.synced);
  }

  onVersionChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private commit(version: number, synced: boolean): void {
    const moved = version !== this.currentVersion || synced !== this.synced;
    this.currentVersion = version;
    this.synced = synced;
    if (moved) for (const listener of [...this.listeners]) listener();
  }

  private setApexes(apexes: readonly PlainApex[]): void {
    const seen = new Set<string>();
    for (const p of apexes) {
      seen.add(p.name);
      const existing = this.apexes.get(p.name);
      if (existing !== undefined) {
        existing.soa = p.soa;
        existing.negativeSoa = p.negativeSoa;
        existing.ns = p.ns;
        existing.glue = p.glue;
      } else {
        this.apexes.set(p.name, { name: p.name, soa: p.soa, negativeSoa: p.negativeSoa, ns: p.ns, glue: p.glue });
      }
    }
    for (const name of [...this.apexes.keys()]) if (!seen.has(name)) this.apexes.delete(name);
    this.zoneList = [...this.apexes.values()].sort((a, b) => b.name.length - a.name.length);
  }

  private hydrate(node: PlainNode): NameNode {
    const zone = this.apexes.get(node.zone);
    if (zone === undefined) throw new Error(`zone update: a name refers to unknown apex "${node.zone}"`);
    switch (node.kind) {
      case 'apex':
      case 'empty':
        return { kind: node.kind, zone };
      case 'host':
        return { kind: 'host', zone, a: node.a, aaaa: node.aaaa };
      case 'cname':
        return { kind: 'cname', zone, record: node.record, target: node.target };
      case 'srv':
        return { kind: 'srv', zone, records: node.records, additional: node.additional };
      case 'service': {
        const members: NodeMember[] = node.members.map((m) => {
          const member: NodeMember = { cluster: m.cluster, weight: m.weight, rank: m.rank, a: m.a, aaaa: m.aaaa };
          return m.region !== undefined ? { ...member, region: m.region } : member;
        });
        const service: ServiceNode = {
          strategy: strategyFor(node.strategy),
          v4: prepareSet(members.filter((m) => m.a.length > 0)),
          v6: prepareSet(members.filter((m) => m.aaaa.length > 0)),
          varies4: node.varies4,
          varies6: node.varies6,
          cursor: { turn: 0 },
        };
        return { kind: 'service', zone, service };
      }
    }
  }
}
