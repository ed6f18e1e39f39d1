import assert from 'node:assert/strict';
import type { Pod, ReplicaSet } from '../../../../member-cluster/api-types.js';
import { ReplicaSetController } from '../../../../member-cluster/controllers/replicaset.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

function rs(name: string, replicas: number, labels = { app: 'web' }): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels) },
  };
}

describe('member-cluster/controllers/replicaset', () => {
  let f: Fixture;
  let c: ReplicaSetController;
  beforeEach(async () => {
    f = await newFixture();
    c = new ReplicaSetController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    c.writer.close();
    await f.close();
  });

  it('creates pods named <rs>-<5 chars> owned by the ReplicaSet, Pending, with the template labels', async () => {
    const r = await f.create(rs('web-abc', 3));
    await c.reconcile('default/web-abc');
    await f.settle();
    const pods = await f.list<Pod>('pods', 'default');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name ?? '', /^web-abc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(p.metadata.ownerReferences?.[0]?.uid, r.metadata.uid);
      assert.equal(p.metadata.ownerReferences?.[0]?.controller, true);
      assert.equal(p.metadata.labels?.['app'], 'web');
      assert.equal(p.status?.phase, 'Pending');
      assert.ok(p.metadata.uid);
    }
    const after = await f.get<ReplicaSet>('replicasets', 'default', 'web-abc');
    assert.equal(after?.status?.replicas, 3);
    assert.equal(after?.status?.readyReplicas, 0);
    assert.equal(after?.status?.observedGeneration, 1);
    // Idempotent: a second pass creates nothing more.
    await c.reconcile('default/web-abc');
    assert.equal((await f.list<Pod>('pods', 'default')).length, 3);
  });

  it('scales down deleting unscheduled, then not-ready pods first; counts ready and available', async () => {
    await f.create(rs('web-abc', 4));
    await c.reconcile('default/web-abc');
    await f.settle();
    const pods = await f.list<Pod>('pods', 'default');
    // pods[0]: ready on node; pods[1]: running not ready on node; pods[2]: ready on node; pods[3]: unscheduled.
    await f.setPod(pods[0]!, { nodeName: 'n0', ready: true, ip: '127.1.0.10' });
    await f.setPod(pods[1]!, { nodeName: 'n0', ready: false, ip: '127.1.0.11' });
    await f.setPod(pods[2]!, { nodeName: 'n1', ready: true, ip: '127.1.0.12' });
    await c.reconcile('default/web-abc');
    let status = (await f.get<ReplicaSet>('replicasets', 'default', 'web-abc'))?.status;
    assert.deepEqual([status?.replicas, status?.readyReplicas, status?.availableReplicas], [4, 2, 2]);
    await f.update<ReplicaSet>('replicasets', 'default', 'web-abc', (o) => {
      o.spec.replicas = 2;
    });
    await c.reconcile('default/web-abc');
    await f.settle();
    const left = (await f.list<Pod>('pods', 'default')).map((p) => p.metadata.name).sort();
    assert.deepEqual(left, [pods[0]!.metadata.name, pods[2]!.metadata.name].sort());
    status = (await f.get<ReplicaSet>('replicasets', 'default', 'web-abc'))?.status;
    assert.deepEqual([status?.replicas, status?.readyReplicas, status?.observedGeneration], [2, 2, 2]);
  });

  it('adopts matching orphans and ignores terminal pods when counting', async () => {
    const orphan = await f.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: template({}).spec });
    await f.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', namespace: 'default', labels: { app: 'db' } }, spec: template({}).spec });
    const r = await f.create(rs('web-abc', 2));
    await c.reconcile('default/web-abc');
    await f.settle();
    const adopted = await f.get<Pod>('pods', 'default', 'stray');
    assert.equal(adopted?.metadata.ownerReferences?.[0]?.uid, r.metadata.uid);
    assert.equal(adopted?.metadata.uid, orphan.metadata.uid);
    const owned = (await f.list<Pod>('pods', 'default')).filter((p) => p.metadata.ownerReferences?.[0]?.uid === r.metadata.uid);
    assert.equal(owned.length, 2);
    assert.equal((await f.get<Pod>('pods', 'default', 'other'))?.metadata.ownerReferences, undefined);
    // A Succeeded pod no longer counts: a replacement is created.
    await f.setPod(adopted!, { phase: 'Succeeded' });
    await c.reconcile('default/web-abc');
    await f.settle();
    const all = (await f.list<Pod>('pods', 'default')).filter((p) => p.metadata.ownerReferences?.[0]?.uid === r.metadata.uid);
    assert.equal(all.length, 3);
    assert.equal((await f.get<ReplicaSet>('replicasets', 'default', 'web-abc'))?.status?.replicas, 2);
  });

  it('a deleted ReplicaSet is a no-op', async () => {
    await c.reconcile('default/nothing');
    assert.equal((await f.list<Pod>('pods')).length, 0);
  });
});
