/**
 * The filter step of placement: which clusters a policy may use at all, and for every other
 * cluster the reason in words (Karmada's `ClusterAffinity`, `TaintToleration` and failover
 * plug-ins, `pkg/scheduler/framework/plugins`). The same affinity matching also decides
 * which override rules target a cluster.
 */
import {
  labelSelectorFromObject,
  type ClusterAffinity,
  type ClusterTaint,
  type ClusterToleration,
  type PropagationPolicy,
} from '../../apimachinery/index.js';
import type { ClusterView } from './cluster-view.js';

/** How long a cluster may be NotReady before placement moves away from it, when a policy says nothing. */
export const DEFAULT_FAILOVER_TOLERATION_SECONDS = 30;

/** A cluster left out of a placement and why, in words a user understands. */
export interface Exclusion {
  name: string;
  reason: string;
}

const FIELD_KEYS = ['region', 'zone', 'provider'] as const;

function list(values: readonly string[] | undefined): string {
  return `[${(values ?? []).join(', ')}]`;
}

/**
 * Why `affinity` does not select `cluster`, or undefined when it does. A missing affinity
 * selects every cluster; within one, every given term must hold.
 */
export function clusterAffinityReason(affinity: ClusterAffinity | undefined, cluster: ClusterView): string | undefined {
  if (!affinity) return undefined;
  if (affinity.exclude?.includes(cluster.name)) return 'excluded by name';
  if (affinity.clusterNames && affinity.clusterNames.length > 0 && !affinity.clusterNames.includes(cluster.name)) {
    return 'not in clusterNames';
  }
  if (affinity.labelSelector) {
    let matches: boolean;
    try {
      matches = labelSelectorFromObject(affinity.labelSelector).matches(cluster.labels);
    } catch (err) {
      return `invalid label selector: ${(err as Error).message}`;
    }
    if (!matches) return 'label selector does not match';
  }
  for (const expr of affinity.fieldSelector?.matchExpressions ?? []) {
    if (!(FIELD_KEYS as readonly string[]).includes(expr.key)) return `unsupported field selector key ${JSON.stringify(expr.key)} (region, zone or provider)`;
    const actual = cluster[expr.key as (typeof FIELD_KEYS)[number]];
    const shown = actual ?? '(none)';
    const inValues = actual !== undefined && (expr.values ?? []).includes(actual);
    if (expr.operator === 'In' && !inValues) return `${expr.key} ${shown} not in ${list(expr.values)}`;
    if (expr.operator === 'NotIn' && inValues) return `${expr.key} ${shown} is in excluded ${list(expr.values)}`;
    if (expr.operator !== 'In' && expr.operator !== 'NotIn') return `unsupported field selector operator ${JSON.stringify(expr.operator)}`;
  }
  return undefined;
}

/** True when `affinity` selects `cluster` (a missing affinity selects every cluster). */
export function clusterAffinityMatches(affinity: ClusterAffinity | undefined, cluster: ClusterView): boolean {
  return clusterAffinityReason(affinity, cluster) === undefined;
}

/** corev1 Toleration.ToleratesTaint: effect, key and (for Equal) value must match. */
export function toleratesTaint(toleration: ClusterToleration, taint: ClusterTaint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  // An empty key is only meaningful with Exists.
  if (!toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** `key=value:Effect` (or `key:Effect`), as kubectl prints a taint. */
export function formatTaint(taint: ClusterTaint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

/** The first NoSchedule/NoExecute taint of `cluster` no toleration tolerates, or undefined. */
export function untoleratedTaint(taints: readonly ClusterTaint[], tolerations: readonly ClusterToleration[] | undefined): ClusterTaint | undefined {
  return taints.find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !(tolerations ?? []).some((tol) => toleratesTaint(tol, t)),
  );
}

/** Seconds a cluster may stay NotReady before `policy` moves its replicas away. */
export function failoverTolerationSeconds(policy: PropagationPolicy): number {
  const f = policy.spec.failover;
  const s = f?.tolerationSeconds ?? f?.application?.decisionConditions?.tolerationSeconds ?? DEFAULT_FAILOVER_TOLERATION_SECONDS;
  return Number.isFinite(s) && s >= 0 ? s : DEFAULT_FAILOVER_TOLERATION_SECONDS;
}

/**
 * True when `cluster` has been NotReady for longer than `policy` tolerates at `now` (ms):
 * what a caller puts in `ScheduleInput.unavailable`.
 */
export function failedOver(cluster: ClusterView, policy: PropagationPolicy, now: number): boolean {
  if (cluster.ready || cluster.notReadySince === undefined) return false;
  return now - cluster.notReadySince > failoverTolerationSeconds(policy) * 1000;
}

/** The reason a failed-over cluster is left out. */
export function failoverReason(policy: PropagationPolicy): string {
  return `failover: cluster NotReady for more than ${failoverTolerationSeconds(policy)}s`;
}

/**
 * Splits `clusters` into those `policy` may use and the others with their reasons. A
 * NotReady cluster stays eligible until it is listed in `unavailable`: an unknown state never
 * moves or deletes workloads.
 */
export function filterClusters(
  policy: PropagationPolicy,
  clusters: readonly ClusterView[],
  unavailable: ReadonlySet<string> = new Set(),
): { eligible: ClusterView[]; excluded: Exclusion[] } {
  const placement = policy.spec.placement ?? {};
  const eligible: ClusterView[] = [];
  const excluded: Exclusion[] = [];
  for (const cluster of clusters) {
    const affinityWhy = clusterAffinityReason(placement.clusterAffinity, cluster);
    if (affinityWhy !== undefined) {
      excluded.push({ name: cluster.name, reason: affinityWhy });
      continue;
    }
    const taint = untoleratedTaint(cluster.taints, placement.clusterTolerations);
    if (taint) {
      excluded.push({ name: cluster.name, reason: `untolerated taint ${formatTaint(taint)}` });
      continue;
    }
    if (unavailable.has(cluster.name)) {
      excluded.push({ name: cluster.name, reason: failoverReason(policy) });
      continue;
    }
    eligible.push(cluster);
  }
  return { eligible, excluded };
}
