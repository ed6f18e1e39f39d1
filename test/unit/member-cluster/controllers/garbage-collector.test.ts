import assert from 'node:assert/strict';
import { newControllerRef } from '../../../../apimachinery/index.js';
import type { Deployment, Pod, ReplicaSet } from '../../../../member-cluster/api-types.js';
import { GarbageCollector, gcKey } from '../../../../member-cluster/controllers/garbage-collector.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

describe('member-cluster/controllers/garbage-collector', () => {
  let f: Fixture;
  let gc: GarbageCollector;
  beforeEach(async () => {
    f = await newFixture();
    gc = new GarbageCollector(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    gc.writer.close();
    await f.close();
  });

  const pods = (): Promise<Pod[]> => f.list<Pod>('pods', 'default');
  const rsKey = (name: string): string => gcKey({ group: 'apps', plural: 'replicasets' }, { metadata: { namespace: 'default', name } });
  const podKey = (name: string): string => gcKey({ group: '', plural: 'pods' }, { metadata: { namespace: 'default', name } });
  const dKey = (name: string): string => gcKey({ group: 'apps', plural: 'deployments' }, { metadata: { namespace: 'default', name } });

  async function rsWithPods(name: string, n: number, owner?: Deployment, finalizers?: string[]): Promise<ReplicaSet> {
    const rs = await f.create<ReplicaSet>({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [newControllerRef(owner)] } : {}), ...(finalizers ? { finalizers } : {}) },
      spec: { replicas: n, selector: { matchLabels: { app: name } }, template: template({ app: name }) },
    });
    for (let i = 0; i < n; i++) {
      await f.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-${i}`, namespace: 'default', ownerReferences: [newControllerRef(rs)] }, spec: template({}).spec });
    }
    return rs;
  }

  it('background: deletes dependents whose owner is gone, keeps those with a live owner', async () => {
    await rsWithPods('a', 2);
    const b = await rsWithPods('b', 1);
    // A pod with two owners, one of which goes away, keeps the live one.
    await f.update<Pod>('pods', 'default', 'b-0', (p) => {
      p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: (p.metadata.ownerReferences ?? [])[0]!.uid.replace(/.$/, 'x') }];
    });
    await f.store.delete('/registry/apps/replicasets/default/a');
    await f.settle();
    for (const name of ['a-0', 'a-1', 'b-0']) await gc.reconcile(podKey(name));
    await f.settle();
    const left = await pods();
    assert.deepEqual(left.map((p) => p.metadata.name), ['b-0']);
    assert.deepEqual(left[0]!.metadata.ownerReferences?.map((r) => r.uid), [b.metadata.uid], 'the dangling reference is dropped');
  });

  it('treats an owner re-created under the same name with another uid as gone', async () => {
    await rsWithPods('a', 1);
    await f.store.delete('/registry/apps/replicasets/default/a');
    await f.create<ReplicaSet>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'a', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) } });
    await gc.reconcile(podKey('a-0'));
    await f.settle();
    assert.equal((await pods()).length, 0);
  });

  it('foreground: deletes dependents first (recursively) and completes the owner once none block', async () => {
    const d = await f.create<Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) },
    });
    await rsWithPods('web-1', 2, d);
    await f.update<Deployment>('deployments', 'default', 'web', (o) => {
      o.metadata.finalizers = ['foregroundDeletion'];
      o.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    });
    await gc.reconcile(dKey('web'));
    await f.settle();
    const rs = await f.get<ReplicaSet>('replicasets', 'default', 'web-1');
    assert.ok(rs?.metadata.deletionTimestamp, 'the ReplicaSet is deleting in the foreground');
    assert.deepEqual(rs?.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(await f.get('deployments', 'default', 'web'), 'the owner waits for its blocking dependent');
    await gc.reconcile(rsKey('web-1'));
    await f.settle();
    assert.equal((await pods()).length, 0);
    await gc.reconcile(rsKey('web-1'));
    await f.settle();
    assert.equal(await f.get('replicasets', 'default', 'web-1'), undefined);
    await gc.reconcile(dKey('web'));
    await f.settle();
    assert.equal(await f.get('deployments', 'default', 'web'), undefined);
  });

  it('orphan: removes the owner reference from dependents, then the finalizer', async () => {
    await rsWithPods('a', 2, undefined, ['orphan']);
    await f.update<ReplicaSet>('replicasets', 'default', 'a', (o) => {
      o.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    });
    await gc.reconcile(rsKey('a'));
    await f.settle();
    assert.equal(await f.get('replicasets', 'default', 'a'), undefined);
    const left = await pods();
    assert.equal(left.length, 2);
    assert.ok(left.every((p) => p.metadata.ownerReferences === undefined));
  });

  it('runs by itself from informer events', async () => {
    const run = gc.start();
    try {
      await rsWithPods('a', 3);
      await f.store.delete('/registry/apps/replicasets/default/a');
      for (let i = 0; i < 50 && (await pods()).length > 0; i++) await f.settle();
      assert.equal((await pods()).length, 0);
    } finally {
      await run.stop();
    }
  });
});
