/**
 * The scheduler's view of a Cluster: the few fields placement decides on, read once from the
 * Cluster object so filters, scores and rendering never dig through its status.
 */
import {
  ClusterConditions,
  toAmounts,
  type Cluster,
  type ClusterTaint,
  type NodeSummary,
  type ResourceAmounts,
} from '../../apimachinery/index.js';

/** What placement knows about one member cluster. */
export interface ClusterView {
  name: string;
  labels: Record<string, string>;
  region?: string;
  zone?: string;
  provider?: string;
  taints: ClusterTaint[];
  /** The Ready condition is True. */
  ready: boolean;
  /** When the cluster stopped being Ready (ms since the epoch); only when not ready. */
  notReadySince?: number;
  /** Cluster.spec.weight, 1 when unset; the weight of Divided scheduling without a weight preference. */
  weight: number;
  /** Free resources summed over Ready nodes, as integer amounts. */
  available?: ResourceAmounts;
  /** Per-node free resources, for counting how many replicas fit node by node. */
  nodes?: NodeSummary[];
}

function parseTime(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The view of `cluster` at `now`. A cluster not Ready is NotReady since its Ready
 * condition's last transition; without a transition time, since `now` (an unknown start
 * never counts towards failover). A malformed `status.available` is left out rather than
 * failing the whole placement.
 */
export function clusterViewOf(cluster: Readonly<Cluster>, now: number): ClusterView {
  const spec = cluster.spec ?? {};
  const status = cluster.status ?? {};
  const readyCondition = status.conditions?.find((c) => c.type === ClusterConditions.Ready);
  const ready = readyCondition?.status === 'True';
  const view: ClusterView = {
    name: cluster.metadata.name ?? '',
    labels: { ...(cluster.metadata.labels ?? {}) },
    taints: (spec.taints ?? []).map((t) => ({ ...t })),
    ready,
    weight: typeof spec.weight === 'number' && Number.isFinite(spec.weight) ? spec.weight : 1,
  };
  if (spec.region) view.region = spec.region;
  if (spec.zone) view.zone = spec.zone;
  else if (spec.zones && spec.zones.length > 0) view.zone = spec.zones[0];
  if (spec.provider) view.provider = spec.provider;
  if (!ready) view.notReadySince = Math.min(now, parseTime(readyCondition?.lastTransitionTime) ?? now);
  if (status.available) {
    try {
      view.available = toAmounts(status.available);
    } catch {
      // A member reporting an unparsable quantity gets no capacity rather than breaking placement.
    }
  }
  if (status.nodeSummaries) view.nodes = status.nodeSummaries.map((n) => ({ ...n, allocatable: { ...n.allocatable }, free: { ...n.free } }));
  return view;
}
