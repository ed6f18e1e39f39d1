/**
 * The desired state per member cluster: which rendered objects each cluster should hold.
 * The binding controller writes it (one whole cluster set per template at a time); the
 * dispatcher reads it and turns changes into Apply and Delete messages.
 *
 * Invariant: an object leaves a cluster's set only when it was positively removed (its
 * template deleted, its policy no longer matching, the cluster left its placement). A
 * cluster being unreachable never removes anything, so nothing is deleted because a state
 * is unknown.
 */
import { parseApiVersion, type KubeObject } from '../../apimachinery/index.js';

/** Which object, enough to find it in a member's store (the protocol's ObjectRef). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `apiVersion:kind:namespace:name` — colons occur in none of the parts, so it splits back. */
export function refKey(ref: ObjectRef): string {
  return `${ref.apiVersion}:${ref.kind}:${ref.namespace ?? ''}:${ref.name}`;
}

/** Inverse of `refKey`. */
export function parseRefKey(key: string): ObjectRef {
  const [apiVersion = '', kind = '', namespace = '', name = ''] = key.split(':');
  return namespace ? { apiVersion, kind, namespace, name } : { apiVersion, kind, name };
}

/** The reference of an object. */
export function refOf(obj: Readonly<KubeObject>): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? '' };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** The group of a reference's apiVersion (`''` for core). */
export function refGroup(ref: Pick<ObjectRef, 'apiVersion'>): string {
  return parseApiVersion(ref.apiVersion).group;
}

/** One rendered object a cluster should hold. */
export interface DesiredObject {
  /** The object as the member should store it (marks included). */
  object: KubeObject;
  templateGeneration: number;
  templateUid: string;
  /** Take over an unmanaged object of the same name (conflictResolution: Overwrite). */
  overwrite?: boolean;
}

/** Called for every (cluster, object key) whose desired object changed, appeared or was removed. */
export type DesiredChangeListener = (cluster: string, key: string) => void;

/**
 * Order of a full resync: namespaces first, then what pods mount or run as, then Services,
 * then workloads (so a member never starts a pod whose ConfigMap has not arrived yet).
 */
export function syncRank(kind: string): number {
  switch (kind) {
    case 'Namespace':
      return 0;
    case 'ConfigMap':
    case 'Secret':
    case 'ServiceAccount':
      return 1;
    case 'Service':
      return 2;
    default:
      return 3;
  }
}

/** Keys sorted into resync order (by rank, then by key for determinism). */
export function inSyncOrder(keys: Iterable<string>): string[] {
  return [...keys]
    .map((key) => ({ key, rank: syncRank(parseRefKey(key).kind) }))
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((e) => e.key);
}

function sameDesired(a: DesiredObject, b: DesiredObject): boolean {
  return (
    a.templateGeneration === b.templateGeneration &&
    a.templateUid === b.templateUid &&
    Boolean(a.overwrite) === Boolean(b.overwrite) &&
    JSON.stringify(a.object) === JSON.stringify(b.object)
  );
}

/** The in-memory desired state of every cluster. */
export class DesiredState {
  private readonly byCluster = new Map<string, Map<string, DesiredObject>>();
  private readonly clustersByKey = new Map<string, Set<string>>();
  private readonly listeners = new Set<DesiredChangeListener>();

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: DesiredChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Sets the clusters object `key` should be in and its rendering for each; clusters not in
   * `perCluster` lose the object. Listeners hear only about real changes.
   */
  setObject(key: string, perCluster: ReadonlyMap<string, DesiredObject>): void {
    const before = this.clustersByKey.get(key) ?? new Set<string>();
    const changed: string[] = [];
    for (const cluster of before) {
      if (perCluster.has(cluster)) continue;
      this.byCluster.get(cluster)?.delete(key);
      changed.push(cluster);
    }
    for (const [cluster, desired] of perCluster) {
      let objects = this.byCluster.get(cluster);
      if (!objects) this.byCluster.set(cluster, (objects = new Map()));
      const old = objects.get(key);
      if (old && sameDesired(old, desired)) continue;
      objects.set(key, desired);
      changed.push(cluster);
    }
    if (perCluster.size === 0) this.clustersByKey.delete(key);
    else this.clustersByKey.set(key, new Set(perCluster.keys()));
    for (const cluster of changed) for (const l of [...this.listeners]) l(cluster, key);
  }

  /** The object `key` should be in `cluster`, if any. */
  get(cluster: string, key: string): DesiredObject | undefined {
    return this.byCluster.get(cluster)?.get(key);
  }

  /** Everything `cluster` should hold. */
  objectsOf(cluster: string): ReadonlyMap<string, DesiredObject> {
    return this.byCluster.get(cluster) ?? new Map();
  }

  /** The clusters object `key` is desired in. */
  clustersOf(key: string): string[] {
    return [...(this.clustersByKey.get(key) ?? [])];
  }

  /** Every object key with at least one cluster. */
  keys(): string[] {
    return [...this.clustersByKey.keys()];
  }
}
