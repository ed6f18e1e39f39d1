/**
 * Readings of a Pod that the workload controllers share (k8s.io/kubernetes
 * pkg/api/v1/pod/util.go and pkg/controller/controller_utils.go): readiness, availability
 * after minReadySeconds, active versus terminal, and the deletion ranking of ActivePods.
 */
import type { Pod } from '../api-types.js';
import { parseTimestamp } from './object-writer.js';

/** True when the pod's `Ready` condition is `True` (podutil.IsPodReady). */
export function isPodReady(pod: Readonly<Pod>): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Ready for at least `minReadySeconds` by the Ready condition's lastTransitionTime
 * (podutil.IsPodAvailable); with 0, ready is available.
 */
export function isPodAvailable(pod: Readonly<Pod>, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const since = parseTimestamp(ready?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 <= nowMs;
}

/** Milliseconds until a ready pod becomes available; undefined when not ready or already available. */
export function msUntilAvailable(pod: Readonly<Pod>, minReadySeconds: number, nowMs: number): number | undefined {
  if (!isPodReady(pod) || minReadySeconds <= 0) return undefined;
  const since = parseTimestamp(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) ?? nowMs;
  const left = since + minReadySeconds * 1000 - nowMs;
  return left > 0 ? left : undefined;
}

/** True once deletion of the pod was requested. */
export function isPodTerminating(pod: Readonly<Pod>): boolean {
  return Boolean(pod.metadata.deletionTimestamp);
}

/** Succeeded or Failed: the pod will never run again. */
export function isPodTerminal(pod: Readonly<Pod>): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Neither terminal nor terminating (controller.IsPodActive): counts toward a controller's replicas. */
export function isPodActive(pod: Readonly<Pod>): boolean {
  return !isPodTerminal(pod) && !isPodTerminating(pod);
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Readonly<Pod>): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => Math.max(n, c.restartCount), 0);
}

/**
 * Orders pods so the ones to delete first come first (controller.ActivePods' Less):
 * unscheduled before scheduled, Pending < Unknown < Running, not ready before ready, ready
 * for less time before longer, more restarts before fewer, newer before older.
 */
export function compareForDeletion(a: Readonly<Pod>, b: Readonly<Pod>): number {
  const sa = a.spec.nodeName ? 1 : 0;
  const sb = b.spec.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (ra === 1) {
    const ta = parseTimestamp(a.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) ?? 0;
    const tb = parseTimestamp(b.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) ?? 0;
    if (ta !== tb) return tb - ta;
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ca = parseTimestamp(a.metadata.creationTimestamp) ?? 0;
  const cb = parseTimestamp(b.metadata.creationTimestamp) ?? 0;
  if (ca !== cb) return cb - ca;
  return (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
}
