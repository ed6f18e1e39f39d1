import assert from 'node:assert/strict';
import { StatusError, StatusReason, type KubeObject } from '../../../../apimachinery/index.js';
import { silentLogger, type Logger } from '../../../../controller/index.js';
import {
  DesiredState,
  Dispatcher,
  MemberSession,
  SessionState,
  refKey,
  refOf,
  type AckRecord,
  type DesiredObject,
  type MemberStatusReport,
} from '../../../../replicator/dispatch/index.js';
import type { MemberStream } from '../../../../replicator/member-stream.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';
import { ScriptedMember } from '../scripted-member.js';

function obj(apiVersion: string, kind: string, namespace: string | undefined, name: string, spec: unknown = {}): KubeObject {
  return { apiVersion, kind, metadata: namespace ? { name, namespace } : { name }, spec };
}

function desiredOf(o: KubeObject, generation = 1): DesiredObject {
  return { object: o, templateGeneration: generation, templateUid: `uid-${o.metadata.name}` };
}

function put(desired: DesiredState, o: KubeObject, clusters: string[], generation = 1): void {
  desired.setObject(refKey(refOf(o)), new Map(clusters.map((c) => [c, desiredOf(o, generation)])));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flush();
}

/** Wraps a stream so `send` reports a full buffer after `capacity` messages until `drain()`. */
function throttled(inner: MemberStream, capacity: number): MemberStream & { drain(): void; sentSinceDrain(): number } {
  let sent = 0;
  let drainHandler: (() => void) | undefined;
  return {
    cluster: inner.cluster,
    send(m) {
      inner.send(m);
      sent++;
      return sent < capacity;
    },
    onMessage: (h) => inner.onMessage(h),
    onDrain: (h) => void (drainHandler = h),
    onClose: (h) => inner.onClose(h),
    close: (e) => inner.close(e),
    drain() {
      sent = 0;
      drainHandler?.();
    },
    sentSinceDrain: () => sent,
  };
}

describe('replicator dispatch: member session', () => {
  let clock: FakeClock;
  let desired: DesiredState;
  let acks: { cluster: string; key: string; ack: AckRecord }[];
  let dispatcher: Dispatcher;

  beforeEach(() => {
    clock = new FakeClock();
    desired = new DesiredState();
    acks = [];
    dispatcher = new Dispatcher({
      desired,
      clock,
      logger: silentLogger,
      pingIntervalMs: 5000,
      events: { onAck: (cluster, key, ack) => acks.push({ cluster, key, ack }) },
    });
  });
  afterEach(() => dispatcher.stop());

  const ns = obj('v1', 'Namespace', undefined, 'shop');
  const cm = obj('v1', 'ConfigMap', 'shop', 'cfg');
  const svc = obj('v1', 'Service', 'shop', 'web');
  const deploy = obj('apps/v1', 'Deployment', 'shop', 'web', { replicas: 2 });
  const secret = obj('v1', 'Secret', 'shop', 'creds');

  it('resyncs in order: SyncStart, namespaces, config, services, workloads, then SyncEnd', async () => {
    for (const o of [deploy, svc, cm, ns, secret]) put(desired, o, ['eu']);
    put(desired, obj('apps/v1', 'Deployment', 'shop', 'other'), ['us']); // another cluster's
    const m = new ScriptedMember('eu');
    dispatcher.attach(m.stream);
    m.hello();
    await settle();
    const types = m.seen.map((s) => s.type);
    assert.deepEqual(types, ['syncStart', 'apply', 'apply', 'apply', 'apply', 'apply', 'syncEnd']);
    assert.deepEqual(
      m.applied().map((o) => `${o.kind}/${o.metadata.name}`),
      ['Namespace/shop', 'ConfigMap/cfg', 'Secret/creds', 'Service/web', 'Deployment/web'],
    );
    assert.equal(m.of('syncStart')[0]!.epoch, m.of('syncEnd')[0]!.epoch);
    assert.equal(dispatcher.session('eu')!.state, SessionState.Live);
    assert.equal(acks.length, 5);
    assert.ok(acks.every((a) => a.cluster === 'eu' && a.ack.operation === 'apply' && a.ack.templateGeneration === 1));
  });

  it('sends nothing before Hello and waits for the desired state to be ready', async () => {
    put(desired, deploy, ['eu']);
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    const d = new Dispatcher({ desired, clock, logger: silentLogger, ready: () => ready });
    const m = new ScriptedMember('eu');
    d.attach(m.stream);
    await settle();
    assert.equal(m.seen.length, 0);
    m.hello();
    await settle();
    assert.equal(m.seen.length, 0, 'no resync before the desired state is complete');
    put(desired, svc, ['eu']);
    release();
    await settle();
    assert.deepEqual(m.seen.map((s) => s.type), ['syncStart', 'apply', 'apply', 'syncEnd']);
    d.stop();
  });

  it('sends incremental Applies and a Delete only for objects positively removed', async () => {
    put(desired, deploy, ['eu']);
    const m = new ScriptedMember('eu');
    dispatcher.attach(m.stream);
    m.hello();
    await settle();
    m.seen.length = 0;
    const changed = obj('apps/v1', 'Deployment', 'shop', 'web', { replicas: 5 });
    put(desired, changed, ['eu'], 2);
    // Duplicates collapse and the latest state wins.
    put(desired, obj('apps/v1', 'Deployment', 'shop', 'web', { replicas: 6 }), ['eu'], 3);
    await settle();
    assert.deepEqual(m.applied().map((o) => (o.spec as { replicas: number }).replicas), [6]);
    // Unchanged rendering: nothing is sent.
    put(desired, obj('apps/v1', 'Deployment', 'shop', 'web', { replicas: 6 }), ['eu'], 3);
    await settle();
    assert.equal(m.of('apply').length, 1);
    // The object leaves the cluster's set: Delete.
    desired.setObject(refKey(refOf(deploy)), new Map());
    await settle();
    assert.deepEqual(m.of('delete').map((d) => d.ref), [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }]);
    assert.equal(acks.at(-1)!.ack.operation, 'delete');
  });

  it('never deletes for a disconnected member and resyncs it on reconnect', async () => {
    put(desired, deploy, ['eu']);
    put(desired, cm, ['eu']);
    const first = new ScriptedMember('eu');
    dispatcher.attach(first.stream);
    first.hello();
    await settle();
    first.stream.close(new Error('network down'));
    await settle();
    assert.equal(dispatcher.session('eu'), undefined);
    // While it is away: one object changes, one is removed.
    put(desired, obj('apps/v1', 'Deployment', 'shop', 'web', { replicas: 9 }), ['eu'], 2);
    desired.setObject(refKey(refOf(cm)), new Map());
    const second = new ScriptedMember('eu');
    dispatcher.attach(second.stream);
    second.hello();
    await settle();
    assert.equal(first.of('delete').length, 0);
    assert.equal(second.of('delete').length, 0, 'the resync (SyncEnd pruning) removes it, not a Delete');
    assert.deepEqual(second.seen.map((s) => s.type), ['syncStart', 'apply', 'syncEnd']);
    assert.equal((second.applied()[0]!.spec as { replicas: number }).replicas, 9);
    assert.notEqual(first.of('syncStart')[0]!.epoch, second.of('syncStart')[0]!.epoch);
  });

  it('honours backpressure: stops while send() reports a full buffer and resumes on drain', async () => {
    for (let i = 0; i < 10; i++) put(desired, obj('v1', 'ConfigMap', 'shop', `c${i}`), ['eu']);
    const m = new ScriptedMember('eu');
    const stream = throttled(m.stream, 3);
    dispatcher.attach(stream);
    m.hello();
    await settle();
    assert.equal(m.seen.length, 3, 'SyncStart and two Applies, then the buffer was full');
    assert.equal(stream.sentSinceDrain(), 3);
    stream.drain();
    await settle();
    assert.equal(m.seen.length, 6);
    stream.drain();
    stream.drain();
    stream.drain();
    await settle();
    assert.deepEqual(m.seen.map((s) => s.type), ['syncStart', ...Array(10).fill('apply'), 'syncEnd']);
  });

  it('SyncEnd waits for every desired object even when changes arrive during the resync', async () => {
    for (let i = 0; i < 4; i++) put(desired, obj('v1', 'ConfigMap', 'shop', `c${i}`), ['eu']);
    const m = new ScriptedMember('eu');
    const stream = throttled(m.stream, 2);
    dispatcher.attach(stream);
    m.hello();
    await settle();
    // Mid-resync: one new object, one changed not yet sent, one removed not yet sent.
    put(desired, obj('apps/v1', 'Deployment', 'shop', 'late'), ['eu']);
    put(desired, obj('v1', 'ConfigMap', 'shop', 'c3', { v: 2 }), ['eu'], 2);
    desired.setObject(refKey(refOf(obj('v1', 'ConfigMap', 'shop', 'c2'))), new Map());
    for (let i = 0; i < 6; i++) stream.drain();
    await settle();
    const types = m.seen.map((s) => s.type);
    const end = types.indexOf('syncEnd');
    const syncedNames = m.seen.slice(0, end).flatMap((s) => (s.type === 'apply' ? [s.object.metadata.name] : []));
    assert.deepEqual(syncedNames, ['c0', 'c1', 'c3']);
    assert.equal(m.applied().find((o) => o.metadata.name === 'c3')!.spec && (m.applied().find((o) => o.metadata.name === 'c3')!.spec as { v: number }).v, 2);
    // The new object arrives after SyncEnd; nothing is deleted.
    assert.deepEqual(m.seen.slice(end + 1).map((s) => (s.type === 'apply' ? s.object.metadata.name : s.type)), ['late']);
    assert.equal(m.of('delete').length, 0);
  });

  it('records refusals with their reason and sets overwrite when asked', async () => {
    put(desired, deploy, ['eu']);
    desired.setObject(refKey(refOf(cm)), new Map([['eu', { ...desiredOf(cm), overwrite: true }]]));
    const m = new ScriptedMember('eu');
    m.refuse = (o, overwrite) => (overwrite ? undefined : { error: `${o.kind} ${o.metadata.name} exists and is not managed by fedgate`, reason: 'AlreadyExists' });
    dispatcher.attach(m.stream);
    m.hello();
    await settle();
    const byKey = new Map(acks.map((a) => [a.key, a.ack]));
    assert.equal(byKey.get(refKey(refOf(deploy)))!.reason, 'AlreadyExists');
    assert.match(byKey.get(refKey(refOf(deploy)))!.error!, /not managed/);
    assert.equal(byKey.get(refKey(refOf(cm)))!.error, undefined);
    assert.equal(m.of('apply').find((a) => a.object.kind === 'ConfigMap')!.overwrite, true);
  });

  it('pings on the clock and reports the round trip', async () => {
    const rtts: number[] = [];
    const d = new Dispatcher({ desired, clock, logger: silentLogger, pingIntervalMs: 2000, events: { onPong: (_c, rtt) => rtts.push(rtt) } });
    const m = new ScriptedMember('eu');
    d.attach(m.stream);
    m.hello();
    await settle();
    await clock.advance(2000);
    assert.equal(m.of('ping').length, 1);
    m.gateway.send({ pong: { pingSentUnixMs: clock.now() - 30 } });
    await settle();
    assert.deepEqual(rtts, [30]);
    await clock.advance(4000);
    assert.equal(m.of('ping').length, 3);
    d.stop();
  });

  it('refuses streams of clusters that are not joined and a Hello with another name', async () => {
    const d = new Dispatcher({ desired, clock, logger: silentLogger, isJoined: (c) => c === 'eu' });
    const stranger = new ScriptedMember('xx');
    d.attach(stranger.stream);
    await settle();
    assert.equal(stranger.closed(), true);
    const liar = new ScriptedMember('eu');
    d.attach(liar.stream);
    liar.gateway.send({ hello: { clusterName: 'us' } });
    await settle();
    assert.equal(liar.closed(), true);
    assert.equal(liar.seen.length, 0);
    d.stop();
  });

  it('closes a stream with PERMISSION_DENIED reasons: not joined, a Hello naming another cluster, unjoined', async () => {
    const closedWith = (m: ScriptedMember): Promise<Error | undefined> => new Promise((resolve) => m.gateway.onClose(resolve));
    const forbidden = (err: Error | undefined, message: RegExp): void => {
      assert.ok(err instanceof StatusError, String(err));
      assert.equal(err.reason, StatusReason.Forbidden);
      assert.match(err.message, message);
    };
    const d = new Dispatcher({ desired, clock, logger: silentLogger, isJoined: (c) => c === 'eu' });
    const stranger = new ScriptedMember('xx');
    const strangerClosed = closedWith(stranger);
    d.attach(stranger.stream);
    forbidden(await strangerClosed, /^cluster xx is not joined$/);
    const liar = new ScriptedMember('eu');
    const liarClosed = closedWith(liar);
    d.attach(liar.stream);
    liar.gateway.send({ hello: { clusterName: 'us' } });
    forbidden(await liarClosed, /^certificate is for cluster eu, not us$/);
    const member = new ScriptedMember('eu');
    const memberClosed = closedWith(member);
    d.attach(member.stream);
    member.hello();
    await settle();
    await d.unjoin('eu');
    forbidden(await memberClosed, /^cluster eu was unjoined; its member certificates are revoked$/);
    d.stop();
  });

  it('passes on status reports only for objects placed on the reporting cluster; others are dropped with a warning', async () => {
    const reports: { cluster: string; key: string; report: MemberStatusReport }[] = [];
    const warnings: { fields: Record<string, unknown>; msg: string }[] = [];
    const logger: Logger = { ...silentLogger, warn: (fields, msg) => warnings.push({ fields, msg }) };
    const d = new Dispatcher({ desired, clock, logger, events: { onStatus: (cluster, key, report) => reports.push({ cluster, key, report }) } });
    put(desired, cm, ['eu']);
    put(desired, deploy, ['us']);
    const eu = new ScriptedMember('eu');
    d.attach(eu.stream);
    eu.hello();
    await settle();
    const status = (ref: { apiVersion: string; kind: string; namespace?: string; name: string }, body: unknown) =>
      eu.gateway.send({ status: { ref: { namespace: '', ...ref }, status: new TextEncoder().encode(JSON.stringify(body)), generation: 1, observedGeneration: 1 } });
    status({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, { readyReplicas: 999 }); // us's placement
    status({ apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', name: 'us' }, { conditions: [{ type: 'Ready', status: 'False' }] });
    status({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, { readyReplicas: 998 }); // again: counted, logged once
    status({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg' }, { own: true });
    await settle();
    assert.deepEqual(reports.map((r) => [r.cluster, r.key, r.report.status]), [['eu', refKey(refOf(cm)), { own: true }]]);
    assert.equal(d.session('eu')?.refusedStatusReports(), 3);
    const ignored = warnings.filter((w) => w.msg === 'status report ignored: the object is not placed on the reporting cluster');
    assert.deepEqual(ignored.map((w) => [w.fields['cluster'], w.fields['object']]), [
      ['eu', refKey(refOf(deploy))],
      ['eu', 'cluster.fedgate.io/v1alpha1:Cluster::us'],
    ]);
    // Once the object left the cluster's placement (its Delete went out), its reports are dropped too.
    put(desired, cm, []);
    await settle();
    status({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg' }, { own: 'still' });
    await settle();
    assert.equal(eu.of('delete').length, 1);
    assert.equal(reports.length, 1);
    assert.equal(d.session('eu')?.refusedStatusReports(), 4);
    d.stop();
  });

  it('checks membership again once the desired state is complete (streams that arrive early)', async () => {
    put(desired, deploy, ['eu']);
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    let joined = new Set<string>();
    const d = new Dispatcher({ desired, clock, logger: silentLogger, ready: () => ready, isJoined: (c) => joined.has(c) });
    const early = new ScriptedMember('xx');
    const member = new ScriptedMember('eu');
    d.attach(early.stream);
    d.attach(member.stream);
    early.hello();
    member.hello();
    await settle();
    assert.equal(early.closed(), false, 'not refused while the cluster list may be incomplete');
    joined = new Set(['eu']);
    release();
    await settle();
    assert.equal(early.closed(), true);
    assert.equal(early.seen.length, 0);
    assert.deepEqual(member.seen.map((s) => s.type), ['syncStart', 'apply', 'syncEnd']);
    d.stop();
  });

  it('a newer stream of the same cluster replaces the old one', async () => {
    put(desired, deploy, ['eu']);
    const a = new ScriptedMember('eu');
    dispatcher.attach(a.stream);
    a.hello();
    await settle();
    const b = new ScriptedMember('eu');
    dispatcher.attach(b.stream);
    b.hello();
    await settle();
    assert.equal(a.closed(), true);
    assert.equal(dispatcher.session('eu')!.state, SessionState.Live);
    put(desired, svc, ['eu']);
    await settle();
    assert.equal(b.applied('Service').length, 1);
    assert.equal(a.applied('Service').length, 0);
  });

  it('unjoin orphans by default and purges with Deletes when asked, within a deadline', async () => {
    put(desired, deploy, ['eu', 'us']);
    put(desired, ns, ['eu', 'us']);
    const eu = new ScriptedMember('eu');
    const us = new ScriptedMember('us');
    dispatcher.attach(eu.stream);
    dispatcher.attach(us.stream);
    eu.hello();
    us.hello();
    await settle();
    await dispatcher.unjoin('eu');
    await settle();
    assert.equal(eu.closed(), true);
    assert.equal(eu.of('delete').length, 0);
    const purged = dispatcher.unjoin('us', { purge: true });
    await purged;
    assert.deepEqual(us.of('delete').map((d) => d.ref.kind), ['Deployment', 'Namespace']);
    assert.equal(us.closed(), true);
    // An unreachable member: no acks; the deadline ends the purge.
    const silent = new ScriptedMember('ap');
    put(desired, deploy, ['eu', 'us', 'ap']);
    dispatcher.attach(silent.stream);
    silent.hello();
    await settle();
    silent.ack = false;
    let done = false;
    const p = dispatcher.unjoin('ap', { purge: true, deadlineMs: 3000 }).then(() => (done = true));
    await clock.advance(2999);
    assert.equal(done, false);
    await clock.advance(1);
    await p;
    assert.equal(silent.closed(), true);
  });

  it('a session that closed sends nothing more', async () => {
    const m = new ScriptedMember('eu');
    const session = new MemberSession({ stream: m.stream, desired, clock, logger: silentLogger, epoch: 7 });
    session.start();
    m.hello();
    await settle();
    session.close();
    put(desired, deploy, ['eu']);
    await settle();
    assert.equal(session.state, SessionState.Closed);
    assert.deepEqual(m.seen.map((s) => s.type), ['syncStart', 'syncEnd']);
  });
});
