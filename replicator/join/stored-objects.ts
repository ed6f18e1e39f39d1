/**
 * Objects the join flow writes straight into the Store (bootstrap-token Secrets, their
 * namespace, Cluster objects), with the server-owned metadata the gateway's create path
 * would set, so the gateway and its watchers cannot tell them apart from API-created ones.
 */
import { storeKey } from '../../apimachinery/index.js';
import { resourceOfKind } from '../../controller/index.js';

/** The gateway's Secret resource. */
export const secretResource = resourceOfKind('Secret');
/** The gateway's Namespace resource. */
export const namespaceResource = resourceOfKind('Namespace');
/** The gateway's Cluster resource (`cluster.fedgate.io/v1alpha1`). */
export const clusterResource = resourceOfKind('Cluster');

/** Store key of the Cluster object of `name`. */
export function clusterKey(name: string): string {
  return storeKey(clusterResource, undefined, name);
}

export { createStoredObject, ensureSystemNamespace, formatTimestamp, keyOf, systemNamespaceObject } from '../../controller/index.js';
