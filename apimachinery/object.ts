/**
 * The object model: TypeMeta, ObjectMeta and the generic object shape every served kind
 * shares. Kind-specific `spec`/`status` stay untyped here; schemas validate them.
 */

/** metav1.OwnerReference. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.ObjectMeta, the fields fedgate keeps. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/** metav1.TypeMeta. */
export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

/** Any served object. `spec` and `status` are validated per kind by schema. */
export interface KubeObject<Spec = unknown, Status = unknown> extends TypeMeta {
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  /** ConfigMap/Secret and other kinds carry top-level fields besides spec/status. */
  [field: string]: unknown;
}

/** metav1.ListMeta. */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A `<Kind>List` response. */
export interface KubeList<T extends KubeObject = KubeObject> extends TypeMeta {
  metadata: ListMeta;
  items: T[];
}

/** Watch event types, as on the wire. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream: `{type, object}`. */
export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** Splits `apps/v1` into group `apps` and version `v1`; `v1` is the core group `''`. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Joins group and version back into an apiVersion. */
export function formatApiVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the work-queue key. */
export function objectKey(meta: Pick<ObjectMeta, 'name' | 'namespace'>): string {
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ''}` : (meta.name ?? '');
}

/** Inverse of `objectKey`. */
export function splitObjectKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Deep copy of a JSON-shaped object; cached objects are never edited in place. */
export function deepCopy<T>(obj: T): T {
  return structuredClone(obj);
}
