import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinResources, storeKey, type KubeObject, type ResourceInfo } from '../../../apimachinery/index.js';
import {
  BY_NAMESPACE,
  BY_OWNER_UID,
  Informer,
  cloneCached,
  namespaceIndex,
  ownerUidIndex,
  type Logger,
} from '../../../controller/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { ETCD_MISSING, startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { FakeClock, flush } from '../../fixtures/fake-clock.js';

const configMaps: ResourceInfo = builtinResources.find((r) => r.kind === 'ConfigMap')!;
const namespaces: ResourceInfo = builtinResources.find((r) => r.kind === 'Namespace')!;

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

type Seen = string;

function quietLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];
  const at = (_f: Record<string, unknown>, msg: string): void => void messages.push(msg);
  return { messages, debug: at, info: at, warn: at, error: at };
}

function cm(namespace: string, name: string, data: Record<string, string> = {}, extra: Partial<KubeObject['metadata']> = {}): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, uid: `uid-${namespace}-${name}`, ...extra }, data };
}

async function create(store: Store, obj: KubeObject): Promise<number> {
  return store.create(storeKey(configMaps, obj.metadata.namespace, obj.metadata.name!), JSON.stringify(obj));
}

async function update(store: Store, obj: KubeObject): Promise<number> {
  const key = storeKey(configMaps, obj.metadata.namespace, obj.metadata.name!);
  const kv = (await store.get(key))!;
  return store.update(key, JSON.stringify(obj), kv.modRevision);
}

async function remove(store: Store, namespace: string, name: string): Promise<number> {
  return store.delete(storeKey(configMaps, namespace, name));
}

/** Waits (by yielding to the event loop, never by sleeping) until `cond` holds; etcd answers take real time. */
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return;
    await flush();
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Records handler calls as `add ns/name rv`, `update ns/name rv->rv`, `delete ns/name rv`. */
function record<T extends KubeObject>(informer: Informer<T>): Seen[] {
  const seen: Seen[] = [];
  const id = (o: Readonly<T>): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${id(o)} ${o.metadata.resourceVersion}`),
    onUpdate: (a, b) => seen.push(`update ${id(b)} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => seen.push(`delete ${id(o)} ${o.metadata.resourceVersion}`),
  });
  return seen;
}

describe('controller/informer', () => {
  let store: Store;
  const informers: Informer<ConfigMap>[] = [];

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });

  afterEach(async () => {
    for (const i of informers.splice(0)) i.stop();
    await store.close();
  });

  function newInformer(opts: ConstructorParameters<typeof Informer<ConfigMap>>[2] = {}, s: Store = store): Informer<ConfigMap> {
    const informer = new Informer<ConfigMap>(s, configMaps, { logger: quietLogger(), ...opts });
    informers.push(informer);
    return informer;
  }

  it('lists, then watches: adds, updates and deletes in order, resourceVersion = modRevision', async () => {
    const r1 = await create(store, cm('a', 'one', { k: '1' }));
    const r2 = await create(store, cm('b', 'two'));
    const informer = newInformer();
    const seen = record(informer);
    assert.equal(informer.hasSynced(), false);
    informer.start();
    await informer.waitForSync();
    assert.equal(informer.hasSynced(), true);
    assert.deepEqual(seen, [`add a/one ${r1}`, `add b/two ${r2}`]);
    assert.equal(informer.lastSyncResourceVersion(), String(await store.currentRevision()));
    assert.deepEqual(informer.keys().sort(), ['a/one', 'b/two']);
    assert.equal(informer.get('a/one')!.data!['k'], '1');

    const r3 = await update(store, cm('a', 'one', { k: '2' }));
    const r4 = await create(store, cm('a', 'three'));
    const r5 = await remove(store, 'b', 'two');
    const r6 = await update(store, cm('a', 'three', { x: 'y' }));
    await until(() => seen.length === 6, 'four watch events');
    assert.deepEqual(seen.slice(2), [
      `update a/one ${r1}->${r3}`,
      `add a/three ${r4}`,
      `delete b/two ${r5}`,
      `update a/three ${r4}->${r6}`,
    ]);
    assert.equal(informer.get('a/one')!.data!['k'], '2');
    assert.equal(informer.get('b/two'), undefined);
    assert.equal(informer.getByName('a', 'three')!.metadata.resourceVersion, String(r6));
    assert.equal(informer.size(), 2);
    assert.equal(informer.lastSyncResourceVersion(), String(r6));
  });

  it('handlers added after sync receive the cache as adds', async () => {
    await create(store, cm('a', 'one'));
    const informer = newInformer();
    informer.start();
    await informer.waitForSync();
    const late = record(informer);
    assert.equal(late.length, 1);
    assert.match(late[0]!, /^add a\/one /);
  });

  it('is restricted to its namespace', async () => {
    await create(store, cm('a', 'one'));
    await create(store, cm('b', 'two'));
    const informer = newInformer({ namespace: 'a' });
    const seen = record(informer);
    informer.start();
    await informer.waitForSync();
    await create(store, cm('b', 'three'));
    await create(store, cm('a', 'four'));
    await until(() => seen.length === 2, 'the add in namespace a');
    assert.deepEqual(informer.keys().sort(), ['a/four', 'a/one']);
    assert.throws(() => new Informer(store, namespaces, { namespace: 'a' }), /cluster-scoped/);
  });

  it('hands out frozen objects; cloneCached gives an editable copy', async () => {
    await create(store, cm('a', 'one', { k: 'v' }));
    const informer = newInformer();
    informer.start();
    await informer.waitForSync();
    const cached = informer.get('a/one')!;
    assert.throws(() => {
      (cached.data as Record<string, string>)['k'] = 'changed';
    }, TypeError);
    assert.throws(() => {
      (cached.metadata as { name: string }).name = 'x';
    }, TypeError);
    const copy = cloneCached(cached);
    copy.data!['k'] = 'changed';
    assert.equal(informer.get('a/one')!.data!['k'], 'v');
  });

  it('keeps custom indexes up to date', async () => {
    const owner = (uid: string) => ({ ownerReferences: [{ apiVersion: 'v1', kind: 'Owner', name: uid, uid, controller: true }] });
    await create(store, cm('a', 'one', {}, owner('o1')));
    await create(store, cm('a', 'two', {}, owner('o1')));
    await create(store, cm('b', 'three', {}, owner('o2')));
    const informer = newInformer({ indexers: { [BY_NAMESPACE]: namespaceIndex, [BY_OWNER_UID]: ownerUidIndex } });
    const seen = record(informer);
    informer.start();
    await informer.waitForSync();
    assert.deepEqual(informer.indexKeys(BY_NAMESPACE, 'a').sort(), ['a/one', 'a/two']);
    assert.deepEqual(informer.byIndex(BY_OWNER_UID, 'o1').map((o) => o.metadata.name).sort(), ['one', 'two']);

    await update(store, cm('a', 'two', {}, owner('o2'))); // moves from o1 to o2
    await remove(store, 'b', 'three');
    await until(() => seen.length === 5, 'update and delete');
    assert.deepEqual(informer.indexKeys(BY_OWNER_UID, 'o1'), ['a/one']);
    assert.deepEqual(informer.indexKeys(BY_OWNER_UID, 'o2'), ['a/two']);
    assert.deepEqual(informer.indexKeys(BY_NAMESPACE, 'b'), []);
    assert.throws(() => informer.byIndex('nope', 'x'), /no index named nope/);
  });

  it('re-delivers every cached object as onUpdate(obj, obj) each resync period', async () => {
    const clock = new FakeClock();
    await create(store, cm('a', 'one'));
    await create(store, cm('a', 'two'));
    const informer = newInformer({ resyncMs: 1000, clock });
    const pairs: [unknown, unknown][] = [];
    informer.addEventHandler({ onUpdate: (a, b) => pairs.push([a, b]) });
    informer.start();
    await informer.waitForSync();
    await clock.advance(999);
    assert.equal(pairs.length, 0);
    await clock.advance(1);
    assert.equal(pairs.length, 2);
    for (const [a, b] of pairs) assert.equal(a, b, 'resync passes the same object twice');
    await clock.advance(1000);
    assert.equal(pairs.length, 4);
    informer.stop();
    await clock.advance(5000);
    assert.equal(pairs.length, 4, 'no resync after stop');
  });

  it('a throwing handler does not stop the others', async () => {
    const informer = newInformer();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    const seen = record(informer);
    informer.start();
    await informer.waitForSync();
    await create(store, cm('a', 'one'));
    await until(() => seen.length === 1, 'the add');
  });

  it('waitForSync rejects when its signal aborts first', async () => {
    const informer = newInformer();
    const ac = new AbortController();
    const waiting = informer.waitForSync(ac.signal);
    ac.abort(new Error('gave up'));
    await assert.rejects(waiting, /gave up/);
  });

  describe('after the watch expires (history compacted under it)', () => {
    let dir: string;
    let other: Store | undefined;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-informer-'));
    });

    afterEach(async () => {
      await other?.close();
      other = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('re-lists and delivers the difference as adds, updates and deletes', async () => {
      // Two stores on one file, as two processes would be: writes and a compaction by the
      // other one leave this store's watcher with a gap it can only fill by re-listing.
      const file = path.join(dir, 'fed.db');
      const local = await openStore(`sqlite:${file}`);
      other = await openStore(`sqlite:${file}`);
      const clock = new FakeClock();
      const logger = quietLogger();
      try {
        const rKeep = await create(local, cm('a', 'keep'));
        await create(local, cm('a', 'changed', { v: '1' }));
        await create(local, cm('a', 'gone'));
        await create(local, cm('a', 'recreated'));
        const informer = newInformer({ clock, logger }, local);
        const seen = record(informer);
        informer.start();
        await informer.waitForSync();
        assert.equal(seen.length, 4);
        const before = informer.get('a/changed')!;

        const rChanged = await update(other, cm('a', 'changed', { v: '2' }));
        const rGone = await remove(other, 'a', 'gone');
        await remove(other, 'a', 'recreated');
        const rRecreated = await create(other, cm('a', 'recreated', {}, { uid: 'second-life' }));
        const rNew = await create(other, cm('a', 'new'));
        await other.compact(await other.currentRevision());
        // A write here makes this store read the log, find the gap, and expire its watchers.
        await local.create('/registry/unrelated/x', '{}');
        await until(() => logger.messages.some((m) => /expired/.test(m)), 'the watch to expire');
        assert.equal(seen.length, 4, 'nothing delivered from a gapped history');

        await clock.advance(1000); // the re-list backoff
        await until(() => seen.length === 9, 'the re-list difference');
        // Order between keys is not part of the contract; each key's own order is.
        assert.equal(seen.length, 9);
        assert.ok(seen.includes(`update a/changed ${before.metadata.resourceVersion}->${rChanged}`));
        assert.ok(seen.some((s) => s.startsWith('delete a/gone ')), 'gone is deleted');
        assert.ok(rGone > 0);
        const recreated = seen.slice(4).filter((s) => s.includes('a/recreated'));
        assert.deepEqual(recreated.map((s) => s.split(' ')[0]), ['delete', 'add'], 'a new uid is a delete then an add');
        assert.ok(seen.includes(`add a/new ${rNew}`));
        assert.ok(seen.includes(`add a/recreated ${rRecreated}`));
        assert.equal(informer.get('a/keep')!.metadata.resourceVersion, String(rKeep), 'unchanged objects are not re-delivered');
        assert.equal(informer.get('a/recreated')!.metadata.uid, 'second-life');
        assert.deepEqual(informer.keys().sort(), ['a/changed', 'a/keep', 'a/new', 'a/recreated']);

        // And it watches again.
        const rLater = await create(local, cm('a', 'later'));
        await until(() => seen.length === 10, 'a watch event after the re-list');
        assert.equal(seen[9], `add a/later ${rLater}`);
        informer.stop();
      } finally {
        await local.close();
      }
    });
  });

  describe('on etcd', function () {
    this.timeout(30_000);
    let etcd: EtcdFixture | undefined;

    before(async function () {
      etcd = await startEtcd();
      if (!etcd) {
        console.log(`      ${ETCD_MISSING}`);
        this.skip();
      }
    });

    after(async () => {
      await etcd?.stop();
    });

    it('lists, then watches, with resourceVersion = etcd modRevision', async () => {
      const remote = await openStore(`${etcd!.url}?prefix=/informer-${process.pid}`);
      try {
        const r1 = await create(remote, cm('a', 'one'));
        const informer = newInformer({}, remote);
        const seen = record(informer);
        informer.start();
        await informer.waitForSync();
        const r2 = await update(remote, cm('a', 'one', { k: 'v' }));
        const r3 = await create(remote, cm('b', 'two'));
        const r4 = await remove(remote, 'a', 'one');
        await until(() => seen.length === 4, 'three watch events');
        assert.deepEqual(seen, [`add a/one ${r1}`, `update a/one ${r1}->${r2}`, `add b/two ${r3}`, `delete a/one ${r4}`]);
        assert.deepEqual(informer.keys(), ['b/two']);
        informer.stop();
      } finally {
        await remote.close();
      }
    });
  });
});
