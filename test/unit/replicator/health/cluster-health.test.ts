import assert from 'node:assert/strict';
import { ResourceRegistry, storeKey, type Cluster } from '../../../../apimachinery/index.js';
import { silentLogger } from '../../../../controller/index.js';
import { ClusterHealth, Readiness, type ReadinessTransition } from '../../../../replicator/health/index.js';
import { openStore, type Store } from '../../../../store/index.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';

describe('replicator health: cluster health', () => {
  const registry = new ResourceRegistry();
  const clusters = registry.resolve('clusters.cluster.fedgate.io')!;
  let store: Store;
  let clock: FakeClock;
  let health: ClusterHealth;
  let transitions: (ReadinessTransition & { cluster: string })[];
  let writes: number;

  const read = async (name: string): Promise<Cluster> => JSON.parse((await store.get(storeKey(clusters, undefined, name)))!.value) as Cluster;
  const ready = async (name: string): Promise<string | undefined> => (await read(name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const hb = { capacity: { cpu: '8' }, allocatable: { cpu: '7' }, available: { cpu: '5', pods: '100' }, nodesReady: 2, nodesTotal: 2, services: [{ namespace: 'shop', name: 'web', readyEndpoints: 3, totalEndpoints: 3 }], nodes: [{ name: 'n1', ready: true, allocatable: { cpu: '3' }, free: { cpu: '2' } }] };

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    transitions = [];
    writes = 0;
    await store.create(storeKey(clusters, undefined, 'eu'), JSON.stringify({ apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name: 'eu', uid: 'u1' }, spec: { region: 'eu' } }));
    store.watch('/registry/', await store.currentRevision(), () => void writes++, () => {});
    health = new ClusterHealth({ store, registry, clock, logger: silentLogger, readiness: { heartbeatTimeoutMs: 1500 }, onReadinessChange: (cluster, t) => transitions.push({ cluster, ...t }) });
  });
  afterEach(async () => {
    await health.stop();
    await store.close();
  });

  async function beat(times: number, every = 500): Promise<void> {
    for (let i = 0; i < times; i++) {
      await clock.advance(every);
      health.heartbeat('eu', hb);
    }
    await flush();
  }

  it('writes capacity, services and the Ready condition from heartbeats', async () => {
    health.track('eu');
    health.streamOpened('eu');
    await beat(2);
    await health.flush();
    const c = await read('eu');
    assert.equal(health.readiness('eu'), Readiness.Ready);
    assert.deepEqual(c.status?.capacity, { cpu: '8' });
    assert.deepEqual(c.status?.available, { cpu: '5', pods: '100' });
    assert.deepEqual(c.status?.nodes, { ready: 2, total: 2 });
    assert.deepEqual(c.status?.services, [{ namespace: 'shop', name: 'web', readyEndpoints: 3, totalEndpoints: 3 }]);
    assert.deepEqual(c.status?.nodeSummaries, [{ name: 'n1', ready: true, allocatable: { cpu: '3' }, free: { cpu: '2' } }]);
    const cond = c.status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(cond?.status, 'True');
    assert.equal(cond?.reason, 'HeartbeatsReceived');
    assert.equal(c.status?.conditions?.find((x) => x.type === 'Joined')?.status, 'True');
    assert.equal(c.spec?.region, 'eu', 'the spec is kept');
  });

  it('rate-limits heartbeat writes to about one per second', async () => {
    health.streamOpened('eu');
    await beat(2);
    await health.flush();
    const before = writes;
    await beat(20, 500); // 10 s of heartbeats
    await health.flush();
    const during = writes - before;
    assert.ok(during >= 9 && during <= 11, `${during} writes in 10 s`);
  });

  it('NotReady within 2 s of the last heartbeat, and immediately on stream close', async () => {
    health.streamOpened('eu');
    await beat(2);
    await health.flush();
    const last = clock.now();
    await clock.advance(1499);
    assert.equal(health.readiness('eu'), Readiness.Ready);
    await clock.advance(1);
    assert.equal(health.readiness('eu'), Readiness.NotReady);
    assert.ok(transitions.at(-1)!.at - last <= 2000);
    await health.flush();
    assert.equal(await ready('eu'), 'False');
    assert.equal((await read('eu')).status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'HeartbeatTimeout');

    health.streamOpened('eu');
    await beat(2);
    assert.equal(health.readiness('eu'), Readiness.Ready);
    const at = clock.now();
    health.streamClosed('eu');
    assert.equal(health.readiness('eu'), Readiness.NotReady);
    assert.equal(transitions.at(-1)!.at, at);
    await health.flush();
    assert.equal((await read('eu')).status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'StreamClosed');
  });

  it('a tracked cluster that never connects becomes NotReady after the timeout', async () => {
    health.track('eu');
    await clock.advance(1499);
    assert.equal(health.readiness('eu'), Readiness.Unknown);
    await clock.advance(1);
    assert.equal(health.readiness('eu'), Readiness.NotReady);
    await health.flush();
    assert.equal(await ready('eu'), 'False');
  });
});
