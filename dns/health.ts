/**
 * Health rules of DNS answers (pure). A cluster's address is in a Service's answer only
 * while all of these hold:
 * 1. the cluster has an external address (`spec.endpoints`);
 * 2. its `Ready` condition is True;
 * 3. its last heartbeat (`status.lastHeartbeatTime`) is at most `freshnessMs` old;
 * 4. the Service has at least one ready endpoint there (`status.services`, from heartbeats).
 *
 * When no cluster passes, the name fails open like Route 53: it keeps answering with the
 * clusters that were healthy last (remembered per name), or with every placed cluster that
 * has an address when none ever was, so a control-plane outage (heartbeats stop reaching
 * the gateway) does not take the application off the air. `whenAllUnhealthy: empty` turns
 * that off: the name then answers NODATA.
 */
import { ClusterConditions, type Cluster } from '../apimachinery/index.js';

/** How old a heartbeat may be for the cluster to count as alive, ms (heartbeats come every 500 ms). */
export const DEFAULT_FRESHNESS_MS = 3_000;

/** Why a cluster is or is not in an answer. */
export const HealthReasons = {
  Ok: 'Ok',
  NoAddress: 'NoAddress',
  NotReady: 'NotReady',
  NoHeartbeat: 'NoHeartbeat',
  StaleHeartbeat: 'StaleHeartbeat',
  NoReadyEndpoints: 'NoReadyEndpoints',
} as const;

/** One of HealthReasons. */
export type HealthReason = (typeof HealthReasons)[keyof typeof HealthReasons];

/** What to answer when no cluster of a name is healthy. */
export type WhenAllUnhealthy = 'lastHealthy' | 'empty';

/** The verdict on one cluster for one Service. */
export interface ServiceHealth {
  healthy: boolean;
  reason: HealthReason;
  /** Human-readable detail (the condition's reason, the heartbeat's age). */
  message: string;
  /** Ready endpoints of the Service in the cluster (0 when not reported). */
  readyEndpoints: number;
}

/** The cluster's Ready condition is True. */
export function isClusterReady(cluster: Readonly<Cluster>): boolean {
  return cluster.status?.conditions?.some((c) => c.type === ClusterConditions.Ready && c.status === 'True') ?? false;
}

/** Age of the last heartbeat at `now`, ms (negative when the member's clock runs ahead); undefined without one. */
export function heartbeatAge(cluster: Readonly<Cluster>, now: number): number | undefined {
  const t = cluster.status?.lastHeartbeatTime;
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : now - ms;
}

/** Ready endpoints of a Service in a cluster, as the last heartbeat reported. */
export function readyEndpointsOf(cluster: Readonly<Cluster>, namespace: string, name: string): number {
  const s = cluster.status?.services?.find((x) => x.namespace === namespace && x.name === name);
  return s && Number.isFinite(s.readyEndpoints) && s.readyEndpoints > 0 ? s.readyEndpoints : 0;
}

/** Judges one cluster for one Service at `now`. */
export function serviceHealth(
  cluster: Readonly<Cluster>,
  service: { namespace: string; name: string },
  now: number,
  freshnessMs: number = DEFAULT_FRESHNESS_MS,
  hasAddress = (cluster.spec?.endpoints?.length ?? 0) > 0,
): ServiceHealth {
  const readyEndpoints = readyEndpointsOf(cluster, service.namespace, service.name);
  const verdict = (reason: HealthReason, message: string): ServiceHealth => ({ healthy: reason === HealthReasons.Ok, reason, message, readyEndpoints });
  if (!hasAddress) return verdict(HealthReasons.NoAddress, 'the cluster has no external address (spec.endpoints)');
  if (!isClusterReady(cluster)) {
    const ready = cluster.status?.conditions?.find((c) => c.type === ClusterConditions.Ready);
    return verdict(HealthReasons.NotReady, ready ? `Ready is ${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'no Ready condition yet');
  }
  const age = heartbeatAge(cluster, now);
  if (age === undefined) return verdict(HealthReasons.NoHeartbeat, 'no heartbeat received');
  if (age > freshnessMs) return verdict(HealthReasons.StaleHeartbeat, `last heartbeat ${(age / 1000).toFixed(1)}s ago (limit ${(freshnessMs / 1000).toFixed(1)}s)`);
  if (readyEndpoints === 0) return verdict(HealthReasons.NoReadyEndpoints, `no ready endpoints of ${service.namespace}/${service.name}`);
  return verdict(HealthReasons.Ok, `${readyEndpoints} ready endpoint${readyEndpoints === 1 ? '' : 's'}`);
}

/** One placed cluster as the serving rule sees it. */
export interface Judged {
  cluster: string;
  healthy: boolean;
  /** Has an address: only such clusters can be served, even failing open. */
  hasAddress: boolean;
  /** The weight in effect now. */
  weight: number;
}

/** Which clusters answer for a name, and what to remember for next time. */
export interface ServingDecision {
  /** Cluster → weight to serve with. */
  serving: ReadonlyMap<string, number>;
  /** True when no cluster is healthy and the answer comes from the fail-open rule. */
  failOpen: boolean;
  /** The last healthy set (cluster → weight then) to remember for this name. */
  lastHealthy: ReadonlyMap<string, number> | undefined;
}

/**
 * The serving set of a name: its healthy clusters; when there are none, the remembered last
 * healthy ones still placed, else every placed cluster with an address (Route 53: "if all
 * are unhealthy, respond as if all were healthy"); or nothing with `whenAllUnhealthy: empty`.
 */
export function servingClusters(
  judged: readonly Judged[],
  lastHealthy: ReadonlyMap<string, number> | undefined,
  whenAllUnhealthy: WhenAllUnhealthy = 'lastHealthy',
): ServingDecision {
  const healthy = judged.filter((j) => j.healthy && j.hasAddress);
  if (healthy.length > 0) {
    const serving = new Map(healthy.map((j) => [j.cluster, j.weight]));
    return { serving, failOpen: false, lastHealthy: serving };
  }
  if (whenAllUnhealthy === 'empty' || judged.length === 0) return { serving: new Map(), failOpen: false, lastHealthy };
  const placed = new Map(judged.filter((j) => j.hasAddress).map((j) => [j.cluster, j.weight]));
  const remembered = new Map([...(lastHealthy ?? [])].filter(([c]) => placed.has(c)));
  return { serving: remembered.size > 0 ? remembered : placed, failOpen: placed.size > 0, lastHealthy };
}
