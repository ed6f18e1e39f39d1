import assert from 'node:assert/strict';
import { ResourceRegistry, storeKey, type KubeObject } from '../../../../apimachinery/index.js';
import { silentLogger } from '../../../../controller/index.js';
import { StatusAggregator, type PlacedCluster } from '../../../../replicator/status/index.js';
import { openStore, type Store } from '../../../../store/index.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';

describe('replicator status: aggregator writes', () => {
  const registry = new ResourceRegistry();
  const deployments = registry.resolve('deployments.apps')!;
  const key = storeKey(deployments, 'shop', 'web');
  const ref = 'apps/v1:Deployment:shop:web';
  let store: Store;
  let clock: FakeClock;
  let writes: number;
  let agg: StatusAggregator;
  let placed: PlacedCluster[] | undefined;

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock();
    writes = 0;
    placed = [
      { name: 'eu', replicas: 2, target: true },
      { name: 'us', replicas: 2, target: true },
    ];
    const template: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'u', generation: 3 }, spec: { replicas: 4 }, status: { placement: { clusters: [] } } };
    await store.create(key, JSON.stringify(template));
    store.watch(key, await store.currentRevision(), () => void writes++, () => {});
    agg = new StatusAggregator({ store, clock, logger: silentLogger, placement: { placedClusters: () => placed, storeKeyOf: () => key } });
  });
  afterEach(async () => {
    await agg.stop();
    await store.close();
  });

  const report = (n: number): { status: unknown; generation: number; observedGeneration: number } => ({
    status: { replicas: 2, readyReplicas: n, availableReplicas: n, updatedReplicas: 2 },
    generation: 1,
    observedGeneration: 1,
  });

  it('coalesces a busy member\'s reports into at most one write per 200 ms, the latest winning', async () => {
    agg.ack('eu', ref, { templateGeneration: 3, observedGeneration: 1 });
    agg.ack('us', ref, { templateGeneration: 3, observedGeneration: 1 });
    for (let i = 0; i < 100; i++) {
      agg.report('eu', ref, report(i % 3));
      agg.report('us', ref, report(2));
      await clock.advance(10); // 100 reports per cluster per second
    }
    agg.report('eu', ref, report(2));
    await agg.flush();
    await flush();
    assert.ok(writes >= 4 && writes <= 7, `${writes} writes in 1 s`);
    const obj = JSON.parse((await store.get(key))!.value) as KubeObject;
    const status = obj.status as Record<string, unknown>;
    assert.equal(status['readyReplicas'], 4);
    assert.equal(status['observedGeneration'], 3);
    assert.deepEqual(status['placement'], { clusters: [] }, 'placement is left alone');
    assert.equal(obj.spec && (obj.spec as { replicas: number }).replicas, 4);
  });

  it('writes nothing when nothing changed, and records refusals', async () => {
    agg.report('eu', ref, report(2));
    await agg.flush();
    await flush();
    const before = writes;
    agg.report('eu', ref, report(2));
    await clock.advance(300);
    await agg.flush();
    await flush();
    assert.equal(writes, before);
    agg.ack('us', ref, { templateGeneration: 3, observedGeneration: 0, error: 'Deployment shop/web exists and is not managed by fedgate', reason: 'AlreadyExists' });
    await clock.advance(300);
    await agg.flush();
    const status = (JSON.parse((await store.get(key))!.value) as KubeObject).status as { clusters: { cluster: string; lastError?: string; reason?: string; applied: boolean }[] };
    const us = status.clusters.find((c) => c.cluster === 'us')!;
    assert.equal(us.applied, false);
    assert.equal(us.reason, 'AlreadyExists');
    assert.match(us.lastError!, /not managed/);
  });

  it('drops the entries of clusters that left the placement', async () => {
    agg.report('eu', ref, report(2));
    agg.report('us', ref, report(2));
    await agg.flush();
    placed = [{ name: 'eu', replicas: 4, target: true }];
    agg.placementChanged(ref);
    await clock.advance(300);
    await agg.flush();
    const status = (JSON.parse((await store.get(key))!.value) as KubeObject).status as { clusters: { cluster: string }[] };
    assert.deepEqual(status.clusters.map((c) => c.cluster), ['eu']);
    assert.equal(agg.stateOf(ref, 'us'), undefined);
  });
});
