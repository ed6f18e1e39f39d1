import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../apimachinery/index.js';
import type { ConfigMap, Pod } from '../../../../member-cluster/api-types.js';
import { NamespaceController } from '../../../../member-cluster/controllers/namespace.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

describe('member-cluster/controllers/namespace', () => {
  let f: Fixture;
  let c: NamespaceController;
  beforeEach(async () => {
    f = await newFixture();
    c = new NamespaceController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    c.writer.close();
    await f.close();
  });

  it('deletes everything in a terminating namespace, waits for finalizers, then removes the namespace', async () => {
    await f.create<KubeObject>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, spec: { finalizers: ['kubernetes'] } });
    await f.create<KubeObject>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' }, spec: { finalizers: ['kubernetes'] } });
    await f.create<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' } });
    await f.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', finalizers: ['example.com/hold'] }, spec: template({}).spec });
    await f.create<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', namespace: 'other' } });
    await c.reconcile('shop');
    assert.ok(await f.get('namespaces', undefined, 'shop'), 'a live namespace is left alone');
    await f.update('namespaces', undefined, 'shop', (ns) => {
      ns.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    });
    await c.reconcile('shop');
    await f.settle();
    assert.equal(await f.get('configmaps', 'shop', 'cfg'), undefined);
    const held = await f.get<Pod>('pods', 'shop', 'p');
    assert.ok(held?.metadata.deletionTimestamp, 'an object with finalizers is only marked');
    assert.ok(await f.get('namespaces', undefined, 'shop'));
    await c.reconcile('shop');
    assert.ok(await f.get('namespaces', undefined, 'shop'), 'still waiting for the held pod');
    await f.update<Pod>('pods', 'shop', 'p', (p) => {
      p.metadata.finalizers = [];
    });
    assert.equal(await f.get('pods', 'shop', 'p'), undefined, 'removing the last finalizer completes the delete');
    await c.reconcile('shop');
    await f.settle();
    assert.equal(await f.get('namespaces', undefined, 'shop'), undefined);
    assert.ok(await f.get('configmaps', 'other', 'keep'));
    assert.ok(await f.get('namespaces', undefined, 'other'));
    await c.reconcile('shop'); // idempotent once gone
  });
});
