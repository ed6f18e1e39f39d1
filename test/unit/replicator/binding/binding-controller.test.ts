import assert from 'node:assert/strict';
import { ResourceRegistry, storeKey, type Cluster, type KubeObject, type ResourceInfo } from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../../../controller/index.js';
import { BindingController, type PlacementStatus } from '../../../../replicator/binding/index.js';
import { DesiredState, refKey, refOf } from '../../../../replicator/dispatch/index.js';
import { openStore, type Store } from '../../../../store/index.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';
import { dividedPolicy } from '../federation-objects.js';

const registry = new ResourceRegistry();
const R = (name: string): ResourceInfo => registry.resolve(name)!;

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await flush();
  }
  assert.fail(`never happened: ${what}`);
}

function cluster(name: string, ready: boolean, since: number): Cluster {
  return {
    apiVersion: 'cluster.fedgate.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, uid: `uid-${name}`, labels: { region: name } },
    spec: { region: name },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(since).toISOString() }] },
  };
}

function deployment(name: string, replicas: number, generation = 1, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, generation, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'web:1', envFrom: [{ configMapRef: { name: 'cfg' } }] }] },
      },
      ...extra,
    },
  };
}


describe('replicator binding controller', () => {
  let store: Store;
  let clock: FakeClock;
  let factory: SharedInformerFactory;
  let desired: DesiredState;
  let binding: BindingController;
  const T0 = Date.parse('2026-01-01T00:00:00Z');

  const put = async (r: string, obj: KubeObject): Promise<void> => {
    const key = storeKey(R(r), obj.metadata.namespace, obj.metadata.name!);
    const kv = await store.get(key);
    if (kv) await store.update(key, JSON.stringify(obj), kv.modRevision);
    else await store.create(key, JSON.stringify(obj));
  };
  const del = async (r: string, ns: string | undefined, name: string): Promise<void> => {
    await store.delete(storeKey(R(r), ns, name));
  };
  const read = async (r: string, ns: string | undefined, name: string): Promise<KubeObject> => JSON.parse((await store.get(storeKey(R(r), ns, name)))!.value) as KubeObject;
  const replicasIn = (c: string, key = 'apps/v1:Deployment:shop:web'): number | undefined =>
    (desired.get(c, key)?.object.spec as { replicas?: number } | undefined)?.replicas;

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock(T0);
    factory = new SharedInformerFactory(store, registry, { clock, logger: silentLogger });
    desired = new DesiredState();
    binding = new BindingController({ store, registry, factory, desired, clock, logger: silentLogger, failbackDelayMs: 5000 });
    for (const c of ['eu', 'us', 'ap']) await put('clusters.cluster.fedgate.io', cluster(c, true, T0 - 60_000));
    await put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'uid-ns', generation: 1 } });
    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop', uid: 'uid-cfg' }, data: { a: '1' } });
    await put('propagationpolicies.policy.fedgate.io', dividedPolicy as unknown as KubeObject);
    await put('deployments.apps', deployment('web', 8));
  });
  afterEach(async () => {
    await binding.stop();
    factory.stop();
    await store.close();
  });

  async function startBinding(): Promise<void> {
    const started = binding.start();
    factory.start();
    await started;
  }

  it('divides 8 replicas 2:1:1 into 4/2/2, renders marks, and persists status.placement', async () => {
    await startBinding();
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [4, 2, 2]);
    const d = desired.get('eu', 'apps/v1:Deployment:shop:web')!;
    assert.equal(d.object.metadata.labels?.['app.kubernetes.io/managed-by'], 'fedgate');
    assert.equal(d.object.metadata.labels?.['fedgate.io/cluster'], 'eu');
    assert.equal(d.templateGeneration, 1);
    assert.equal(d.object.metadata.uid, undefined);
    await eventually(async () => (await read('deployments.apps', 'shop', 'web')).status !== undefined, 'placement written');
    const placement = ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement;
    assert.deepEqual(placement.clusters, [
      { name: 'ap', replicas: 2 },
      { name: 'eu', replicas: 4 },
      { name: 'us', replicas: 2 },
    ]);
    assert.equal(placement.policy, 'shop/web');
    assert.deepEqual(placement.failover, []);
  });

  it('sends dependencies and the namespace wherever the workload goes', async () => {
    await startBinding();
    for (const c of ['eu', 'us', 'ap']) {
      assert.ok(desired.get(c, 'v1:ConfigMap:shop:cfg'), `configmap in ${c}`);
      assert.ok(desired.get(c, 'v1:Namespace::shop'), `namespace in ${c}`);
    }
    // A Service selecting the workload follows it too.
    await put('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', uid: 'uid-svc', generation: 1 }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await eventually(() => desired.clustersOf('v1:Service:shop:web').length === 3, 'service follows');
  });

  it('does not propagate a template without a matching policy', async () => {
    await put('deployments.apps', deployment('lonely', 3));
    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'solo', namespace: 'other', uid: 'uid-solo' }, data: {} });
    await startBinding();
    assert.deepEqual(desired.clustersOf('apps/v1:Deployment:shop:lonely'), []);
    assert.deepEqual(desired.clustersOf('v1:ConfigMap:other:solo'), []);
  });

  it('follows template changes and removes everything when the template or its policy goes', async () => {
    await startBinding();
    await put('deployments.apps', deployment('web', 12, 2));
    await eventually(() => replicasIn('eu') === 6, 'rescaled');
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [6, 3, 3]);
    assert.equal(desired.get('eu', 'apps/v1:Deployment:shop:web')!.templateGeneration, 2);
    await del('propagationpolicies.policy.fedgate.io', 'shop', 'web');
    await eventually(() => desired.clustersOf('apps/v1:Deployment:shop:web').length === 0, 'policy gone → removed');
    await eventually(() => desired.clustersOf('v1:ConfigMap:shop:cfg').length === 0, 'dependency removed too');
    await eventually(() => desired.clustersOf('v1:Namespace::shop').length === 0, 'namespace removed too');
    await put('propagationpolicies.policy.fedgate.io', dividedPolicy as unknown as KubeObject);
    await eventually(() => replicasIn('us') === 3, 'back');
    await del('deployments.apps', 'shop', 'web');
    await eventually(() => desired.clustersOf('apps/v1:Deployment:shop:web').length === 0, 'template gone → removed');
  });

  it('writing status.placement does not loop', async () => {
    await startBinding();
    await eventually(async () => (await read('deployments.apps', 'shop', 'web')).status !== undefined, 'placement written');
    const rev = await store.currentRevision();
    for (let i = 0; i < 50; i++) await flush();
    assert.equal(await store.currentRevision(), rev);
  });

  it('fails over after tolerationSeconds, keeps the failed cluster\'s objects, and fails back after a stable Ready', async () => {
    await startBinding();
    const key = 'apps/v1:Deployment:shop:web';
    // ap goes NotReady now; nothing moves within the toleration.
    await put('clusters.cluster.fedgate.io', cluster('ap', false, clock.now()));
    await eventually(() => binding.placementOf(key) !== undefined, 'bound');
    await clock.advance(29_000);
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [4, 2, 2]);
    await clock.advance(1_100);
    await eventually(() => replicasIn('eu') !== 4, 'replicas moved');
    const moved = ['eu', 'us'].map((c) => replicasIn(c)!);
    assert.equal(moved[0]! + moved[1]!, 8, `healthy clusters carry all 8: ${moved}`);
    assert.equal(replicasIn('ap'), 2, 'the failed cluster keeps its last rendering, nothing deleted');
    await eventually(async () => ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.failover.length === 1, 'recorded');
    const rec = ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.failover[0]!;
    assert.equal(rec.from, 'ap');
    assert.equal(rec.reason, 'ClusterNotReady');
    assert.equal(rec.since, new Date(T0).toISOString());
    // Ready again: replicas return only after 5 s of stable Ready.
    await put('clusters.cluster.fedgate.io', cluster('ap', true, clock.now()));
    await eventually(async () => ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.failover[0]?.reason === 'FailbackPending', 'pending');
    assert.notEqual(replicasIn('eu'), 4);
    await clock.advance(5_000);
    await eventually(() => replicasIn('eu') === 4, 'failed back');
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [4, 2, 2]);
    await eventually(async () => ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.failback?.length === 1, 'failback recorded');
    const placement = ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement;
    assert.deepEqual(placement.failover, []);
    assert.equal(placement.failback![0]!.cluster, 'ap');
  });

  it('Duplicated: a failed-over cluster loses nothing and the others keep their copies', async () => {
    const duplicated = structuredClone(dividedPolicy) as unknown as { spec: { placement: { replicaScheduling: unknown } } };
    duplicated.spec.placement.replicaScheduling = { replicaSchedulingType: 'Duplicated' };
    await put('propagationpolicies.policy.fedgate.io', duplicated as unknown as KubeObject);
    await startBinding();
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [8, 8, 8]);
    await put('clusters.cluster.fedgate.io', cluster('ap', false, clock.now()));
    await eventually(() => binding.placementOf('apps/v1:Deployment:shop:web') !== undefined, 'bound');
    await clock.advance(31_000);
    await eventually(async () => ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.failover.length === 1, 'recorded');
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [8, 8, 8]);
    assert.deepEqual(desired.clustersOf('v1:ConfigMap:shop:cfg').sort(), ['ap', 'eu', 'us']);
  });

  it('keeps the previous placement across a restart (from status.placement) and never removes for errors', async () => {
    await startBinding();
    await eventually(async () => (await read('deployments.apps', 'shop', 'web')).status !== undefined, 'placement written');
    await binding.stop();
    factory.stop();
    // Restart with every cluster tainted: no cluster fits, the previous placement stays.
    for (const c of ['eu', 'us', 'ap']) {
      const obj = cluster(c, true, T0 - 60_000);
      obj.spec!.taints = [{ key: 'maintenance', effect: 'NoSchedule' }];
      await put('clusters.cluster.fedgate.io', obj);
    }
    factory = new SharedInformerFactory(store, registry, { clock, logger: silentLogger });
    desired = new DesiredState();
    binding = new BindingController({ store, registry, factory, desired, clock, logger: silentLogger });
    await startBinding();
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasIn(c)), [4, 2, 2]);
    await eventually(async () => Boolean(((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.error), 'error recorded');
  });

  it('a cluster that leaves the federation leaves the desired state', async () => {
    await startBinding();
    await del('clusters.cluster.fedgate.io', undefined, 'ap');
    await eventually(() => desired.clustersOf('apps/v1:Deployment:shop:web').length === 2, 'ap dropped');
    assert.deepEqual(desired.objectsOf('ap').size, 0);
    assert.equal(replicasIn('eu')! + replicasIn('us')!, 8);
  });

  it('uses the refKey of the template as the desired key', () => {
    assert.equal(refKey(refOf(deployment('web', 1))), 'apps/v1:Deployment:shop:web');
  });
});
