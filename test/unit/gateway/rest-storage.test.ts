import assert from 'node:assert/strict';
import { applyMergePatch, isConflict, isExpired, isNotFound, ResourceRegistry, storeKey, type ResourceInfo } from '../../../apimachinery/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { RestStorage } from '../../../gateway/rest-storage.js';

describe('gateway/rest-storage (SQLite in memory)', () => {
  const registry = new ResourceRegistry();
  const namespaces = registry.byResource('', 'v1', 'namespaces') as ResourceInfo;
  const configmaps = registry.byResource('', 'v1', 'configmaps') as ResourceInfo;
  let store: Store;
  let storage: RestStorage;
  let uid = 0;

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    storage = new RestStorage({ store, registry, now: () => new Date('2026-03-04T05:06:07Z'), newUid: () => `uid-${++uid}` });
    await storage.create(namespaces, undefined, { metadata: { name: 'ns' } }, { dryRun: false });
  });

  afterEach(async () => {
    await store.close();
  });

  const ref = (name: string) => ({ resource: configmaps, namespace: 'ns', name });

  it('stores no resourceVersion inside the value; reads stamp the modRevision', async () => {
    const created = await storage.create(configmaps, 'ns', { metadata: { name: 'a' }, data: { k: 'v' } }, { dryRun: false });
    const kv = await store.get(storeKey(configmaps, 'ns', 'a'));
    assert.ok(kv);
    assert.equal(JSON.parse(kv.value).metadata.resourceVersion, undefined);
    assert.equal(created.metadata.resourceVersion, String(kv.modRevision));
    assert.equal(created.metadata.uid, `uid-${uid}`);
    assert.equal(created.metadata.creationTimestamp, '2026-03-04T05:06:07Z');
  });

  it('loses no update when patches race (compare-and-swap with retry)', async () => {
    await storage.create(configmaps, 'ns', { metadata: { name: 'race' }, data: {} }, { dryRun: false });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        storage.patch(ref('race'), (cur) => applyMergePatch(cur, { data: { [`k${i}`]: String(i) } }), undefined, { dryRun: false }),
      ),
    );
    const final = await storage.get(ref('race'));
    assert.equal(Object.keys(final['data'] as object).length, 20);
  });

  it('treats a given resourceVersion as a precondition and a missing one as unconditional', async () => {
    const a = await storage.create(configmaps, 'ns', { metadata: { name: 'u' }, data: { v: '1' } }, { dryRun: false });
    const b = await storage.update(ref('u'), { ...a, data: { v: '2' } }, undefined, { dryRun: false });
    await assert.rejects(storage.update(ref('u'), { ...a, data: { v: '3' } }, undefined, { dryRun: false }), isConflict);
    const unconditional = { ...a, metadata: { ...a.metadata, resourceVersion: undefined }, data: { v: '4' } };
    const c = await storage.update(ref('u'), unconditional, undefined, { dryRun: false });
    assert.ok(Number(c.metadata.resourceVersion) > Number(b.metadata.resourceVersion));
    assert.deepEqual(c['data'], { v: '4' });
  });

  it('does not write an update that changes nothing', async () => {
    const a = await storage.create(configmaps, 'ns', { metadata: { name: 'same' }, data: { v: '1' } }, { dryRun: false });
    const again = await storage.update(ref('same'), a, undefined, { dryRun: false });
    assert.equal(again.metadata.resourceVersion, a.metadata.resourceVersion);
  });

  it('reports a compacted continue revision as 410 Expired', async () => {
    for (const n of ['a', 'b', 'c']) await storage.create(configmaps, 'ns', { metadata: { name: n } }, { dryRun: false });
    const first = await storage.list(configmaps, 'ns', { limit: 1 });
    assert.ok(first.metadata.continue);
    await storage.create(configmaps, 'ns', { metadata: { name: 'd' } }, { dryRun: false });
    await store.compact(await store.currentRevision());
    await assert.rejects(storage.list(configmaps, 'ns', { limit: 1, continueToken: first.metadata.continue }), (err) => {
      assert.ok(isExpired(err));
      assert.equal((err as { code: number }).code, 410);
      return true;
    });
  });

  it('deletes with the delete revision as the returned resourceVersion', async () => {
    const a = await storage.create(configmaps, 'ns', { metadata: { name: 'gone' } }, { dryRun: false });
    const deleted = await storage.delete(ref('gone'), { dryRun: false });
    assert.ok(Number(deleted.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    await assert.rejects(storage.get(ref('gone')), isNotFound);
  });
});
