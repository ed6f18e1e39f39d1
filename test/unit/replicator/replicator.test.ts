import assert from 'node:assert/strict';
import { ResourceRegistry, builtinResources, memberResources, storeKey, type Cluster, type KubeObject, type ResourceInfo } from '../../../apimachinery/index.js';
import { MemberAgent } from '../../../member-cluster/index.js';
import { silentLogger } from '../../../controller/index.js';
import { Replicator, UNJOIN_PURGE_ANNOTATION } from '../../../replicator/replicator.js';
import type { PlacementStatus } from '../../../replicator/binding/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { FakeClock, flush } from '../../fixtures/fake-clock.js';
import { ScriptedMember } from './scripted-member.js';
import { streamPair as streamPairFor } from '../../fixtures/stream-pair.js';
import { dividedPolicy } from './federation-objects.js';

const registry = new ResourceRegistry();
const R = (name: string): ResourceInfo => registry.resolve(name)!;

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await flush();
  }
  assert.fail(`never happened: ${what}`);
}

describe('Replicator (binding + dispatch + status + health over a real store)', () => {
  let store: Store;
  let clock: FakeClock;
  let replicator: Replicator;
  const members = new Map<string, ScriptedMember>();

  const put = async (r: string, obj: KubeObject): Promise<void> => {
    const key = storeKey(R(r), obj.metadata.namespace, obj.metadata.name!);
    const kv = await store.get(key);
    if (kv) await store.update(key, JSON.stringify({ ...obj, status: (JSON.parse(kv.value) as KubeObject).status }), kv.modRevision);
    else await store.create(key, JSON.stringify(obj));
  };
  const read = async <T = KubeObject>(r: string, ns: string | undefined, name: string): Promise<T> => JSON.parse((await store.get(storeKey(R(r), ns, name)))!.value) as T;
  const deployment = (replicas: number, generation: number): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation, labels: { app: 'web' } },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } } },
  });

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    for (const c of ['eu', 'us', 'ap']) {
      await put('clusters.cluster.fedgate.io', { apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name: c, uid: `uid-${c}` }, spec: { region: c } });
    }
    await put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'uid-ns' } });
    await put('propagationpolicies.policy.fedgate.io', dividedPolicy);

    await put('deployments.apps', deployment(8, 1));
    replicator = new Replicator({ store, registry, clock, logger: silentLogger, heartbeatTimeoutMs: 1500, pingIntervalMs: 60_000, failbackDelayMs: 3000, purgeDeadlineMs: 2000 });
    await replicator.start();
  });
  afterEach(async () => {
    await replicator.stop();
    members.clear();
    await store.close();
  });

  function connect(name: string): ScriptedMember {
    const m = new ScriptedMember(name);
    members.set(name, m);
    replicator.streamHandler.attach(m.stream);
    m.hello();
    return m;
  }

  /** Every connected member sends a heartbeat each 500 ms for `ms`. */
  async function beat(ms: number, only?: string[]): Promise<void> {
    for (let t = 0; t < ms; t += 500) {
      await clock.advance(500);
      for (const [name, m] of members) {
        if ((only && !only.includes(name)) || m.closed()) continue;
        m.gateway.send({ heartbeat: { sentUnixMs: clock.now(), capacity: { cpu: '4' }, available: { cpu: '2' }, nodesReady: 1, nodesTotal: 1 } });
      }
      await flush();
    }
  }

  const replicasSeen = (m: ScriptedMember): number | undefined => (m.applied('Deployment').at(-1)?.spec as { replicas?: number } | undefined)?.replicas;

  it('resyncs each member with its share (8 replicas 2:1:1 → 4/2/2), namespace first, SyncEnd last', async () => {
    for (const c of ['eu', 'us', 'ap']) connect(c);
    await eventually(() => [...members.values()].every((m) => m.of('syncEnd').length === 1), 'all synced');
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasSeen(members.get(c)!)), [4, 2, 2]);
    for (const m of members.values()) assert.deepEqual(m.seen.map((s) => (s.type === 'apply' ? s.object.kind : s.type)), ['syncStart', 'Namespace', 'Deployment', 'syncEnd']);
  });

  it('refuses a member whose cluster is not joined', async () => {
    const m = connect('mars');
    await eventually(() => m.closed(), 'closed');
    assert.equal(m.seen.length, 0);
  });

  it('sends an incremental Apply on template change and Deletes on template deletion; status aggregates flow back', async () => {
    for (const c of ['eu', 'us', 'ap']) connect(c);
    await eventually(() => [...members.values()].every((m) => m.of('syncEnd').length === 1), 'all synced');
    await put('deployments.apps', deployment(4, 2));
    await eventually(() => replicasSeen(members.get('eu')!) === 2, 'rescaled');
    assert.deepEqual(['eu', 'us', 'ap'].map((c) => replicasSeen(members.get(c)!)), [2, 1, 1]);
    // Members report their copies' status.
    for (const [c, n] of [['eu', 2], ['us', 1], ['ap', 1]] as const) {
      members.get(c)!.gateway.send({
        status: {
          ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
          status: new TextEncoder().encode(JSON.stringify({ replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n, observedGeneration: 2 })),
          generation: 2,
          observedGeneration: 2,
        },
      });
    }
    await flush();
    await clock.advance(250);
    await replicator.flushStatus();
    const status = (await read('deployments.apps', 'shop', 'web')).status as Record<string, unknown>;
    assert.equal(status['readyReplicas'], 4);
    assert.equal(status['observedGeneration'], 2);
    assert.equal((status['clusters'] as unknown[]).length, 3);
    assert.ok((status['placement'] as PlacementStatus).clusters.length === 3, 'placement kept beside the aggregate');
    // Delete the template: every member gets a Delete.
    await store.delete(storeKey(R('deployments.apps'), 'shop', 'web'));
    await eventually(() => [...members.values()].every((m) => m.of('delete').some((d) => d.ref.kind === 'Deployment')), 'deleted everywhere');
  });

  it('a disconnected member gets nothing deleted and a full resync on reconnect', async () => {
    const eu = connect('eu');
    await eventually(() => eu.of('syncEnd').length === 1, 'synced');
    eu.stream.close(new Error('cut'));
    await flush();
    await put('deployments.apps', deployment(12, 2));
    await eventually(async () => ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement.clusters.find((c) => c.name === 'eu')?.replicas === 6, 'replanned');
    assert.equal(eu.of('delete').length, 0);
    const again = connect('eu');
    await eventually(() => again.of('syncEnd').length === 1, 'resynced');
    assert.equal(replicasSeen(again), 6);
    assert.equal(again.of('delete').length, 0);
  });

  it('health: Ready after heartbeats, NotReady within 2 s when they stop and at once when the stream breaks', async () => {
    const eu = connect('eu');
    connect('us');
    await beat(1000);
    await replicator.flushStatus();
    const ready = async (c: string): Promise<string | undefined> => (await read<Cluster>('clusters.cluster.fedgate.io', undefined, c)).status?.conditions?.find((x) => x.type === 'Ready')?.status;
    assert.equal(await ready('eu'), 'True');
    assert.equal(await ready('us'), 'True');
    // us stops sending heartbeats (stream stays up).
    await beat(2000, ['eu']);
    await replicator.flushStatus();
    assert.equal(await ready('us'), 'False');
    assert.equal(await ready('eu'), 'True');
    eu.stream.close(new Error('broken'));
    await flush();
    await flush();
    await replicator.flushStatus();
    const cond = (await read<Cluster>('clusters.cluster.fedgate.io', undefined, 'eu')).status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(cond?.status, 'False');
    assert.equal(cond?.reason, 'StreamClosed');
  });

  it('fails over a NotReady cluster after tolerationSeconds and fails back after it is Ready again', async () => {
    for (const c of ['eu', 'us', 'ap']) connect(c);
    await beat(1000);
    const ap = members.get('ap')!;
    ap.stream.close(new Error('ap down'));
    await flush();
    await beat(29_000, ['eu', 'us']);
    assert.equal(replicasSeen(members.get('eu')!), 4, 'nothing moves within the toleration');
    await beat(2_000, ['eu', 'us']);
    await eventually(() => replicasSeen(members.get('eu')!) !== 4, 'moved');
    const eu = replicasSeen(members.get('eu')!)!;
    const us = replicasSeen(members.get('us')!)!;
    assert.equal(eu + us, 8);
    assert.equal(ap.of('delete').length, 0);
    const placement = ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement;
    assert.deepEqual(placement.failover.map((f) => [f.from, f.reason]), [['ap', 'ClusterNotReady']]);
    // ap comes back: it gets its old share (held), then after 3 s of stable Ready the division returns.
    const back = connect('ap');
    await beat(1000);
    await eventually(() => back.of('syncEnd').length === 1, 'ap resynced');
    assert.equal(replicasSeen(back), 2);
    assert.notEqual(replicasSeen(members.get('eu')!), 4);
    await beat(4000);
    await eventually(() => replicasSeen(members.get('eu')!) === 4, 'failed back');
    assert.equal(replicasSeen(members.get('us')!), 2);
    const after = ((await read('deployments.apps', 'shop', 'web')).status as { placement: PlacementStatus }).placement;
    assert.deepEqual(after.failover, []);
    assert.equal(after.failback?.[0]?.cluster, 'ap');
  });

  it('deleting a Cluster orphans by default and purges with the annotation', async () => {
    const eu = connect('eu');
    const us = connect('us');
    await eventually(() => eu.of('syncEnd').length === 1 && us.of('syncEnd').length === 1, 'synced');
    await store.delete(storeKey(R('clusters.cluster.fedgate.io'), undefined, 'eu'));
    await eventually(() => eu.closed(), 'eu closed');
    assert.equal(eu.of('delete').length, 0, 'orphaned: nothing deleted');
    const cl = await read<Cluster>('clusters.cluster.fedgate.io', undefined, 'us');
    cl.metadata.annotations = { [UNJOIN_PURGE_ANNOTATION]: 'true' };
    await put('clusters.cluster.fedgate.io', cl);
    await flush();
    await store.delete(storeKey(R('clusters.cluster.fedgate.io'), undefined, 'us'));
    await eventually(() => us.closed(), 'us closed');
    assert.deepEqual(us.of('delete').map((d) => d.ref.kind).sort(), ['Deployment', 'Namespace']);
  });

  it('explains a placement without changing anything', async () => {
    const rev = await store.currentRevision();
    const explanation = await replicator.explain(deployment(8, 1));
    assert.equal(explanation.policy, 'shop/web');
    assert.equal(explanation.totalReplicas, 8);
    assert.deepEqual(explanation.placed.map((p) => [p.cluster, p.replicas]), [['ap', 2], ['eu', 4], ['us', 2]]);
    const none = await replicator.explain({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other' } });
    assert.match(none.error!, /no PropagationPolicy/);
    assert.equal(await store.currentRevision(), rev);
  });
});

describe('Replicator with the real member agent (in-process stream pair)', () => {
  let gatewayStore: Store;
  let memberStore: Store;
  let clock: FakeClock;
  let replicator: Replicator;
  let agent: MemberAgent;

  const capacity = () => ({ capacity: { cpu: '4' }, allocatable: { cpu: '4' }, available: { cpu: '3' }, nodes: { ready: 1, total: 1 }, services: [] });

  beforeEach(async () => {
    gatewayStore = await openStore('sqlite::memory:');
    memberStore = await openStore('sqlite::memory:');
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const g = async (r: string, obj: KubeObject): Promise<void> => void (await gatewayStore.create(storeKey(R(r), obj.metadata.namespace, obj.metadata.name!), JSON.stringify(obj)));
    await g('clusters.cluster.fedgate.io', { apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name: 'eu', uid: 'uid-eu' } });
    await g('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'uid-ns' } });
    await g('clusterpropagationpolicies.policy.fedgate.io', {
      apiVersion: 'policy.fedgate.io/v1alpha1',
      kind: 'ClusterPropagationPolicy',
      metadata: { name: 'all', uid: 'uid-cpp' },
      spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }], placement: { clusterAffinity: { clusterNames: ['eu'] } } },
    });
    for (const name of ['a', 'b']) await g('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', uid: `uid-${name}` }, data: { v: name } });
    replicator = new Replicator({ store: gatewayStore, registry, clock, logger: silentLogger, pingIntervalMs: 60_000 });
    await replicator.start();
    agent = new MemberAgent({ store: memberStore, registry: new ResourceRegistry([...builtinResources, ...memberResources]), clusterName: 'eu', capacity, clock, logger: silentLogger, heartbeatMs: 500 });
  });
  afterEach(async () => {
    await replicator.stop();
    await agent.stop();
    await gatewayStore.close();
    await memberStore.close();
  });

  const memberHas = async (name: string): Promise<boolean> => (await memberStore.get(storeKey(R('configmaps'), 'shop', name))) !== undefined;

  function link(): ReturnType<typeof streamPairFor> {
    const pair = streamPairFor('eu');
    replicator.streamHandler.attach(pair.member);
    // The connection says Hello before handing the stream to the agent, as GatewayConnection does.
    pair.gateway.send({ hello: { clusterName: 'eu', lastAppliedSeq: agent.lastAppliedSeq } });
    agent.attach(pair.gateway);
    return pair;
  }

  it('applies into the member store, deletes what is removed, and a reconnect resync prunes only what left', async () => {
    const first = link();
    await eventually(async () => (await memberHas('a')) && (await memberHas('b')), 'applied in the member');
    await gatewayStore.delete(storeKey(R('configmaps'), 'shop', 'a'));
    await eventually(async () => !(await memberHas('a')), 'deleted in the member');
    // Disconnected: the member keeps everything.
    first.member.close(new Error('cut'));
    await flush();
    await gatewayStore.delete(storeKey(R('configmaps'), 'shop', 'b'));
    await gatewayStore.create(storeKey(R('configmaps'), 'shop', 'c'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', uid: 'uid-c' }, data: {} }));
    for (let i = 0; i < 20; i++) await flush();
    assert.equal(await memberHas('b'), true, 'nothing deleted while disconnected');
    link();
    await eventually(async () => (await memberHas('c')) && !(await memberHas('b')), 'resync: c applied, b pruned');
    // Heartbeats make the cluster Ready in the gateway store.
    for (let i = 0; i < 4; i++) await clock.advance(500);
    await replicator.flushStatus();
    const cl = JSON.parse((await gatewayStore.get(storeKey(R('clusters.cluster.fedgate.io'), undefined, 'eu')))!.value) as Cluster;
    assert.equal(cl.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });
});
