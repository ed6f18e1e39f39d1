/**
 * Scoring clusters by room: how many more replicas of a pod template fit in a cluster
 * (Karmada's general estimator, `pkg/estimator/client/general.go`, counted node by node
 * from the free resources each member reports in its heartbeat).
 */
import { toAmounts, type ResourceAmounts } from '../../apimachinery/index.js';
import type { ClusterView } from './cluster-view.js';

/** Copies of `request` that fit in `free`; a resource missing from `free` counts as 0; no positive request → Infinity. */
function copiesThatFit(request: Readonly<ResourceAmounts>, free: Readonly<ResourceAmounts>): number {
  let n = Infinity;
  for (const [name, want] of Object.entries(request)) {
    if (want > 0) n = Math.min(n, Math.floor(Math.max(0, free[name] ?? 0) / want));
  }
  return n;
}

/** The request of one replica: the pod template's requests plus one pod slot where pods are counted. */
function replicaRequest(podRequests: Readonly<ResourceAmounts> | undefined, free: Readonly<ResourceAmounts>): ResourceAmounts {
  const request: ResourceAmounts = { ...(podRequests ?? {}) };
  if (request['pods'] === undefined && free['pods'] !== undefined) request['pods'] = 1;
  return request;
}

/**
 * How many more replicas with `podRequests` fit in `cluster`: summed over its Ready nodes,
 * each node taking as many whole replicas as its own free resources allow (so free
 * resources split over nodes are not counted as one pool). Without node summaries, the
 * cluster's `available` totals are used. A cluster that reports neither has room for 0.
 * Infinity when nothing limits (no requests and no pod count).
 */
export function availableReplicas(cluster: ClusterView, podRequests?: Readonly<ResourceAmounts>): number {
  if (cluster.nodes && cluster.nodes.length > 0) {
    let total = 0;
    for (const node of cluster.nodes) {
      if (!node.ready) continue;
      let free: ResourceAmounts;
      try {
        free = toAmounts(node.free);
      } catch {
        continue;
      }
      total += copiesThatFit(replicaRequest(podRequests, free), free);
    }
    return total;
  }
  if (cluster.available) return copiesThatFit(replicaRequest(podRequests, cluster.available), cluster.available);
  return 0;
}

/**
 * Clusters ordered for Aggregated division: most room first, then heavier, then by name
 * (Karmada sorts by available replicas, then name).
 */
export function byRoomDescending(room: ReadonlyMap<string, number>): (a: ClusterView, b: ClusterView) => number {
  return (a, b) => {
    const ra = room.get(a.name) ?? 0;
    const rb = room.get(b.name) ?? 0;
    if (ra !== rb) return ra > rb ? -1 : 1;
    return b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  };
}
