/**
 * Objects the join flow writes straight into the Store (bootstrap-token Secrets, their
 * namespace, Cluster objects), with the server-owned metadata the gateway's create path
 * would set, so the gateway and its watchers cannot tell them apart from API-created ones.
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
} from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';

function resourceOf(kind: string): ResourceInfo {
  const r = builtinResources.find((x) => x.kind === kind);
  if (!r) throw new Error(`kind ${kind} is not a gateway resource`);
  return r;
}

/** The gateway's Secret resource. */
export const secretResource = resourceOf('Secret');
/** The gateway's Namespace resource. */
export const namespaceResource = resourceOf('Namespace');
/** The gateway's Cluster resource (`cluster.fedgate.io/v1alpha1`). */
export const clusterResource = resourceOf('Cluster');

/** Store key of the Cluster object of `name`. */
export function clusterKey(name: string): string {
  return storeKey(clusterResource, undefined, name);
}

/** Kubernetes timestamps are RFC 3339 with second precision. */
export function formatTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The store key of an object of `r`. */
export function keyOf(r: ResourceInfo, obj: Pick<KubeObject, 'metadata'>): string {
  return storeKey(r, obj.metadata.namespace, obj.metadata.name ?? '');
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

/** The `fedgate-system` Namespace as the gateway would store it (Active, with its finalizer). */
export function systemNamespaceObject(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: SYSTEM_NAMESPACE },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Creates the `fedgate-system` namespace unless it exists. */
export async function ensureSystemNamespace(store: Store, now: Date): Promise<void> {
  try {
    await createStoredObject(store, namespaceResource, systemNamespaceObject(), now);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
