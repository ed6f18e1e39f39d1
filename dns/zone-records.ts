/**
 * Zone records (pure): Clusters, Services and TrafficPolicies at one instant become a zone
 * snapshot, a signature to tell whether any answer changed, the per-name memory of the last
 * healthy clusters, and an explanation per Service of who is served and why.
 *
 * Names served under each zone `<zone>`:
 * - `<zone>`: SOA, NS `ns1.<zone>`; `ns1.<zone>`: the name server's addresses;
 * - `<svc>.<ns>.svc.<zone>`: A/AAAA of the serving clusters (health rules, then strategy);
 * - `_<port>._<proto>.<svc>.<ns>.svc.<zone>`: SRV per serving cluster, target
 *   `<cluster>.clusters.<zone>` (its A/AAAA in additional);
 * - `<svc>.<ns>.svc.<region>.<zone>` for every region of a joined cluster: the healthy
 *   clusters of that region, else a CNAME to the global name (Federation v1's chain);
 * - `<cluster>.clusters.<zone>`: A/AAAA of every cluster with addresses.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Cluster, KubeObject, TrafficPolicy } from '../apimachinery/index.js';
import type { ResourceRecord } from './answer-types.js';
import type { NameNode, NodeMember, ServiceNode, SoaRecord, ZoneApex, ZoneSnapshot } from './answer.js';
import { serviceHealth, servingClusters, type HealthReason, type Judged, type WhenAllUnhealthy } from './health.js';
import { failoverRank, prepareSet, strategyFor, type StrategyName } from './strategies.js';

/** TTL of Service answers when the policy sets none, s (short: health changes must reach clients fast). */
export const DEFAULT_SERVICE_TTL_SECONDS = 5;
/** TTL of `<cluster>.clusters.<zone>` records, s. */
export const DEFAULT_HOST_TTL_SECONDS = 30;
/** TTL of NS and name-server address records, s. */
export const DEFAULT_NS_TTL_SECONDS = 300;
/** Label of the name server under each zone. */
export const NAMESERVER_LABEL = 'ns1';
/** Largest SRV weight (16 bits). */
const MAX_SRV_WEIGHT = 65_535;

/** SOA timers, s. `minimum` bounds negative caching (RFC 2308). */
export interface SoaTimers {
  ttl: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** SOA timers when none are given: negative answers are cached 5 s, as long as positive ones. */
export const DEFAULT_SOA_TIMERS: Readonly<SoaTimers> = { ttl: 60, refresh: 3_600, retry: 600, expire: 86_400, minimum: 5 };

/** A Service template as the zone reads it. */
export interface ServiceObject extends KubeObject {
  spec?: { ports?: { name?: string; port?: number; protocol?: string }[] };
  status?: { clusters?: { cluster?: string }[]; placement?: { clusters?: { name?: string }[] } };
}

/** One cluster's line in a Service's explanation. */
export interface ClusterAnswerStatus {
  cluster: string;
  region?: string;
  /** First external address ('' when none). */
  address: string;
  /** Every external address, when more than one. */
  addresses?: string[];
  /** The weight in effect: the policy's, else the ready endpoints. */
  weight: number;
  healthy: boolean;
  /** In the answers now (healthy, or served by the fail-open rule). */
  serving: boolean;
  /** Expected share of single-address A answers, percent (one decimal). */
  share: number;
  reason: HealthReason | 'ClusterNotFound';
  message: string;
  readyEndpoints: number;
}

/** Why a Service answers as it does. */
export interface ServiceExplanation {
  namespace: string;
  name: string;
  /** Global names, one per zone. */
  names: string[];
  /** The TrafficPolicy in effect (`namespace/name`), if any. */
  policy?: string;
  strategy: StrategyName;
  ttl: number;
  whenAllUnhealthy: WhenAllUnhealthy;
  /** No cluster is healthy and the answers come from the fail-open rule. */
  failOpen: boolean;
  clusters: ClusterAnswerStatus[];
}

/** Everything `buildZone` needs. */
export interface ZoneInput {
  /** Zone apexes, lower-case without the trailing dot. */
  zones: readonly string[];
  /** Addresses of `ns1.<zone>`. */
  nameserverAddresses: readonly string[];
  serial: number;
  soa?: SoaTimers;
  clusters: readonly Readonly<Cluster>[];
  services: readonly Readonly<ServiceObject>[];
  policies: readonly Readonly<TrafficPolicy>[];
  now: number;
  freshnessMs: number;
  /** Answers per query of per-query strategies (for the share figures and `varies`). */
  count?: number;
  geoTableSize?: number;
  /** Last healthy clusters (cluster → weight) per Service key `namespace/name`. */
  lastHealthy: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** What `buildZone` gives. */
export interface ZoneBuild {
  snapshot: ZoneSnapshot;
  /** Equal signatures mean equal answers (the serial left out). */
  signature: string;
  lastHealthy: Map<string, ReadonlyMap<string, number>>;
  /** By Service key `namespace/name`. */
  explanations: Map<string, ServiceExplanation>;
  /** The TrafficPolicy in effect per Service key (`namespace/name` of the policy). */
  policyOf: Map<string, string>;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function addressesOf(cluster: Readonly<Cluster> | undefined): { v4: string[]; v6: string[] } {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const e of cluster?.spec?.endpoints ?? []) {
    if (isIPv4(e)) v4.push(e);
    else if (isIPv6(e)) v6.push(e.toLowerCase());
  }
  return { v4, v6 };
}

function aRecords(name: string, ttl: number, v4: readonly string[], v6: readonly string[]): { a: ResourceRecord[]; aaaa: ResourceRecord[] } {
  return {
    a: v4.map((address) => Object.freeze({ name, type: 'A' as const, ttl, address })),
    aaaa: v6.map((address) => Object.freeze({ name, type: 'AAAA' as const, ttl, address })),
  };
}

/** The policy in effect for a Service: the oldest naming it (creation time, then name). */
export function policyForService(policies: readonly Readonly<TrafficPolicy>[], namespace: string, name: string): Readonly<TrafficPolicy> | undefined {
  let best: Readonly<TrafficPolicy> | undefined;
  for (const p of policies) {
    if (p.metadata.namespace !== namespace || p.spec?.serviceRef?.name !== name || p.metadata.deletionTimestamp) continue;
    if (!best) best = p;
    else {
      const a = p.metadata.creationTimestamp ?? '';
      const b = best.metadata.creationTimestamp ?? '';
      if (a < b || (a === b && (p.metadata.name ?? '') < (best.metadata.name ?? ''))) best = p;
    }
  }
  return best;
}

/** Clusters a Service is placed on: `status.clusters[].cluster` ∪ `status.placement.clusters[].name`, sorted. */
export function placedClusters(service: Readonly<ServiceObject>): string[] {
  const out = new Set<string>();
  for (const c of service.status?.clusters ?? []) if (c.cluster) out.add(c.cluster);
  for (const c of service.status?.placement?.clusters ?? []) if (c.name) out.add(c.name);
  return [...out].sort();
}

function soaFor(zone: string, serial: number, t: SoaTimers, ttl: number): SoaRecord {
  return Object.freeze({
    name: zone,
    type: 'SOA' as const,
    ttl,
    primary: `${NAMESERVER_LABEL}.${zone}`,
    admin: `hostmaster.${zone}`,
    serial: serial >>> 0,
    refresh: t.refresh,
    retry: t.retry,
    expiration: t.expire,
    minimum: t.minimum,
  });
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Builds the zone snapshot from the objects (see the module doc for the names). */
export function buildZone(input: ZoneInput): ZoneBuild {
  const timers = input.soa ?? DEFAULT_SOA_TIMERS;
  const count = Math.max(1, input.count ?? 1);
  const names = new Map<string, NameNode>();
  const signature: string[] = [];
  const lastHealthy = new Map<string, ReadonlyMap<string, number>>();
  const explanations = new Map<string, ServiceExplanation>();
  const policyOf = new Map<string, string>();

  const clusters = new Map<string, Readonly<Cluster>>();
  for (const c of input.clusters) if (c.metadata.name && !c.metadata.deletionTimestamp) clusters.set(c.metadata.name, c);
  const regions = [...new Set([...clusters.values()].map((c) => c.spec?.region?.toLowerCase()).filter((r): r is string => r !== undefined && DNS_LABEL.test(r)))].sort();

  const nsAddrs = {
    v4: input.nameserverAddresses.filter((a) => isIPv4(a)),
    v6: input.nameserverAddresses.filter((a) => isIPv6(a)).map((a) => a.toLowerCase()),
  };
  const apexes: ZoneApex[] = input.zones.map((zone) => {
    const nsHost = `${NAMESERVER_LABEL}.${zone}`;
    const glue = aRecords(nsHost, DEFAULT_NS_TTL_SECONDS, nsAddrs.v4, nsAddrs.v6);
    return Object.freeze({
      name: zone,
      soa: soaFor(zone, input.serial, timers, timers.ttl),
      negativeSoa: soaFor(zone, input.serial, timers, Math.min(timers.ttl, timers.minimum)),
      ns: [Object.freeze({ name: zone, type: 'NS' as const, ttl: DEFAULT_NS_TTL_SECONDS, target: nsHost })],
      glue: [...glue.a, ...glue.aaaa],
    });
  });

  const put = (name: string, node: NameNode, sig: string): void => {
    names.set(name, node);
    signature.push(`${name}\t${sig}`);
  };

  // Per Service, computed once and laid out under every zone.
  interface ServicePlan {
    namespace: string;
    name: string;
    strategy: ReturnType<typeof strategyFor>;
    ttl: number;
    serving: (NodeMemberBase & { healthy: boolean })[];
    ports: { label: string; port: number }[];
  }
  interface NodeMemberBase {
    cluster: string;
    region?: string;
    weight: number;
    rank: number;
    v4: string[];
    v6: string[];
  }
  const plans: ServicePlan[] = [];
  for (const svc of input.services) {
    const namespace = svc.metadata.namespace;
    const name = svc.metadata.name;
    if (!namespace || !name || !DNS_LABEL.test(namespace) || !DNS_LABEL.test(name)) continue;
    const key = `${namespace}/${name}`;
    const policy = policyForService(input.policies, namespace, name);
    if (policy) policyOf.set(key, `${policy.metadata.namespace}/${policy.metadata.name}`);
    const spec = policy?.spec;
    const strategy = strategyFor(spec?.strategy);
    const ttl = spec?.ttl !== undefined && Number.isInteger(spec.ttl) && spec.ttl >= 0 ? spec.ttl : DEFAULT_SERVICE_TTL_SECONDS;
    const when: WhenAllUnhealthy = spec?.whenAllUnhealthy === 'empty' ? 'empty' : 'lastHealthy';
    const weights = spec?.weights && Object.keys(spec.weights).length > 0 ? spec.weights : undefined;

    const lines: ClusterAnswerStatus[] = [];
    const judged: Judged[] = [];
    const info = new Map<string, NodeMemberBase & { healthy: boolean }>();
    for (const clusterName of placedClusters(svc)) {
      const cluster = clusters.get(clusterName);
      const { v4, v6 } = addressesOf(cluster);
      if (!cluster) {
        lines.push({ cluster: clusterName, address: '', weight: 0, healthy: false, serving: false, share: 0, reason: 'ClusterNotFound', message: 'no such Cluster (unjoined?)', readyEndpoints: 0 });
        continue;
      }
      const hasAddress = v4.length + v6.length > 0;
      const health = serviceHealth(cluster, { namespace, name }, input.now, input.freshnessMs, hasAddress);
      // With explicit weights, an unlisted cluster is a standby (weight 0); else traffic follows capacity.
      const weight = weights ? (weights[clusterName] ?? 0) : health.readyEndpoints;
      const region = cluster.spec?.region?.toLowerCase();
      judged.push({ cluster: clusterName, healthy: health.healthy, hasAddress, weight });
      info.set(clusterName, { cluster: clusterName, region, weight, rank: failoverRank(clusterName, region, spec?.primaryClusters), v4, v6, healthy: health.healthy });
      const all = [...v4, ...v6];
      const line: ClusterAnswerStatus = { cluster: clusterName, address: all[0] ?? '', weight, healthy: health.healthy, serving: false, share: 0, reason: health.reason, message: health.message, readyEndpoints: health.readyEndpoints };
      if (region !== undefined) line.region = region;
      if (all.length > 1) line.addresses = all;
      lines.push(line);
    }
    const decision = servingClusters(judged, input.lastHealthy.get(key), when);
    if (decision.lastHealthy) lastHealthy.set(key, decision.lastHealthy);
    const serving = [...decision.serving].map(([c, weight]) => ({ ...info.get(c)!, weight }));

    // Shares of single-address answers without a client region (what `weighted` converges to).
    const prepared = prepareSet(serving);
    const share = new Map<string, number>();
    if (strategy.name === 'failover') for (const m of prepared.firstTier) share.set(m.cluster, 100 / prepared.firstTier.length);
    else if (strategy.name === 'roundRobin') for (const m of prepared.active) share.set(m.cluster, 100 / prepared.active.length);
    else prepared.members.forEach((m, i) => share.set(m.cluster, ((prepared.weights[i] ?? 0) / prepared.total) * 100));
    for (const line of lines) {
      line.serving = decision.serving.has(line.cluster);
      line.share = round1(share.get(line.cluster) ?? 0);
      if (line.serving && decision.serving.get(line.cluster) !== line.weight) line.weight = decision.serving.get(line.cluster)!;
    }
    explanations.set(key, {
      namespace,
      name,
      names: input.zones.map((z) => `${name}.${namespace}.svc.${z}`),
      ...(policy ? { policy: policyOf.get(key) } : {}),
      strategy: strategy.name,
      ttl,
      whenAllUnhealthy: when,
      failOpen: decision.failOpen,
      clusters: lines,
    });
    const ports: { label: string; port: number }[] = [];
    for (const p of svc.spec?.ports ?? []) {
      const portName = p.name?.toLowerCase();
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      if (!portName || !DNS_LABEL.test(portName) || !Number.isInteger(p.port) || !(proto === 'tcp' || proto === 'udp' || proto === 'sctp')) continue;
      ports.push({ label: `_${portName}._${proto}`, port: p.port! });
    }
    plans.push({ namespace, name, strategy, ttl, serving, ports });
  }

  for (const zone of apexes) {
    const z = zone.name;
    put(z, { kind: 'apex', zone }, `apex ${zone.ns.map((r) => (r as { target: string }).target).join(',')}`);
    const nsHost = `${NAMESERVER_LABEL}.${z}`;
    const glueA = zone.glue.filter((r) => r.type === 'A');
    const glueAAAA = zone.glue.filter((r) => r.type === 'AAAA');
    put(nsHost, { kind: 'host', zone, a: glueA, aaaa: glueAAAA }, `host ${input.nameserverAddresses.join(',')}`);

    const hosts = new Map<string, { a: ResourceRecord[]; aaaa: ResourceRecord[] }>();
    for (const [name, cluster] of clusters) {
      const lname = name.toLowerCase();
      const { v4, v6 } = addressesOf(cluster);
      if (v4.length + v6.length === 0) continue;
      const host = `${lname}.clusters.${z}`;
      const recs = aRecords(host, DEFAULT_HOST_TTL_SECONDS, v4, v6);
      hosts.set(name, recs);
      put(host, { kind: 'host', zone, ...recs }, `host ${[...v4, ...v6].join(',')}`);
    }

    const serviceNode = (owner: string, members: readonly (NodeMemberBase & { healthy: boolean })[], plan: ServicePlan): ServiceNode => {
      const nodeMembers: NodeMember[] = members.map((m) => {
        const recs = aRecords(owner, plan.ttl, m.v4, m.v6);
        const nm: NodeMember = { cluster: m.cluster, weight: m.weight, rank: m.rank, a: recs.a, aaaa: recs.aaaa };
        return m.region !== undefined ? { ...nm, region: m.region } : nm;
      });
      const v4 = prepareSet(nodeMembers.filter((m) => m.a.length > 0));
      const v6 = prepareSet(nodeMembers.filter((m) => m.aaaa.length > 0));
      return {
        strategy: plan.strategy,
        v4,
        v6,
        varies4: plan.strategy.varies(v4, count, (input.geoTableSize ?? 0) > 0),
        varies6: plan.strategy.varies(v6, count, (input.geoTableSize ?? 0) > 0),
        cursor: { turn: 0 },
      };
    };
    const memberSig = (members: readonly NodeMemberBase[]): string =>
      members.map((m) => `${m.cluster}:${m.weight}:${m.rank}:${m.region ?? ''}:${[...m.v4, ...m.v6].join('+')}`).sort().join(',');
    const srvNodes = (owner: string, members: readonly NodeMemberBase[], plan: ServicePlan): void => {
      if (plan.ports.length === 0) return;
      const prepared = prepareSet([...members]);
      for (const { label, port } of plan.ports) {
        const srvOwner = `${label}.${owner}`;
        const records: ResourceRecord[] = [];
        const additional: ResourceRecord[] = [];
        prepared.members.forEach((m, i) => {
          const host = hosts.get(m.cluster);
          if (!host) return;
          const weight = Math.min(MAX_SRV_WEIGHT, Math.max(0, Math.round(prepared.weights[i] ?? 0)));
          const priority = plan.strategy.name === 'failover' ? Math.min(m.rank, MAX_SRV_WEIGHT) : 0;
          records.push(Object.freeze({ name: srvOwner, type: 'SRV' as const, ttl: plan.ttl, priority, weight, port, target: `${m.cluster.toLowerCase()}.clusters.${z}` }));
          additional.push(...host.a, ...host.aaaa);
        });
        records.sort((a, b) => (a as { priority: number }).priority - (b as { priority: number }).priority);
        put(srvOwner, { kind: 'srv', zone, records, additional }, `srv ${plan.ttl} ${records.map((r) => JSON.stringify(r)).join(',')}`);
      }
    };

    for (const plan of plans) {
      const global = `${plan.name}.${plan.namespace}.svc.${z}`;
      put(global, { kind: 'service', zone, service: serviceNode(global, plan.serving, plan) }, `svc ${plan.strategy.name} ${plan.ttl} ${memberSig(plan.serving)}`);
      srvNodes(global, plan.serving, plan);
      for (const region of regions) {
        const owner = `${plan.name}.${plan.namespace}.svc.${region}.${z}`;
        const local = plan.serving.filter((m) => m.healthy && m.region === region);
        if (local.length > 0) {
          put(owner, { kind: 'service', zone, service: serviceNode(owner, local, plan) }, `svc ${plan.strategy.name} ${plan.ttl} ${memberSig(local)}`);
          srvNodes(owner, local, plan);
        } else {
          const record = Object.freeze({ name: owner, type: 'CNAME' as const, ttl: plan.ttl, target: global });
          put(owner, { kind: 'cname', zone, record, target: global }, `cname ${plan.ttl} ${global}`);
        }
      }
    }
  }

  // Empty non-terminals: every name between an owner and its apex exists (RFC 8020).
  for (const [name, node] of [...names]) {
    const apex = node.zone.name;
    let rest = name;
    for (;;) {
      const dot = rest.indexOf('.');
      if (dot < 0) break;
      rest = rest.slice(dot + 1);
      if (rest.length <= apex.length) break;
      if (!names.has(rest)) names.set(rest, { kind: 'empty', zone: node.zone });
    }
  }

  apexes.sort((a, b) => b.name.length - a.name.length);
  signature.sort();
  return { snapshot: { zones: apexes, names }, signature: signature.join('\n'), lastHealthy, explanations, policyOf };
}
