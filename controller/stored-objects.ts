/**
 * Objects written straight into the Store rather than through the API server (bootstrap
 * roles and user-token Secrets of auth/, bootstrap-token Secrets and Cluster objects of the
 * join flow, the `fedgate-system` namespace), with the server-owned metadata the API
 * server's create path sets, so clients and watchers cannot tell them from API-created ones.
 */
import { randomUUID } from 'node:crypto';
import {
  builtinResources,
  deepCopy,
  isAlreadyExists,
  storeKey,
  SYSTEM_NAMESPACE,
  type KubeObject,
  type ResourceInfo,
  formatTimestamp,
} from '../apimachinery/index.js';
import type { KV, Store } from '../store/index.js';

/** The served resource of a kind (core or RBAC), by kind name. */
export function resourceOfKind(kind: string): ResourceInfo {
  const r = builtinResources.find((x) => x.kind === kind);
  if (!r) throw new Error(`kind ${kind} is not served`);
  return r;
}

/** Kubernetes' timestamp form (one definition, in apimachinery). */
export { formatTimestamp };

/** The store key of an object of `r`. */
export function keyOf(r: ResourceInfo, obj: Pick<KubeObject, 'metadata'>): string {
  return storeKey(r, obj.metadata.namespace, obj.metadata.name ?? '');
}

/** Parses a stored value with its resourceVersion (the key's modRevision). */
export function decodeStored<T extends KubeObject>(kv: KV): T {
  const obj = JSON.parse(kv.value) as T;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return obj;
}

/**
 * Creates `obj` at its store key with a fresh uid, creationTimestamp and generation 1
 * (resourceVersion is never stored: it is the modRevision). AlreadyExists when present.
 */
export async function createStoredObject(store: Store, r: ResourceInfo, obj: KubeObject, now: Date): Promise<number> {
  const out = deepCopy(obj);
  delete out.metadata.resourceVersion;
  out.metadata.uid = randomUUID();
  out.metadata.creationTimestamp = formatTimestamp(now);
  out.metadata.generation = 1;
  return store.create(keyOf(r, out), JSON.stringify(out));
}

/** Replaces the stored object read at `modRevision` (compare-and-swap; Conflict when it moved). */
export async function updateStoredObject(store: Store, r: ResourceInfo, obj: KubeObject, modRevision: number): Promise<number> {
  const out = deepCopy(obj);
  delete out.metadata.resourceVersion;
  return store.update(keyOf(r, out), JSON.stringify(out), modRevision);
}

/** The `fedgate-system` Namespace as the API server would store it (Active, with its finalizer). */
export function systemNamespaceObject(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: SYSTEM_NAMESPACE },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Creates the `fedgate-system` Namespace unless it exists. */
export async function ensureSystemNamespace(store: Store, now: Date): Promise<void> {
  try {
    await createStoredObject(store, resourceOfKind('Namespace'), systemNamespaceObject(), now);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
