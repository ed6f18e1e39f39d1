/**
 * The arithmetic of Deployment rollouts, pure (kubernetes pkg/controller/deployment/util/
 * deployment_util.go): surge and unavailability fenceposts, how far the new ReplicaSet may
 * grow, how far old ones may shrink, revisions and completeness.
 */
import type { Deployment, ReplicaSet } from '../api-types.js';

/** Default maxSurge and maxUnavailable of a RollingUpdate strategy. */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
/** Old ReplicaSets kept for rollback when `revisionHistoryLimit` is unset. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
/** Annotation with a ReplicaSet's (and its Deployment's) rollout revision. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Annotation with the Deployment replicas a ReplicaSet was last sized for. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** Annotation with replicas + maxSurge at that time. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, a percentage of `total` rounded up
 * or down. A malformed value is treated as 0.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Math.max(0, Math.trunc(value));
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) {
    const n = Number(value);
    return Number.isInteger(n) && n >= 0 ? n : 0;
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * deploymentutil.ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down; when
 * both come out 0 (which validation forbids for explicit values but rounding can produce),
 * maxUnavailable becomes 1 so the rollout can move at all.
 */
export function resolveFenceposts(d: Readonly<Deployment>): { maxSurge: number; maxUnavailable: number } {
  const desired = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge ?? DEFAULT_MAX_SURGE, desired, true);
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** True for the RollingUpdate strategy (the default). */
export function isRollingUpdate(d: Readonly<Deployment>): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** deploymentutil.MaxUnavailable: 0 for Recreate or no replicas, at most replicas. */
export function maxUnavailable(d: Readonly<Deployment>): number {
  const replicas = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicas);
}

/** deploymentutil.MaxSurge: 0 for Recreate. */
export function maxSurge(d: Readonly<Deployment>): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).maxSurge : 0;
}

/** Sum of `spec.replicas`. */
export function specReplicas(rss: readonly Readonly<ReplicaSet>[]): number {
  return rss.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
}

/** Sum of `status.replicas`. */
export function actualReplicas(rss: readonly Readonly<ReplicaSet>[]): number {
  return rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
}

/** Sum of `status.readyReplicas`. */
export function readyReplicas(rss: readonly Readonly<ReplicaSet>[]): number {
  return rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
}

/** Sum of `status.availableReplicas`. */
export function availableReplicas(rss: readonly Readonly<ReplicaSet>[]): number {
  return rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
}

/**
 * deploymentutil.NewRSNewReplicas: the new ReplicaSet's size this step. RollingUpdate grows
 * it while all pods stay within replicas + maxSurge; Recreate sizes it at once.
 */
export function newRSNewReplicas(d: Readonly<Deployment>, all: readonly Readonly<ReplicaSet>[], newRS: Readonly<ReplicaSet>): number {
  const replicas = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d)) return replicas;
  const current = specReplicas(all);
  const maxTotal = replicas + maxSurge(d);
  const newReplicas = newRS.spec.replicas ?? 0;
  if (current >= maxTotal) return newReplicas;
  const up = Math.min(maxTotal - current, Math.max(0, replicas - newReplicas));
  return newReplicas + up;
}

/** The revision of a ReplicaSet from its annotation; 0 when absent. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const n = Number(obj.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * deploymentutil.DeploymentComplete: every replica updated and available, none extra, and
 * the status is for the current generation.
 */
export function deploymentComplete(d: Readonly<Deployment>, status: Readonly<NonNullable<Deployment['status']>>): boolean {
  const replicas = d.spec.replicas ?? 1;
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}
