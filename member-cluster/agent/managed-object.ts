/**
 * What the member does with a rendered object from the gateway, as pure functions: which
 * objects count as fedgate's (the managed mark), the object first stored on create, and the
 * object stored on update — the gateway's desired content merged over what the member keeps
 * as its own (status, uid, timestamps, finalizers, owners, the addresses its service proxy
 * allocated, and labels and annotations its controllers added).
 *
 * Labels and annotations merge three-way, as `kubectl apply` does with its last-applied
 * configuration: the keys the gateway set last time are recorded in
 * `APPLIED_KEYS_ANNOTATION`, so a key the gateway stops sending is removed while a key a
 * member controller added (`deployment.kubernetes.io/revision`) stays. Without this, every
 * re-apply would erase the controllers' marks and they would write them back: the same
 * Apply twice would not be idempotent.
 */
import {
  deepCopy,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type KubeObject,
  type ObjectMeta,
  type ResourceInfo,
} from '../../apimachinery/index.js';

/** Annotation on every applied object: the label and annotation keys the gateway set (JSON). */
export const APPLIED_KEYS_ANNOTATION = 'fedgate.io/applied-keys';

/** The finalizer a namespace keeps in `spec.finalizers` until its contents are gone. */
const NAMESPACE_FINALIZER = 'kubernetes';

/**
 * Kinds whose objects the member derives from others without an owner reference: an
 * Endpoints copies its Service's labels (managed mark included), an Event records what
 * happened. They are never fedgate's to prune or report.
 */
const DERIVED_KINDS: ReadonlySet<string> = new Set(['/Endpoints', '/Event', 'events.k8s.io/Event', 'discovery.k8s.io/EndpointSlice']);

/** Metadata the member owns: whatever the gateway sends for these is ignored. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'finalizers',
  'managedFields',
  'generateName',
] as const;

/** Label and annotation keys the gateway set on an object. */
export interface AppliedKeys {
  labels: string[];
  annotations: string[];
}

/** True when the object carries fedgate's managed mark. */
export function isManaged(obj: Pick<KubeObject, 'metadata'>): boolean {
  return obj.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/**
 * True when the object is fedgate's own in the member: it carries the mark, no other object
 * owns it (a pod template may carry the mark on to pods), and its kind is not one the member
 * derives from others.
 */
export function isOwnManaged(r: Pick<ResourceInfo, 'group' | 'kind'>, obj: Pick<KubeObject, 'metadata'>): boolean {
  return isManaged(obj) && (obj.metadata.ownerReferences?.length ?? 0) === 0 && !isDerivedKind(r);
}

/** True for kinds the member derives from other objects (Endpoints, Events). */
export function isDerivedKind(r: Pick<ResourceInfo, 'group' | 'kind'>): boolean {
  return DERIVED_KINDS.has(`${r.group}/${r.kind}`);
}

/** The recorded applied keys of an object; none when absent or unreadable. */
export function appliedKeysOf(meta: Pick<ObjectMeta, 'annotations'>): AppliedKeys {
  const raw = meta.annotations?.[APPLIED_KEYS_ANNOTATION];
  if (!raw) return { labels: [], annotations: [] };
  try {
    const parsed = JSON.parse(raw) as Partial<AppliedKeys>;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { labels: strings(parsed.labels), annotations: strings(parsed.annotations) };
  } catch {
    return { labels: [], annotations: [] };
  }
}

/**
 * The rendered object as the gateway means it: server-owned metadata dropped, the managed
 * mark set, and the keys it sets recorded. `status` is dropped too: the member's
 * controllers own it.
 */
export function desiredObject(rendered: KubeObject): KubeObject {
  const out = deepCopy(rendered);
  delete out.status;
  const meta = out.metadata ?? {};
  out.metadata = meta;
  for (const field of SERVER_METADATA) delete meta[field];
  meta.labels = { ...meta.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  const annotations = { ...meta.annotations };
  delete annotations[APPLIED_KEYS_ANNOTATION];
  const keys: AppliedKeys = { labels: Object.keys(meta.labels).sort(), annotations: Object.keys(annotations).sort() };
  annotations[APPLIED_KEYS_ANNOTATION] = JSON.stringify(keys);
  meta.annotations = annotations;
  return out;
}

function isNamespace(r: Pick<ResourceInfo, 'group' | 'kind'>): boolean {
  return r.group === '' && r.kind === 'Namespace';
}

function isService(r: Pick<ResourceInfo, 'group' | 'kind'>): boolean {
  return r.group === '' && r.kind === 'Service';
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * The object to create from a desired object (uid, timestamps and generation are the
 * writer's): a namespace starts `Active` with the `kubernetes` finalizer, as the API server
 * creates it.
 */
export function objectForCreate(r: Pick<ResourceInfo, 'group' | 'kind'>, desired: KubeObject): KubeObject {
  const out = deepCopy(desired);
  if (isNamespace(r)) {
    const spec = record(out.spec);
    const finalizers = Array.isArray(spec['finalizers']) ? (spec['finalizers'] as string[]) : [];
    out.spec = { ...spec, finalizers: finalizers.includes(NAMESPACE_FINALIZER) ? finalizers : [...finalizers, NAMESPACE_FINALIZER] };
    out.status = { phase: 'Active' };
  }
  return out;
}

/** `current` with `desired` keys set, keys the gateway set before but no longer does removed, others kept. */
function mergeKeys(
  current: Record<string, string> | undefined,
  desired: Record<string, string> | undefined,
  previouslyApplied: readonly string[],
): Record<string, string> | undefined {
  const out: Record<string, string> = { ...current };
  for (const key of previouslyApplied) delete out[key];
  Object.assign(out, desired);
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Merges a desired object into the stored one, in place: every top-level field but
 * `status` comes from the gateway; metadata keeps the member's uid, timestamps, generation,
 * finalizers and owners; labels and annotations merge three-way (see the module doc). A
 * Service keeps the cluster IP its member allocated unless the gateway asks for one; a
 * namespace keeps its finalizers. `generation` is left for the writer to move.
 */
export function mergeIntoStored(r: Pick<ResourceInfo, 'group' | 'kind'>, stored: KubeObject, desired: KubeObject): void {
  const before = { spec: record(stored.spec) };
  const applied = appliedKeysOf(stored.metadata);
  for (const key of Object.keys(stored)) {
    if (key !== 'metadata' && key !== 'status' && key !== 'apiVersion' && key !== 'kind') delete stored[key];
  }
  for (const [key, value] of Object.entries(desired)) {
    if (key !== 'metadata' && key !== 'status') stored[key] = deepCopy(value);
  }
  const meta = stored.metadata;
  const labels = mergeKeys(meta.labels, desired.metadata.labels, applied.labels);
  const annotations = mergeKeys(meta.annotations, desired.metadata.annotations, applied.annotations);
  if (labels) meta.labels = labels;
  else delete meta.labels;
  if (annotations) meta.annotations = annotations;
  else delete meta.annotations;

  if (isService(r)) {
    const spec = record(stored.spec);
    if (spec['clusterIP'] === undefined && before.spec['clusterIP'] !== undefined) {
      stored.spec = { ...spec, clusterIP: before.spec['clusterIP'], ...(before.spec['clusterIPs'] !== undefined ? { clusterIPs: before.spec['clusterIPs'] } : {}) };
    }
  }
  if (isNamespace(r)) {
    const finalizers = before.spec['finalizers'];
    const spec = { ...record(stored.spec) };
    if (finalizers === undefined) delete spec['finalizers'];
    else spec['finalizers'] = finalizers;
    stored.spec = spec;
  }
}

/** Removes fedgate's mark and applied-keys record, in place: the object becomes the member's own. */
export function releaseObject(obj: KubeObject): void {
  const meta = obj.metadata;
  if (meta.labels) {
    delete meta.labels[MANAGED_BY_LABEL];
    if (Object.keys(meta.labels).length === 0) delete meta.labels;
  }
  if (meta.annotations) {
    delete meta.annotations[APPLIED_KEYS_ANNOTATION];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
}
