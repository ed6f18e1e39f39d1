/**
 * Small readings of ObjectMeta that controllers and the gateway share: deletion in
 * progress, finalizers, and the controller owner reference (metav1.GetControllerOf,
 * metav1.NewControllerRef).
 */
import type { KubeObject, ObjectMeta, OwnerReference } from './object.js';

/** True once a delete was accepted but finalizers still hold the object (deletionTimestamp set). */
export function isBeingDeleted(obj: { metadata: Pick<ObjectMeta, 'deletionTimestamp'> }): boolean {
  return obj.metadata.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== '';
}

/** True when `finalizer` is listed in the object's finalizers. */
export function hasFinalizer(obj: { metadata: Pick<ObjectMeta, 'finalizers'> }, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

/** The owner reference with `controller: true`, if any: the object that manages this one. */
export function controllerOf(obj: { metadata: Pick<ObjectMeta, 'ownerReferences'> }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** A controller owner reference to `owner`, blocking the owner's foreground deletion as Kubernetes does. */
export function newControllerRef(owner: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): OwnerReference {
  const { name, uid } = owner.metadata;
  if (!name || !uid) throw new Error(`controller reference needs the owner's name and uid (got ${name ?? '?'}/${uid ?? '?'})`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** Kubernetes' timestamp form (metav1.Time): RFC 3339 in UTC with second precision. */
export function formatTimestamp(t: Date | number): string {
  return (typeof t === 'number' ? new Date(t) : t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A duration as kubectl prints ages (k8s.io/apimachinery/pkg/util/duration.HumanDuration):
 * `45s`, `3m20s`, `12m`, `5h3m`, `20h`, `3d4h`, `30d`, `2y45d`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
