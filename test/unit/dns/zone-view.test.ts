import assert from 'node:assert/strict';
import { ResourceRegistry, storeKey, type Cluster, type KubeObject, type TrafficPolicy } from '../../../apimachinery/index.js';
import { silentLogger } from '../../../controller/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { seededRandom } from '../../../controller/index.js';
import { ZoneView, type TrafficPolicyStatus } from '../../../dns/zone-view.js';
import { FakeClock, flush } from '../../fixtures/fake-clock.js';

const ZONE = 'global.fedgate.internal';
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const registry = new ResourceRegistry();
const client = { address: '127.0.0.1' };

/** Lets store watch events reach the informers (no timers involved): bounded turns of the event loop. */
async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await cond()) return;
    await flush();
  }
  throw new Error(`never happened: ${what}`);
}

describe('dns zone view', () => {
  let store: Store;
  let clock: FakeClock;
  let view: ZoneView;

  const R = (plural: string) => registry.resolve(plural)!;
  const put = async (plural: string, obj: KubeObject): Promise<void> => {
    const key = storeKey(R(plural), obj.metadata.namespace, obj.metadata.name!);
    const kv = await store.get(key);
    if (kv) await store.update(key, JSON.stringify(obj), kv.modRevision);
    else await store.create(key, JSON.stringify(obj));
  };
  const cluster = (name: string, region: string, address: string, heartbeatAt: number, readyEndpoints = 2): Cluster => ({
    apiVersion: 'cluster.fedgate.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, uid: `uid-${name}` },
    spec: { region, endpoints: [address] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'HeartbeatsReceived' }],
      lastHeartbeatTime: new Date(heartbeatAt).toISOString(),
      services: [{ namespace: 'shop', name: 'web', readyEndpoints, totalEndpoints: readyEndpoints }],
    },
  });
  // status.clusters exactly as the replicator's status aggregation writes it (memberObjectStatuses).
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'shop', name: 'web', uid: 'uid-web', generation: 1 },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    status: {
      loadBalancer: {},
      clusters: [
        { cluster: 'eu-1', applied: true, appliedGeneration: 1, synced: true },
        { cluster: 'us-1', applied: true, appliedGeneration: 1, synced: true },
      ],
      placement: { policy: 'shop/web', clusters: [{ name: 'eu-1' }, { name: 'us-1' }], excluded: [], failover: [] },
    },
  };
  const trafficPolicy = (spec: TrafficPolicy['spec']): TrafficPolicy => ({
    apiVersion: 'networking.fedgate.io/v1alpha1',
    kind: 'TrafficPolicy',
    metadata: { namespace: 'shop', name: 'web-traffic', uid: 'uid-tp', generation: 1, creationTimestamp: '2030-01-01T00:00:00Z' },
    spec,
  });
  const addressOf = (name: string): string[] =>
    view.answer({ name, type: 'A' }, client).answers.map((r) => (r as { address: string }).address).sort();
  const storedPolicyStatus = async (): Promise<TrafficPolicyStatus | undefined> => {
    const kv = await store.get(storeKey(R('trafficpolicies'), 'shop', 'web-traffic'));
    return kv ? ((JSON.parse(kv.value) as TrafficPolicy).status as TrafficPolicyStatus | undefined) : undefined;
  };

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock(T0);
    await put('clusters', cluster('eu-1', 'eu', '192.0.2.1', T0));
    await put('clusters', cluster('us-1', 'us', '198.51.100.1', T0));
    await put('services', service);
    view = new ZoneView({ store, registry, nameserverAddress: '127.0.0.53', clock, random: seededRandom(1), logger: silentLogger });
  });
  afterEach(async () => {
    await view.stop();
    await store.close();
  });

  it('answers SERVFAIL before the first sync, then from the store', async () => {
    assert.equal(view.answer({ name: `web.shop.svc.${ZONE}`, type: 'A' }, client).rcode, 'SERVFAIL');
    assert.equal(view.answer({ name: 'example.com', type: 'A' }, client).rcode, 'REFUSED');
    view.start();
    await view.waitForSync();
    assert.equal(view.version, 1);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) for (const a of addressOf(`web.shop.svc.${ZONE}`)) seen.add(a);
    assert.deepEqual([...seen].sort(), ['192.0.2.1', '198.51.100.1']);
    assert.deepEqual(addressOf(`web.shop.svc.eu.${ZONE}`), ['192.0.2.1']);
    assert.equal(view.inZone(`a.b.${ZONE}`), true);
    assert.equal(view.inZone('b.internal'), false);
  });

  it('a stale heartbeat drops a cluster on the timer; version moves only when an answer changes', async () => {
    view.start();
    await view.waitForSync();
    const v1 = view.version;
    // Heartbeat writes that keep everyone fresh change no answer.
    await clock.advance(1_000);
    await put('clusters', cluster('eu-1', 'eu', '192.0.2.1', T0 + 1_000));
    await put('clusters', cluster('us-1', 'us', '198.51.100.1', T0 + 1_000));
    await clock.advance(1_000);
    assert.equal(view.version, v1);
    // us-1 stops heartbeating; eu-1 keeps going. After 3 s without one, us-1 is out.
    for (let t = 2_000; t <= 4_500; t += 500) {
      await put('clusters', cluster('eu-1', 'eu', '192.0.2.1', T0 + t));
      await clock.advance(500);
    }
    await until('us-1 dropped', () => addressOf(`web.shop.svc.${ZONE}`).join() === '192.0.2.1' && view.version === v1 + 1);
    for (let i = 0; i < 50; i++) assert.deepEqual(addressOf(`web.shop.svc.${ZONE}`), ['192.0.2.1']);
    assert.equal(view.version, v1 + 1);
    assert.equal(view.explainService('shop', 'web')!.clusters.find((c) => c.cluster === 'us-1')!.reason, 'StaleHeartbeat');
    // The us region has no healthy cluster left: its name is a CNAME to the global one.
    const us = view.answer({ name: `web.shop.svc.us.${ZONE}`, type: 'A' }, client);
    assert.equal(us.answers[0]!.type, 'CNAME');
    // eu-1 goes stale too: fail open to the last healthy set (eu-1), version moves once more at most.
    await clock.advance(4_000);
    assert.deepEqual(addressOf(`web.shop.svc.${ZONE}`), ['192.0.2.1']);
    assert.equal(view.explainService('shop', 'web')!.failOpen, true);
  });

  it('writes the TrafficPolicy status (CAS, only on change, rate-limited) and follows its weights', async () => {
    await put('trafficpolicies', trafficPolicy({ serviceRef: { name: 'web' }, weights: { 'eu-1': 1, 'us-1': 0 }, ttl: 30 }));
    view.start();
    await view.waitForSync();
    for (let i = 0; i < 50; i++) assert.deepEqual(addressOf(`web.shop.svc.${ZONE}`), ['192.0.2.1'], 'us-1 has weight 0');
    await until('status written', async () => (await storedPolicyStatus())?.answers !== undefined);
    const status = (await storedPolicyStatus())!;
    assert.equal(status.strategy, 'weighted');
    assert.equal(status.failOpen, false);
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual(
      status.answers.map((a) => [a.cluster, a.address, a.weight, a.healthy, a.serving, a.share, a.reason]),
      [
        ['eu-1', '192.0.2.1', 1, true, true, 100, 'Ok'],
        ['us-1', '198.51.100.1', 0, true, true, 0, 'Ok'],
      ],
    );
    const rev = (await store.get(storeKey(R('trafficpolicies'), 'shop', 'web-traffic')))!.modRevision;
    // Nothing changes (heartbeats still fresh): no more writes while the timer runs.
    await clock.advance(2_500);
    assert.equal((await store.get(storeKey(R('trafficpolicies'), 'shop', 'web-traffic')))!.modRevision, rev);
    // eu-1 loses its ready endpoints: us-1 (the standby) takes over, and the status says why.
    await put('clusters', cluster('eu-1', 'eu', '192.0.2.1', clock.now(), 0));
    await put('clusters', cluster('us-1', 'us', '198.51.100.1', clock.now()));
    await until('standby serves', () => addressOf(`web.shop.svc.${ZONE}`).join() === '198.51.100.1');
    await clock.advance(1_000);
    await until('status rewritten', async () => (await storedPolicyStatus())?.answers[0]?.reason === 'NoReadyEndpoints');
    const after = (await storedPolicyStatus())!;
    assert.deepEqual(after.answers.map((a) => [a.cluster, a.healthy, a.serving, a.reason]), [
      ['eu-1', false, false, 'NoReadyEndpoints'],
      ['us-1', true, true, 'Ok'],
    ]);
    const explained = view.explainService('shop', 'web')!;
    assert.equal(explained.policy, 'shop/web-traffic');
    assert.equal(explained.ttl, 30);
    assert.match(explained.clusters[0]!.message, /no ready endpoints/);
  });
});
