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
