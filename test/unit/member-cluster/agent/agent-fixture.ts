/**
 * A member store for agent tests: in-memory SQLite with the member's registry, objects as a
 * gateway would render them, and reads straight from the store.
 */
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  resourcePrefix,
  storeKey,
  type KubeObject,
  type ResourceRegistry,
} from '../../../../apimachinery/index.js';
import { MemberCluster } from '../../../../member-cluster/index.js';
import { openStore, type Store } from '../../../../store/index.js';
import { flush } from '../../../fixtures/fake-clock.js';

/** The member's registry, as the agent gets it in production. */
export function memberRegistry(): ResourceRegistry {
  return MemberCluster.registry();
}

/** A fresh in-memory member store. */
export function newStore(): Promise<Store> {
  return openStore('sqlite::memory:');
}

/** Lets store watches, informers and the agent's chain move on (no timers run). */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await flush();
}

/** Flushes until `check` holds; fails with `what` after many rounds. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await flush();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The stored object of a resource (by plural), with its resourceVersion. */
export async function stored(store: Store, registry: ResourceRegistry, resource: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  const r = registry.resolve(resource)!;
  const kv = await store.get(storeKey(r, namespace, name));
  if (!kv) return undefined;
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Names (`ns/name` or `name`) of every stored object of a resource. */
export async function names(store: Store, registry: ResourceRegistry, resource: string): Promise<string[]> {
  const r = registry.resolve(resource)!;
  const { items } = await store.list(resourcePrefix(r));
  return items.map((kv) => {
    const m = (JSON.parse(kv.value) as KubeObject).metadata;
    return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
  });
}

/** Writes an object straight into the store, as someone in the member would (no managed mark unless given). */
export async function putObject(store: Store, registry: ResourceRegistry, obj: KubeObject): Promise<void> {
  const r = registry.byKind(obj.apiVersion, obj.kind)!;
  const out = structuredClone(obj);
  out.metadata.uid ??= `uid-${out.metadata.name}`;
  out.metadata.generation ??= 1;
  out.metadata.creationTimestamp ??= '2025-01-01T00:00:00Z';
  await store.create(storeKey(r, out.metadata.namespace, out.metadata.name ?? ''), JSON.stringify(out));
}

/** The managed mark, as the gateway's rendering sets it. */
export const managedLabels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };

/** A ConfigMap as the gateway renders it. */
export function configMap(namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = managedLabels): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { ...labels } }, data };
}

/** A Deployment as the gateway renders it. */
export function deployment(namespace: string, name: string, replicas: number, image = 'app:v1', labels: Record<string, string> = managedLabels): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { ...labels } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, command: ['sleep', '1000'] }] } },
    },
  };
}

/** The bytes of an Apply's object. */
export function bytes(obj: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(obj));
}
