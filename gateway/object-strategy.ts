/**
 * What the server decides about an object on create, update and delete — after
 * kube-apiserver's per-kind REST strategies: system metadata is the server's, `status` is
 * written only through `/status`, and `generation` moves only when the resource's
 * `generationFields` (normally `spec`) change. Pure functions: data in, data out.
 */
import { isDeepStrictEqual } from 'node:util';
import { deepCopy, formatTimestamp, type KubeObject, type ResourceInfo, type StatusCause } from '../apimachinery/index.js';

/** The finalizer every namespace carries in `spec.finalizers` until its contents are gone. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** Subresources a write can target; undefined is the main endpoint. */
export type WriteTarget = undefined | 'status' | 'finalize';

/** Kubernetes' timestamp form (one definition, in apimachinery). */
export { formatTimestamp };

/** True for the core `namespaces` resource, whose deletion has its own lifecycle. */
export function isNamespaceResource(r: Pick<ResourceInfo, 'group' | 'plural'>): boolean {
  return r.group === '' && r.plural === 'namespaces';
}

function specOf(obj: KubeObject): Record<string, unknown> {
  const spec = obj.spec;
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
}

/** A namespace's `spec.finalizers`. */
export function namespaceFinalizers(obj: KubeObject): string[] {
  const f = specOf(obj)['finalizers'];
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

/** True when an object must stay after delete until finalizers are removed. */
export function hasPendingFinalizers(r: ResourceInfo, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return true;
  return isNamespaceResource(r) && namespaceFinalizers(obj).length > 0;
}

/** True when the object was deleted and waits for its finalizers. */
export function isTerminating(obj: KubeObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined;
}

/** True when any of the resource's generation fields differ between the two objects. */
export function generationChanged(r: Pick<ResourceInfo, 'generationFields'>, oldObj: KubeObject, newObj: KubeObject): boolean {
  return r.generationFields.some((f) => !isDeepStrictEqual(oldObj[f], newObj[f]));
}

/** The stored form drops `metadata.resourceVersion`: the store's modRevision is the version. */
export function withoutResourceVersion(obj: KubeObject): KubeObject {
  const out = deepCopy(obj);
  delete out.metadata.resourceVersion;
  return out;
}

/** Context a create needs from outside the object. */
export interface CreateContext {
  now: Date;
  uid: string;
}

/**
 * The object as first stored: server-owned metadata set, status reset for kinds with a
 * status subresource (namespaces start `Active` with the `kubernetes` finalizer).
 */
export function prepareForCreate(r: ResourceInfo, obj: KubeObject, ctx: CreateContext): KubeObject {
  const out = withoutResourceVersion(obj);
  const meta = out.metadata;
  meta.uid = ctx.uid;
  meta.creationTimestamp = formatTimestamp(ctx.now);
  meta.generation = 1;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (r.hasStatus) delete out.status;
  if (isNamespaceResource(r)) {
    const spec = { ...specOf(out) };
    const finalizers = namespaceFinalizers(out);
    spec['finalizers'] = finalizers.includes(NAMESPACE_FINALIZER) ? finalizers : [...finalizers, NAMESPACE_FINALIZER];
    out.spec = spec;
    out.status = { phase: 'Active' };
  }
  return out;
}

/**
 * The object to store for a write of `next` over `old`: on the main endpoint everything
 * but status and server-owned metadata; on `/status` only status; on a namespace's
 * `/finalize` only `spec.finalizers`. `generation` is bumped when a generation field changed.
 */
export function prepareForUpdate(r: ResourceInfo, oldObj: KubeObject, next: KubeObject, target: WriteTarget): KubeObject {
  let out: KubeObject;
  if (target === 'status') {
    out = withoutResourceVersion(oldObj);
    if (next.status === undefined) delete out.status;
    else out.status = deepCopy(next.status);
    return out;
  }
  if (target === 'finalize') {
    out = withoutResourceVersion(oldObj);
    out.spec = { ...specOf(out), finalizers: namespaceFinalizers(next) };
    return out;
  }
  out = withoutResourceVersion(next);
  const meta = out.metadata;
  const old = oldObj.metadata;
  meta.name = old.name;
  if (old.namespace !== undefined) meta.namespace = old.namespace;
  else delete meta.namespace;
  for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (old[field] === undefined) delete meta[field];
    else (meta as Record<string, unknown>)[field] = old[field];
  }
  if (r.hasStatus) {
    if (oldObj.status === undefined) delete out.status;
    else out.status = deepCopy(oldObj.status);
  }
  if (isNamespaceResource(r)) {
    out.spec = { ...specOf(out), finalizers: namespaceFinalizers(oldObj) };
  }
  const generation = old.generation ?? 1;
  meta.generation = generationChanged(r, oldObj, out) ? generation + 1 : generation;
  return out;
}

/** Field causes of an update that Kubernetes refuses regardless of the schema. */
export function validateUpdate(oldObj: KubeObject, next: KubeObject): StatusCause[] {
  if (!isTerminating(oldObj)) return [];
  const had = new Set(oldObj.metadata.finalizers ?? []);
  const added = (next.metadata.finalizers ?? []).filter((f) => !had.has(f));
  if (added.length === 0) return [];
  return [
    {
      reason: 'FieldValueForbidden',
      field: 'metadata.finalizers',
      message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
    },
  ];
}

/** The object marked for deletion: `deletionTimestamp` set, a namespace `Terminating`. */
export function markDeleting(r: ResourceInfo, obj: KubeObject, now: Date): KubeObject {
  const out = withoutResourceVersion(obj);
  out.metadata.deletionTimestamp = formatTimestamp(now);
  out.metadata.deletionGracePeriodSeconds = 0;
  if (isNamespaceResource(r)) {
    const status = typeof out.status === 'object' && out.status !== null ? (out.status as Record<string, unknown>) : {};
    out.status = { ...status, phase: 'Terminating' };
  }
  return out;
}

/** True when a write changes nothing worth a new revision. */
export function sameStoredObject(a: KubeObject, b: KubeObject): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(withoutResourceVersion(a))), JSON.parse(JSON.stringify(withoutResourceVersion(b))));
}
