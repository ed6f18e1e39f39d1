import assert from 'node:assert/strict';
import type { ResourceRegistry } from '../../../../apimachinery/index.js';
import { silentLogger } from '../../../../controller/index.js';
import { MemberAgent, type HeartbeatCapacity } from '../../../../member-cluster/agent/index.js';
import type { fedgate, MemberMessage } from '../../../../proto/index.js';
import type { MemberStream } from '../../../../replicator/member-stream.js';
import type { Store } from '../../../../store/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';
import { streamPair } from '../../../fixtures/stream-pair.js';
import { bytes, configMap, deployment, memberRegistry, names, newStore, putObject, settle, stored, until } from './agent-fixture.js';

const emptyCapacity = (): HeartbeatCapacity => ({ capacity: {}, allocatable: {}, available: {}, nodes: { ready: 0, total: 0 }, services: [] });

/** The gateway's end of one stream, driven by the test. */
class ScriptedGateway {
  readonly received: MemberMessage[] = [];
  private seq = 0;

  constructor(readonly stream: MemberStream) {
    stream.onMessage((m) => this.received.push(m));
  }

  send(m: fedgate.v1.IGatewayMessage): void {
    this.stream.send(m);
  }

  syncStart(epoch: number): void {
    this.send({ syncStart: { epoch } });
  }

  syncEnd(epoch: number): void {
    this.send({ syncEnd: { epoch } });
  }

  /** Sends an Apply; returns its seq. */
  apply(obj: unknown, overwrite = false): number {
    this.send({ apply: { seq: ++this.seq, object: bytes(obj), overwrite } });
    return this.seq;
  }

  delete(ref: fedgate.v1.IObjectRef, orphan = false): number {
    this.send({ delete: { seq: ++this.seq, ref, orphan } });
    return this.seq;
  }

  acks(): fedgate.v1.Ack[] {
    return this.received.filter((m) => m.body === 'ack').map((m) => m.ack as fedgate.v1.Ack);
  }

  statuses(): { ref: string; status: Record<string, unknown>; generation: number; observedGeneration: number }[] {
    return this.received
      .filter((m) => m.body === 'status')
      .map((m) => ({
        ref: `${m.status!.ref!.kind} ${m.status!.ref!.namespace}/${m.status!.ref!.name}`,
        status: JSON.parse(Buffer.from(m.status!.status!).toString()) as Record<string, unknown>,
        generation: m.status!.generation!,
        observedGeneration: m.status!.observedGeneration!,
      }));
  }

  heartbeats(): fedgate.v1.Heartbeat[] {
    return this.received.filter((m) => m.body === 'heartbeat').map((m) => m.heartbeat as fedgate.v1.Heartbeat);
  }
}

describe('member-cluster/agent MemberAgent', () => {
  let store: Store;
  let registry: ResourceRegistry;
  let clock: FakeClock;
  let agent: MemberAgent;
  let capacity: () => HeartbeatCapacity;

  beforeEach(async () => {
    store = await newStore();
    registry = memberRegistry();
    clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
    capacity = emptyCapacity;
    agent = new MemberAgent({ store, registry, clusterName: 'eu-west', capacity: () => capacity(), logger: silentLogger, clock });
  });

  afterEach(async () => {
    await agent.stop();
    await store.close();
  });

  function connect(): ScriptedGateway {
    const pair = streamPair('eu-west');
    agent.attach(pair.gateway);
    return new ScriptedGateway(pair.member);
  }

  it('applies in order and acks each Apply and Delete with its seq and observed generation', async () => {
    const gw = connect();
    gw.apply(deployment('shop', 'web', 1));
    gw.apply(deployment('shop', 'web', 2));
    gw.apply(configMap('shop', 'cfg', { a: '1' }));
    gw.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg' });
    await until(() => gw.acks().length === 4, 'four acks');
    assert.deepEqual(
      gw.acks().map((a) => [a.seq, a.ref?.kind, a.ref?.name, a.observedGeneration, a.error]),
      [
        [1, 'Deployment', 'web', 1, ''],
        [2, 'Deployment', 'web', 2, ''],
        [3, 'ConfigMap', 'cfg', 1, ''],
        [4, 'ConfigMap', 'cfg', 0, ''],
      ],
    );
    assert.deepEqual(await names(store, registry, 'configmaps'), []);
    assert.equal(agent.lastAppliedSeq, 4);
  });

  it('acks a refused Apply with the error and reason', async () => {
    await putObject(store, registry, configMap('shop', 'x', { mine: 'yes' }, {}));
    const gw = connect();
    gw.apply(configMap('shop', 'x', { theirs: 'yes' }));
    await until(() => gw.acks().length === 1, 'an ack');
    const [ack] = gw.acks();
    assert.equal(ack?.reason, 'AlreadyExists');
    assert.match(ack?.error ?? '', /not managed by fedgate/);
  });

  it('answers Ping with Pong carrying the ping time', async () => {
    const gw = connect();
    gw.send({ ping: { sentUnixMs: 1234.5 } });
    await until(() => gw.received.some((m) => m.body === 'pong'), 'a pong');
    assert.equal(gw.received.find((m) => m.body === 'pong')?.pong?.pingSentUnixMs, 1234.5);
  });

  it('a full resync prunes what was not re-applied', async () => {
    const gw = connect();
    gw.apply(configMap('shop', 'a', {}));
    gw.apply(configMap('shop', 'b', {}));
    await until(() => gw.acks().length === 2, 'acks');
    gw.syncStart(1);
    gw.apply(configMap('shop', 'a', {}));
    gw.syncEnd(1);
    await until(() => gw.acks().length === 3, 'ack');
    await agent.idle();
    assert.deepEqual(await names(store, registry, 'configmaps'), ['shop/a']);
    assert.deepEqual(agent.lastPruneResult?.deleted.map((r) => r.name), ['b']);
  });

  it('a stream that breaks before SyncEnd prunes nothing; the next complete resync does', async () => {
    const first = connect();
    first.apply(configMap('shop', 'a', {}));
    first.apply(configMap('shop', 'b', {}));
    await until(() => first.acks().length === 2, 'acks');
    first.syncStart(1);
    first.apply(configMap('shop', 'a', {}));
    await until(() => first.acks().length === 3, 'ack');
    first.stream.close(new Error('connection reset'));
    await settle();
    assert.equal(agent.connected, false);
    // The SyncEnd a broken stream would have carried cannot arrive; a reconnect resyncs.
    const second = connect();
    second.syncEnd(1);
    await settle();
    await agent.idle();
    assert.deepEqual((await names(store, registry, 'configmaps')).sort(), ['shop/a', 'shop/b'], 'nothing pruned');

    second.syncStart(2);
    second.apply(configMap('shop', 'b', {}));
    second.syncEnd(2);
    await until(() => second.acks().length === 1, 'ack');
    await agent.idle();
    assert.deepEqual(await names(store, registry, 'configmaps'), ['shop/b']);
  });

  it('a new stream replaces the old one: the old stream is closed and its later messages are ignored', async () => {
    const pair1 = streamPair('eu-west');
    agent.attach(pair1.gateway);
    const old = new ScriptedGateway(pair1.member);
    const gw = connect();
    assert.equal(pair1.closed(), true);
    old.apply(configMap('shop', 'old', {}));
    gw.apply(configMap('shop', 'new', {}));
    await until(() => gw.acks().length === 1, 'ack');
    await agent.idle();
    assert.deepEqual(await names(store, registry, 'configmaps'), ['shop/new']);
  });

  it('a mismatched SyncEnd prunes nothing', async () => {
    const gw = connect();
    gw.apply(configMap('shop', 'a', {}));
    gw.apply(configMap('shop', 'b', {}));
    gw.syncStart(5);
    gw.apply(configMap('shop', 'a', {}));
    gw.syncEnd(6);
    await until(() => gw.acks().length === 3, 'acks');
    await agent.idle();
    assert.deepEqual((await names(store, registry, 'configmaps')).sort(), ['shop/a', 'shop/b']);
  });

  describe('heartbeat', () => {
    const report: HeartbeatCapacity = {
      capacity: { cpu: '8', memory: '16Gi', pods: 220 },
      allocatable: { cpu: '7500m', memory: '15Gi', pods: '220' },
      available: { cpu: '3', memory: '6Gi', pods: '200' },
      nodes: { ready: 1, total: 2 },
      services: [{ namespace: 'shop', name: 'web', readyEndpoints: 2, totalEndpoints: 3 }],
      nodeSummaries: [{ name: 'node-1', ready: true, allocatable: { cpu: '4' }, free: { cpu: '1500m' } }],
    };

    it('reports the capacity report, quantities as strings', async () => {
      capacity = () => report;
      const gw = connect();
      await until(() => gw.heartbeats().length === 1, 'a heartbeat');
      const hb = gw.heartbeats()[0]!;
      assert.equal(hb.sentUnixMs, Date.parse('2025-01-01T00:00:00Z'));
      assert.deepEqual({ ...hb.capacity }, { cpu: '8', memory: '16Gi', pods: '220' });
      assert.deepEqual({ ...hb.allocatable }, { cpu: '7500m', memory: '15Gi', pods: '220' });
      assert.deepEqual({ ...hb.available }, { cpu: '3', memory: '6Gi', pods: '200' });
      assert.equal(hb.nodesReady, 1);
      assert.equal(hb.nodesTotal, 2);
      assert.deepEqual(
        hb.services.map((s) => [s.namespace, s.name, s.readyEndpoints, s.totalEndpoints]),
        [['shop', 'web', 2, 3]],
      );
      assert.deepEqual(
        hb.nodes.map((n) => [n.name, n.ready, { ...n.allocatable }, { ...n.free }]),
        [['node-1', true, { cpu: '4' }, { cpu: '1500m' }]],
      );
    });

    it('beats every heartbeatMs by the clock, and stops with the stream', async () => {
      let calls = 0;
      capacity = () => {
        calls++;
        return { ...report, nodes: { ready: calls, total: 9 } };
      };
      const gw = connect();
      await settle();
      assert.equal(gw.heartbeats().length, 1, 'one at once');
      await clock.advance(499);
      assert.equal(gw.heartbeats().length, 1);
      await clock.advance(1);
      assert.equal(gw.heartbeats().length, 2);
      await clock.advance(1500);
      await settle();
      assert.deepEqual(gw.heartbeats().map((h) => h.nodesReady), [1, 2, 3, 4, 5]);
      assert.deepEqual(gw.heartbeats().map((h) => h.sentUnixMs - gw.heartbeats()[0]!.sentUnixMs), [0, 500, 1000, 1500, 2000]);
      gw.stream.close();
      await settle();
      await clock.advance(2000);
      assert.equal(calls, 5, 'no heartbeat after the stream ended');
    });

    it('keeps beating when one capacity report fails', async () => {
      let fail = true;
      capacity = () => {
        if (fail) throw new Error('not started');
        return report;
      };
      const gw = connect();
      await settle();
      assert.equal(gw.heartbeats().length, 0);
      fail = false;
      await clock.advance(500);
      await settle();
      assert.equal(gw.heartbeats().length, 1);
    });
  });

  describe('status reports', () => {
    async function setStatus(resource: string, ns: string, name: string, status: Record<string, unknown>): Promise<void> {
      const obj = (await stored(store, registry, resource, ns, name))!;
      const rev = Number(obj.metadata.resourceVersion);
      delete obj.metadata.resourceVersion;
      obj.status = status;
      const r = registry.resolve(resource)!;
      await store.update(`/registry/${r.group || 'core'}/${r.plural}/${ns}/${name}`, JSON.stringify(obj), rev);
    }

    it('sends a managed object’s status when it changes, coalesced to the latest, and never an unmanaged one’s', async () => {
      await putObject(store, registry, deployment('shop', 'users', 1, 'app:v1', {}));
      const gw = connect();
      gw.apply(deployment('shop', 'web', 3));
      await until(() => gw.acks().length === 1, 'ack');
      await settle();
      await clock.advance(100);
      await settle();
      assert.deepEqual(gw.statuses(), [{ ref: 'Deployment shop/web', status: {}, generation: 1, observedGeneration: 1 }]);

      await setStatus('deployments', 'shop', 'web', { replicas: 3, readyReplicas: 1, observedGeneration: 1 });
      await setStatus('deployments', 'shop', 'web', { replicas: 3, readyReplicas: 2, observedGeneration: 1 });
      await setStatus('deployments', 'shop', 'users', { replicas: 1, readyReplicas: 1 });
      await settle();
      assert.equal(gw.statuses().length, 1, 'nothing before the coalescing window ends');
      await clock.advance(100);
      await settle();
      const after = gw.statuses().slice(1);
      assert.deepEqual(after, [{ ref: 'Deployment shop/web', status: { replicas: 3, readyReplicas: 2, observedGeneration: 1 }, generation: 1, observedGeneration: 1 }]);

      // An unchanged status is not sent again.
      await setStatus('deployments', 'shop', 'web', { replicas: 3, readyReplicas: 2, observedGeneration: 1 });
      await settle();
      await clock.advance(100);
      await settle();
      assert.equal(gw.statuses().length, 2);
    });

    it('sends every managed status after each SyncEnd', async () => {
      const gw = connect();
      gw.apply(deployment('shop', 'web', 1));
      gw.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'fedgate' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
      await until(() => gw.acks().length === 2, 'acks');
      await settle();
      await clock.advance(100);
      await settle();
      assert.deepEqual(gw.statuses().map((s) => s.ref).sort(), ['Deployment shop/web', 'Service shop/web']);

      gw.syncStart(1);
      gw.apply(deployment('shop', 'web', 1));
      gw.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'fedgate' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
      gw.syncEnd(1);
      await until(() => gw.acks().length === 4, 'acks');
      await agent.idle();
      await settle();
      assert.deepEqual(gw.statuses().slice(2).map((s) => s.ref).sort(), ['Deployment shop/web', 'Service shop/web'], 'a full round, no timer needed');
    });

    it('reports statuses of a kind first seen in an Apply', async () => {
      const gw = connect();
      gw.apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'fedgate' } }, spec: { accessModes: ['ReadWriteOnce'] } });
      await until(() => gw.acks().length === 1, 'ack');
      assert.equal(gw.acks()[0]?.error, '');
      await settle();
      await setStatus('persistentvolumeclaims', 'shop', 'data', { phase: 'Bound' });
      await settle();
      await clock.advance(100);
      await settle();
      assert.deepEqual(gw.statuses().at(-1), { ref: 'PersistentVolumeClaim shop/data', status: { phase: 'Bound' }, generation: 1, observedGeneration: 1 });
    });
  });
});
