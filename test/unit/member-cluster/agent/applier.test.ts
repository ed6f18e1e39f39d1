import assert from 'node:assert/strict';
import { MANAGED_BY_LABEL, type KubeObject, type ResourceRegistry } from '../../../../apimachinery/index.js';
import { silentLogger } from '../../../../controller/index.js';
import { Applier, APPLIED_KEYS_ANNOTATION } from '../../../../member-cluster/agent/index.js';
import type { Store } from '../../../../store/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';
import { bytes, configMap, deployment, managedLabels, memberRegistry, names, newStore, putObject, stored } from './agent-fixture.js';

describe('member-cluster/agent Applier', () => {
  let store: Store;
  let registry: ResourceRegistry;
  let applier: Applier;
  let seq: number;
  const applied: string[] = [];

  beforeEach(async () => {
    store = await newStore();
    registry = memberRegistry();
    applied.length = 0;
    applier = new Applier({ store, registry, clock: new FakeClock(Date.parse('2025-01-01T00:00:00Z')), logger: silentLogger, onApplied: (r) => applied.push(r.plural) });
    seq = 0;
  });

  afterEach(async () => {
    await store.close();
  });

  const apply = (obj: unknown, overwrite = false) => applier.apply({ seq: ++seq, object: bytes(obj), overwrite });
  const get = (resource: string, ns: string | undefined, name: string) => stored(store, registry, resource, ns, name);

  describe('Apply', () => {
    it('creates the object with uid, creationTimestamp, generation 1 and the managed mark, and acks its generation', async () => {
      const ack = await apply(deployment('shop', 'web', 2, 'app:v1', {}));
      assert.deepEqual(ack, { seq: 1, ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, observedGeneration: 1, error: '', reason: '' });
      const d = await get('deployments', 'shop', 'web');
      assert.ok(d);
      assert.match(d.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(d.metadata.creationTimestamp, '2025-01-01T00:00:00Z');
      assert.equal(d.metadata.generation, 1);
      assert.equal(d.metadata.labels?.[MANAGED_BY_LABEL], 'fedgate');
      assert.equal((d.spec as { replicas: number }).replicas, 2);
      assert.deepEqual(applied, ['deployments']);
    });

    it('drops what the gateway must not decide: status, uid, resourceVersion, owners and finalizers', async () => {
      const obj = deployment('shop', 'web', 1);
      obj.metadata = { ...obj.metadata, uid: 'gateway-uid', resourceVersion: '77', generation: 9, finalizers: ['gateway.fedgate.io/x'], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] };
      obj.status = { readyReplicas: 5 };
      await apply(obj);
      const d = await get('deployments', 'shop', 'web');
      assert.notEqual(d?.metadata.uid, 'gateway-uid');
      assert.equal(d?.metadata.generation, 1);
      assert.equal(d?.metadata.finalizers, undefined);
      assert.equal(d?.metadata.ownerReferences, undefined);
      assert.equal(d?.status, undefined);
    });

    it('updates: generation moves only when the spec changes, and member-owned fields stay', async () => {
      await apply(deployment('shop', 'web', 2));
      const created = (await get('deployments', 'shop', 'web'))!;
      // The member's controllers write status, a finalizer and an annotation of their own.
      const withMemberFields: KubeObject = structuredClone(created);
      delete withMemberFields.metadata.resourceVersion;
      withMemberFields.status = { replicas: 2, readyReplicas: 2, observedGeneration: 1 };
      withMemberFields.metadata.finalizers = ['member.example/keep'];
      withMemberFields.metadata.annotations = { ...withMemberFields.metadata.annotations, 'deployment.kubernetes.io/revision': '1' };
      await store.update(`/registry/apps/deployments/shop/web`, JSON.stringify(withMemberFields), Number(created.metadata.resourceVersion));

      const labelsOnly = deployment('shop', 'web', 2);
      labelsOnly.metadata.labels = { ...labelsOnly.metadata.labels, tier: 'front' };
      const ack1 = await apply(labelsOnly);
      assert.equal(ack1.observedGeneration, 1, 'labels are not a generation field');
      const afterLabels = (await get('deployments', 'shop', 'web'))!;
      assert.equal(afterLabels.metadata.labels?.['tier'], 'front');
      assert.equal(afterLabels.metadata.generation, 1);

      const ack2 = await apply(deployment('shop', 'web', 5));
      assert.equal(ack2.observedGeneration, 2);
      const updated = (await get('deployments', 'shop', 'web'))!;
      assert.equal((updated.spec as { replicas: number }).replicas, 5);
      assert.equal(updated.metadata.generation, 2);
      assert.equal(updated.metadata.uid, created.metadata.uid);
      assert.equal(updated.metadata.creationTimestamp, created.metadata.creationTimestamp);
      assert.deepEqual(updated.status, { replicas: 2, readyReplicas: 2, observedGeneration: 1 });
      assert.deepEqual(updated.metadata.finalizers, ['member.example/keep']);
      assert.equal(updated.metadata.annotations?.['deployment.kubernetes.io/revision'], '1', 'a controller annotation stays');
      assert.equal(updated.metadata.labels?.['tier'], undefined, 'a label the gateway stopped sending goes');
    });

    it('is idempotent: the same Apply again writes nothing (the store revision does not move)', async () => {
      await apply(deployment('shop', 'web', 2));
      await apply(configMap('shop', 'cfg', { a: '1' }));
      const before = await store.currentRevision();
      const ack1 = await apply(deployment('shop', 'web', 2));
      const ack2 = await apply(configMap('shop', 'cfg', { a: '1' }));
      assert.equal(await store.currentRevision(), before);
      assert.equal(ack1.error, '');
      assert.equal(ack1.observedGeneration, 1);
      assert.equal(ack2.error, '');
      // ...and a real change does move it.
      await apply(configMap('shop', 'cfg', { a: '2' }));
      assert.ok((await store.currentRevision()) > before);
      assert.deepEqual((await get('configmaps', 'shop', 'cfg'))?.['data'], { a: '2' });
    });

    it('keeps the cluster IP the member allocated to a Service the gateway sends without one', async () => {
      const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: managedLabels }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
      await apply(svc);
      const created = (await get('services', 'shop', 'web'))!;
      const withIp = structuredClone(created);
      delete withIp.metadata.resourceVersion;
      withIp.spec = { ...(withIp.spec as object), clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] };
      await store.update('/registry/core/services/shop/web', JSON.stringify(withIp), Number(created.metadata.resourceVersion));
      const before = await store.currentRevision();
      await apply(svc);
      assert.equal(await store.currentRevision(), before, 'nothing to write');
      const after = (await get('services', 'shop', 'web'))!;
      assert.deepEqual(after.spec, { selector: { app: 'web' }, ports: [{ port: 80 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    });

    it('creates a missing namespace, marked managed and Active', async () => {
      await apply(configMap('team-a', 'cfg', { a: '1' }));
      const ns = await get('namespaces', undefined, 'team-a');
      assert.ok(ns);
      assert.equal(ns.metadata.labels?.[MANAGED_BY_LABEL], 'fedgate');
      assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
      assert.deepEqual(ns.status, { phase: 'Active' });
      assert.ok(ns.metadata.uid);
    });

    it('leaves an existing namespace alone', async () => {
      await putObject(store, registry, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'x' } } });
      await apply(configMap('shop', 'cfg', { a: '1' }));
      const ns = await get('namespaces', undefined, 'shop');
      assert.deepEqual(ns?.metadata.labels, { team: 'x' });
    });

    it('refuses a namespace that is being deleted', async () => {
      await putObject(store, registry, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', deletionTimestamp: '2025-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] } });
      const ack = await apply(configMap('shop', 'cfg', { a: '1' }));
      assert.equal(ack.reason, 'Forbidden');
      assert.match(ack.error ?? '', /being terminated/);
      assert.equal(await get('configmaps', 'shop', 'cfg'), undefined);
    });

    it('does not touch an unmanaged object of the same name unless overwrite', async () => {
      await putObject(store, registry, configMap('shop', 'x', { mine: 'yes' }, { owner: 'team' }));
      const before = await store.currentRevision();
      const ack = await apply(configMap('shop', 'x', { theirs: 'yes' }));
      assert.equal(ack.reason, 'AlreadyExists');
      assert.equal(ack.observedGeneration, 0);
      assert.equal(ack.error, 'configmaps "x" exists in the member and is not managed by fedgate; set conflictResolution: Overwrite to take it over');
      assert.deepEqual(ack.ref, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'x' });
      assert.equal(await store.currentRevision(), before, 'nothing written');
      assert.deepEqual((await get('configmaps', 'shop', 'x'))?.['data'], { mine: 'yes' });

      const over = await apply(configMap('shop', 'x', { theirs: 'yes' }), true);
      assert.equal(over.error, '');
      const taken = (await get('configmaps', 'shop', 'x'))!;
      assert.deepEqual(taken['data'], { theirs: 'yes' });
      assert.equal(taken.metadata.labels?.[MANAGED_BY_LABEL], 'fedgate');
      assert.equal(taken.metadata.labels?.['owner'], 'team', 'labels the gateway never set stay');
      assert.equal(taken.metadata.uid, 'uid-x', 'taken over, not re-created');
    });

    it('names the group in the conflict message of a grouped kind', async () => {
      await putObject(store, registry, deployment('shop', 'web', 1, 'app:v1', {}));
      const ack = await apply(deployment('shop', 'web', 3));
      assert.match(ack.error ?? '', /^deployments\.apps "web" exists in the member and is not managed by fedgate/);
    });

    it('refuses an invalid object with reason Invalid and writes nothing', async () => {
      const bad = deployment('shop', 'web', 1);
      delete (bad.spec as Record<string, unknown>)['selector'];
      const ack = await apply(bad);
      assert.equal(ack.reason, 'Invalid');
      assert.match(ack.error ?? '', /Deployment "web" is invalid: .*spec\.selector/);
      assert.equal(ack.observedGeneration, 0);
      assert.equal(await get('deployments', 'shop', 'web'), undefined);
      assert.equal(await get('namespaces', undefined, 'shop'), undefined, 'not even its namespace');

      const badName = configMap('shop', 'Not_A_Name', {});
      assert.equal((await apply(badName)).reason, 'Invalid');
    });

    it('refuses unknown kinds with NotFound and malformed bytes with BadRequest', async () => {
      const ack = await apply({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } });
      assert.equal(ack.reason, 'NotFound');
      assert.deepEqual(ack.ref, { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'shop', name: 'w' });
      const broken = await applier.apply({ seq: 99, object: Buffer.from('{not json') });
      assert.equal(broken.seq, 99);
      assert.equal(broken.reason, 'BadRequest');
    });

    it('acks Apply and Delete with their seq', async () => {
      const a = await applier.apply({ seq: 41, object: bytes(configMap('shop', 'c', {})) });
      const d = await applier.delete({ seq: 42, ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' } });
      assert.equal(a.seq, 41);
      assert.equal(d.seq, 42);
      assert.equal(applier.lastAppliedSeq, 42);
    });
  });

  describe('Delete', () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg' };

    it('deletes a managed object; deleting it again acks fine', async () => {
      await apply(configMap('shop', 'cfg', { a: '1' }));
      const ack = await applier.delete({ seq: 10, ref });
      assert.deepEqual(ack, { seq: 10, ref, observedGeneration: 0, error: '', reason: '' });
      assert.equal(await get('configmaps', 'shop', 'cfg'), undefined);
      const again = await applier.delete({ seq: 11, ref });
      assert.equal(again.error, '');
    });

    it('only marks an object with finalizers for deletion', async () => {
      await apply(deployment('shop', 'web', 1));
      const d = (await get('deployments', 'shop', 'web'))!;
      delete d.metadata.resourceVersion;
      d.metadata.finalizers = ['member.example/cleanup'];
      const kv = (await store.get('/registry/apps/deployments/shop/web'))!;
      await store.update(kv.key, JSON.stringify(d), kv.modRevision);
      await applier.delete({ seq: 3, ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' } });
      const after = await get('deployments', 'shop', 'web');
      assert.ok(after?.metadata.deletionTimestamp);
    });

    it('with orphan keeps the object and removes the managed mark', async () => {
      await apply(deployment('shop', 'web', 3));
      const ack = await applier.delete({ seq: 5, ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, orphan: true });
      assert.equal(ack.error, '');
      assert.equal(ack.observedGeneration, 1);
      const d = (await get('deployments', 'shop', 'web'))!;
      assert.equal(d.metadata.labels?.[MANAGED_BY_LABEL], undefined);
      assert.equal(d.metadata.annotations?.[APPLIED_KEYS_ANNOTATION], undefined);
      assert.equal((d.spec as { replicas: number }).replicas, 3);
      assert.equal(d.metadata.deletionTimestamp, undefined);
    });

    it('never deletes an unmanaged object', async () => {
      await putObject(store, registry, configMap('shop', 'cfg', { mine: 'yes' }, {}));
      const ack = await applier.delete({ seq: 1, ref });
      assert.equal(ack.error, '');
      assert.ok(await get('configmaps', 'shop', 'cfg'));
    });
  });

  describe('SyncStart → Apply… → SyncEnd', () => {
    async function preload(): Promise<void> {
      // Managed leftovers of an earlier placement, and the member's own objects.
      await apply(configMap('shop', 'keep', { a: '1' }));
      await apply(configMap('shop', 'stale', { a: '1' }));
      await apply(deployment('shop', 'old-web', 1));
      await apply(configMap('gone-ns', 'stale2', { a: '1' }));
      await putObject(store, registry, configMap('shop', 'users-own', { a: '1' }, { team: 'x' }));
      await putObject(store, registry, configMap('shop', 'owned-copy', { a: '1' }, managedLabels));
      const owned = (await get('configmaps', 'shop', 'owned-copy'))!;
      delete owned.metadata.resourceVersion;
      owned.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'keep-web', uid: 'u1' }];
      const kv = (await store.get('/registry/core/configmaps/shop/owned-copy'))!;
      await store.update(kv.key, JSON.stringify(owned), kv.modRevision);
      await putObject(store, registry, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop', labels: managedLabels }, subsets: [] });
    }

    it('prunes exactly the managed objects not applied in the epoch, namespaces last, never unmanaged ones', async () => {
      await preload();
      applier.syncStart(7);
      await apply(configMap('shop', 'keep', { a: '1' }));
      await apply(configMap('shop', 'new', { b: '2' }));
      const result = await applier.syncEnd(7);
      assert.ok(result);
      assert.deepEqual(
        result.deleted.map((r) => `${r.kind} ${r.namespace}/${r.name}`).sort(),
        ['ConfigMap gone-ns/stale2', 'ConfigMap shop/stale', 'Deployment shop/old-web', 'Namespace /gone-ns'],
      );
      assert.equal(result.deleted.at(-1)?.kind, 'Namespace', 'namespaces go last');
      assert.deepEqual((await names(store, registry, 'configmaps')).sort(), ['shop/keep', 'shop/new', 'shop/owned-copy', 'shop/users-own']);
      assert.deepEqual(await names(store, registry, 'deployments'), []);
      assert.deepEqual(await names(store, registry, 'endpoints'), ['shop/web'], 'derived objects are the member’s');
      // The namespace with a finalizer is marked for deletion (the Namespace controller finishes it); shop stays.
      assert.ok((await get('namespaces', undefined, 'gone-ns'))?.metadata.deletionTimestamp);
      assert.equal((await get('namespaces', undefined, 'shop'))?.metadata.deletionTimestamp, undefined);
      assert.equal(applier.syncEpoch, undefined);
    });

    it('keeps a managed namespace that still holds someone else’s object', async () => {
      await apply(configMap('mixed', 'ours', { a: '1' }));
      await putObject(store, registry, configMap('mixed', 'theirs', { a: '1' }, {}));
      applier.syncStart(1);
      const result = await applier.syncEnd(1);
      assert.deepEqual(result?.deleted.map((r) => r.name), ['ours']);
      assert.equal((await get('namespaces', undefined, 'mixed'))?.metadata.deletionTimestamp, undefined);
    });

    it('an object refused during the resync is not pruned', async () => {
      await apply(deployment('shop', 'web', 1));
      applier.syncStart(2);
      const bad = deployment('shop', 'web', 1);
      delete (bad.spec as Record<string, unknown>)['template'];
      assert.equal((await apply(bad)).reason, 'Invalid');
      const result = await applier.syncEnd(2);
      assert.deepEqual(result?.deleted, []);
      assert.ok(await get('deployments', 'shop', 'web'));
    });

    it('a SyncEnd of another epoch prunes nothing', async () => {
      await preload();
      const before = await store.currentRevision();
      applier.syncStart(3);
      await apply(configMap('shop', 'keep', { a: '1' }));
      assert.equal(await applier.syncEnd(4), undefined);
      assert.equal(await store.currentRevision(), before);
      assert.equal(applier.syncEpoch, 3, 'the open resync may still end properly');
    });

    it('an aborted resync prunes nothing, and a SyncEnd without SyncStart neither', async () => {
      await preload();
      const before = await store.currentRevision();
      applier.syncStart(5);
      await apply(configMap('shop', 'keep', { a: '1' }));
      applier.abortSync();
      assert.equal(await applier.syncEnd(5), undefined);
      assert.equal(await store.currentRevision(), before);
    });
  });
});
