/**
 * A zone's answers as plain data (JSON-safe: no functions, no Maps), so that processes
 * other than the one holding the store can answer from them: the UDP workers of a
 * `DnsServer` (ADR 009). The zone side exports its snapshot (`exportZoneState`), the
 * primary turns consecutive exports into updates that carry only the names that changed
 * (`ZoneUpdateBuilder`), and each worker keeps a `ZoneReplica` (zone-replica.ts) that
 * applies them.
 *
 * Nodes refer to their zone apex by name; the apexes (SOA with its serial, NS, glue) travel
 * whole in every update, so a serial that moves does not make every name "changed".
 */
import type { ResourceRecord, Zone } from './answer-types.js';
import type { NameNode, NodeMember, SoaRecord, ZoneApex, ZoneSnapshot } from './answer.js';
import type { GeoTableEntry } from './geo-prefixes.js';
import type { StrategyName } from './strategies.js';

/** One zone apex as plain data. */
export interface PlainApex {
  name: string;
  soa: SoaRecord;
  negativeSoa: SoaRecord;
  ns: ResourceRecord[];
  glue: ResourceRecord[];
}

/** A serving cluster of a service name, as plain data. */
export interface PlainMember {
  cluster: string;
  region?: string;
  /** The weight in effect before the zero rule (prepareSet applies it again). */
  weight: number;
  rank: number;
  a: ResourceRecord[];
  aaaa: ResourceRecord[];
}

/** What one owner name holds, as plain data; `zone` is the apex name. */
export type PlainNode =
  | { kind: 'apex'; zone: string }
  | { kind: 'empty'; zone: string }
  | { kind: 'host'; zone: string; a: ResourceRecord[]; aaaa: ResourceRecord[] }
  | { kind: 'cname'; zone: string; record: ResourceRecord; target: string }
  | { kind: 'service'; zone: string; strategy: StrategyName; members: PlainMember[]; varies4: boolean; varies6: boolean }
  | { kind: 'srv'; zone: string; records: ResourceRecord[]; additional: ResourceRecord[] };

/** Settings that shape answers but are not part of a snapshot. */
export interface ZoneSettings {
  /** Served apexes, lower-case (inZone). */
  zones: string[];
  /** Addresses per answer of weighted, geo and roundRobin names. */
  maxAnswers: number;
  /** Client CIDR → region table of the geo strategy. */
  geo: GeoTableEntry[];
}

/** Everything a replica answers from. */
export interface ZoneState extends ZoneSettings {
  /** The zone's `version`; a replica reports the same, so answer caches follow it. */
  version: number;
  /** False until the zone's first sync: in-zone names answer SERVFAIL until then. */
  synced: boolean;
  apexes: PlainApex[];
  names: [string, PlainNode][];
}

/** What a replica receives: the whole state, or what changed since the previous update. */
export type ZoneUpdate =
  | { kind: 'full'; state: ZoneState }
  | { kind: 'delta'; version: number; synced: boolean; apexes: PlainApex[]; upserts: [string, PlainNode][]; removals: string[] };

/** A zone whose answers can be copied to other processes (what DnsServer workers need). */
export interface ExportableZone extends Zone {
  /** The current answers as plain data. */
  exportState(): ZoneState;
  /** Calls `listener` after every change of `version`; returns the function that unsubscribes. */
  onVersionChange(listener: () => void): () => void;
}

/** True when `zone` can be exported to worker processes. */
export function isExportableZone(zone: Zone): zone is ExportableZone {
  const z = zone as Partial<ExportableZone>;
  return typeof z.exportState === 'function' && typeof z.onVersionChange === 'function';
}

function plainApex(z: ZoneApex): PlainApex {
  return { name: z.name, soa: z.soa, negativeSoa: z.negativeSoa, ns: [...z.ns], glue: [...z.glue] };
}

function plainMember(m: NodeMember): PlainMember {
  const p: PlainMember = { cluster: m.cluster, weight: m.weight, rank: m.rank, a: [...m.a], aaaa: [...m.aaaa] };
  if (m.region !== undefined) p.region = m.region;
  return p;
}

/** One node as plain data. */
export function plainNode(node: NameNode): PlainNode {
  const zone = node.zone.name;
  switch (node.kind) {
    case 'apex':
    case 'empty':
      return { kind: node.kind, zone };
    case 'host':
      return { kind: 'host', zone, a: [...node.a], aaaa: [...node.aaaa] };
    case 'cname':
      return { kind: 'cname', zone, record: node.record, target: node.target };
    case 'srv':
      return { kind: 'srv', zone, records: [...node.records], additional: [...node.additional] };
    case 'service': {
      const s = node.service;
      // v4 and v6 are subsets of one member list (by address family), each sorted by cluster.
      const byCluster = new Map<string, NodeMember>();
      for (const m of [...s.v4.members, ...s.v6.members]) byCluster.set(m.cluster, m);
      const members = [...byCluster.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0)).map(plainMember);
      return { kind: 'service', zone, strategy: s.strategy.name, members, varies4: s.varies4, varies6: s.varies6 };
    }
  }
}

/** The snapshot and settings as one plain state. */
export function exportZoneState(snapshot: ZoneSnapshot, settings: ZoneSettings, version: number, synced: boolean): ZoneState {
  const names: [string, PlainNode][] = [];
  for (const [name, node] of snapshot.names) names.push([name, plainNode(node)]);
  return {
    zones: [...settings.zones],
    maxAnswers: settings.maxAnswers,
    geo: settings.geo.map((e) => ({ cidr: e.cidr, region: e.region })),
    version,
    synced,
    apexes: snapshot.zones.map(plainApex),
    names,
  };
}

function sameSettings(a: ZoneSettings, b: ZoneSettings): boolean {
  return a.maxAnswers === b.maxAnswers && JSON.stringify(a.zones) === JSON.stringify(b.zones) && JSON.stringify(a.geo) === JSON.stringify(b.geo);
}

/**
 * Turns consecutive states of one zone into updates: the first is full, later ones carry
 * the names whose content changed (compared by their JSON) and the names removed. Every
 * replica fed the same sequence of updates from its full one holds the latest state.
 */
export class ZoneUpdateBuilder {
  private last: ZoneState | undefined;
  private shipped = new Map<string, string>();

  /** The update from the previous state to `state` (full the first time or when the settings changed). */
  next(state: ZoneState): ZoneUpdate {
    const previous = this.last;
    const encoded = new Map<string, string>();
    for (const [name, node] of state.names) encoded.set(name, JSON.stringify(node));
    this.last = state;
    const shipped = this.shipped;
    this.shipped = encoded;
    if (previous === undefined || !sameSettings(previous, state)) return { kind: 'full', state };
    const upserts: [string, PlainNode][] = [];
    for (const [name, node] of state.names) if (shipped.get(name) !== encoded.get(name)) upserts.push([name, node]);
    const removals: string[] = [];
    for (const name of shipped.keys()) if (!encoded.has(name)) removals.push(name);
    return { kind: 'delta', version: state.version, synced: state.synced, apexes: state.apexes, upserts, removals };
  }

  /** The last state as a full update (for a replica that starts now); undefined before the first. */
  full(): ZoneUpdate | undefined {
    return this.last === undefined ? undefined : { kind: 'full', state: this.last };
  }
}
