/**
 * A real SQLite store with the bootstrap policy, shared informers over it, and the RBAC
 * authorizer reading them; objects are written straight into the store (as the API server
 * stores them) and `settle()` waits until every informer has applied the latest write.
 */
import { randomUUID } from 'node:crypto';
import {
  RBAC_API_VERSION,
  RBAC_GROUP,
  ResourceRegistry,
  storeKey,
  type KubeObject,
  type PolicyRule,
  type ResourceInfo,
  type Subject,
  type UserInfo,
} from '../../../apimachinery/index.js';
import { ensureBootstrapPolicy, RbacAuthorizer } from '../../../auth/index.js';
import { SharedInformerFactory, silentLogger, type Informer } from '../../../controller/index.js';
import { openStore, type Store } from '../../../store/index.js';

/** Lets watch deliveries and promise callbacks run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A user as an authenticator would produce it. */
export function user(username: string, ...groups: string[]): UserInfo {
  return { username, groups: [...groups, 'system:authenticated'] };
}

/** A subject of a binding. */
export const subject = {
  user: (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name }),
  group: (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name }),
  serviceAccount: (name: string, namespace?: string): Subject => (namespace ? { kind: 'ServiceAccount', name, namespace } : { kind: 'ServiceAccount', name }),
};

export class RbacFixture {
  readonly registry = new ResourceRegistry();
  store!: Store;
  factory!: SharedInformerFactory;
  authorizer!: RbacAuthorizer;
  private readonly watched: Informer[] = [];

  /** Opens the store, writes the bootstrap policy, starts the informers and waits for them. */
  async start(): Promise<this> {
    this.store = await openStore('sqlite::memory:');
    await ensureBootstrapPolicy(this.store);
    this.factory = new SharedInformerFactory(this.store, this.registry, { logger: silentLogger });
    this.authorizer = new RbacAuthorizer(this.factory);
    for (const r of ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']) this.watched.push(this.factory.informerFor(`${r}.${RBAC_GROUP}`));
    this.factory.start();
    await this.factory.waitForSync();
    return this;
  }

  async stop(): Promise<void> {
    this.factory?.stop();
    await this.store?.close();
  }

  private resource(kind: string): ResourceInfo {
    const r = this.registry.list().find((x) => x.kind === kind);
    if (!r) throw new Error(`no kind ${kind}`);
    return r;
  }

  /** Creates an object with server metadata and waits until the informers saw it. */
  async create(obj: KubeObject): Promise<void> {
    const stored = { ...obj, metadata: { ...obj.metadata, uid: randomUUID(), creationTimestamp: '2024-01-01T00:00:00Z' } };
    await this.store.create(storeKey(this.resource(obj.kind), obj.metadata.namespace, obj.metadata.name ?? ''), JSON.stringify(stored));
    await this.settle();
  }

  /** Deletes an object and waits until the informers saw it. */
  async delete(kind: string, namespace: string | undefined, name: string): Promise<void> {
    await this.store.delete(storeKey(this.resource(kind), namespace, name));
    await this.settle();
  }

  /** Waits until every RBAC informer reflects the store's current revision (or saw every event for its prefix). */
  async settle(): Promise<void> {
    const rev = await this.store.currentRevision();
    for (let i = 0; i < 1000; i++) {
      // An informer's revision moves only with events of its own prefix; the write under test is in one of them.
      if (this.watched.some((inf) => Number(inf.lastSyncResourceVersion()) >= rev)) return;
      await tick();
    }
    throw new Error(`informers did not reach revision ${rev}`);
  }

  role(namespace: string, name: string, rules: PolicyRule[]): KubeObject {
    return { apiVersion: RBAC_API_VERSION, kind: 'Role', metadata: { name, namespace }, rules };
  }

  clusterRole(name: string, rules: PolicyRule[]): KubeObject {
    return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: { name }, rules };
  }

  roleBinding(namespace: string, name: string, roleKind: 'Role' | 'ClusterRole', role: string, subjects: Subject[]): KubeObject {
    return { apiVersion: RBAC_API_VERSION, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: role }, subjects };
  }

  clusterRoleBinding(name: string, role: string, subjects: Subject[]): KubeObject {
    return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role }, subjects };
  }
}
