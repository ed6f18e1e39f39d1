/**
 * A member control plane in miniature for controller tests: an in-memory SQLite store, the
 * member's registry, shared informers on a fake clock, and readers and writers that go
 * straight to the store, so a test preloads objects, calls `reconcile(key)` and asserts the
 * writes.
 */
import {
  ResourceRegistry,
  builtinResources,
  memberResources,
  namespacePrefix,
  resourcePrefix,
  type KubeObject,
} from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../../../controller/index.js';
import { openStore, type Store } from '../../../../store/index.js';
import type { Condition, Pod, PodPhase } from '../../../../member-cluster/api-types.js';
import { resolveMemberConfig } from '../../../../member-cluster/member-config.js';
import type { ControllerContext } from '../../../../member-cluster/controllers/controller-context.js';
import { ObjectWriter, formatTimestamp } from '../../../../member-cluster/controllers/object-writer.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';

/** Everything a controller test needs. */
export interface Fixture {
  store: Store;
  clock: FakeClock;
  ctx: ControllerContext;
  writer: ObjectWriter;
  /** Starts the informers and waits for their first list. */
  start(): Promise<void>;
  /** Lets watch events reach the informers. */
  settle(): Promise<void>;
  /** Creates an object as a client would (uid, timestamps) and settles. */
  create<T extends KubeObject>(obj: T): Promise<T>;
  /** Reads one object from the store. */
  get<T extends KubeObject>(resource: string, namespace: string | undefined, name: string): Promise<T | undefined>;
  /** Lists objects from the store. */
  list<T extends KubeObject>(resource: string, namespace?: string): Promise<T[]>;
  /** Edits an object in the store (CAS) and settles. */
  update<T extends KubeObject>(resource: string, namespace: string | undefined, name: string, change: (obj: T) => void): Promise<T>;
  /** Writes what a kubelet would for a pod: node, phase, IP and the Ready condition. */
  setPod(pod: Pod, s: { ready?: boolean; phase?: PodPhase; ip?: string; nodeName?: string; restarts?: number }): Promise<Pod>;
  close(): Promise<void>;
}

/** A fresh fixture; call `close()` in `afterEach`. */
export async function newFixture(): Promise<Fixture> {
  const store = await openStore('sqlite::memory:');
  const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
  const clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
  const informers = new SharedInformerFactory(store, registry, { clock, logger: silentLogger });
  const config = resolveMemberConfig({ name: 'm1', dataDir: '/nonexistent', podCIDR: '127.1.0.0/16', nodes: 2 });
  const ctx: ControllerContext = { store, informers, registry, config, logger: silentLogger, clock };
  const writer = new ObjectWriter(store, registry, clock);
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await flush();
  };
  const f: Fixture = {
    store,
    clock,
    ctx,
    writer,
    async start() {
      informers.start();
      await informers.waitForSync();
      await settle();
    },
    settle,
    async create(obj) {
      const { object } = await writer.create(obj);
      await settle();
      return object;
    },
    async get(resource, namespace, name) {
      const r = writer.resource(resource);
      const kv = await store.get(`${resourcePrefix(r)}${r.namespaced ? `${namespace}/` : ''}${name}`);
      if (!kv) return undefined;
      const obj = JSON.parse(kv.value);
      obj.metadata.resourceVersion = String(kv.modRevision);
      return obj;
    },
    async list(resource, namespace) {
      const r = writer.resource(resource);
      const { items } = await store.list(namespace !== undefined ? namespacePrefix(r, namespace) : resourcePrefix(r));
      return items.map((kv) => JSON.parse(kv.value));
    },
    async update(resource, namespace, name, change) {
      const out = await writer.mutate(writer.resource(resource), namespace, name, (o) => {
        change(o as never);
      });
      if (!out) throw new Error(`${resource} ${namespace}/${name} not found`);
      await settle();
      return out.object as never;
    },
    async setPod(pod, s) {
      const now = formatTimestamp(clock.now());
      return f.update<Pod>('pods', pod.metadata.namespace, pod.metadata.name ?? '', (p) => {
        if (s.nodeName !== undefined) p.spec.nodeName = s.nodeName;
        const status = (p.status ??= {});
        status.phase = s.phase ?? (s.ready === undefined ? status.phase : 'Running');
        if (s.ip !== undefined) status.podIP = s.ip;
        if (s.ready !== undefined) {
          const prev = status.conditions?.find((c) => c.type === 'Ready');
          const cond: Condition = {
            type: 'Ready',
            status: s.ready ? 'True' : 'False',
            lastTransitionTime: prev && (prev.status === 'True') === s.ready ? prev.lastTransitionTime : now,
          };
          status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'Ready'), cond];
        }
        if (s.restarts !== undefined) {
          status.containerStatuses = p.spec.containers.map((c) => ({ name: c.name, ready: Boolean(s.ready), restartCount: s.restarts!, state: {} }));
        }
      });
    },
    async close() {
      informers.stop();
      await store.close();
    },
  };
  return f;
}

/** A minimal pod template with the given labels. */
export function template(labels: Record<string, string>, image = 'app:v1'): { metadata: { labels: Record<string, string> }; spec: Pod['spec'] } {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image, command: ['sleep', '1000'] }] } };
}
