/**
 * One conformance suite for every `Store`: SQLite (file and :memory:), etcd, the encrypting
 * wrapper over both, and the watch cache over each. Every backend must give the same
 * answers and the same error reasons.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusReason, isAlreadyExists, isConflict, isExpired, isNotFound } from '../../apimachinery/index.js';
import {
  EncryptingStore,
  SqliteStore,
  WatchCache,
  generateEncryptionKey,
  openStore,
  type Store,
  type StoreEvent,
} from '../../store/index.js';
import { ETCD_MISSING, startEtcd, type EtcdFixture } from '../fixtures/etcd.js';

// ---------------------------------------------------------------------------------------
// Harnesses: every `open()` gives an isolated store (a new SQLite file, or a new key prefix
// in the shared etcd); `reopen()` closes it and opens the same data, as a restarted process.

/** Options a test may ask of a fresh store. */
export interface OpenOptions {
  /** Per-watcher backlog bound (of the cache when cached, else of the backend). */
  maxBacklog?: number;
}

/** One backend under test. */
export interface StoreHarness {
  name: string;
  /** Data outlives close (not `:memory:`). */
  persistent: boolean;
  /** A WatchCache in front of the backend. */
  cached: boolean;
  open(opts?: OpenOptions): Promise<Store>;
  reopen(store: Store): Promise<Store>;
  /** Restarts the server behind the store (etcd only). */
  restartServer?(): Promise<void>;
  /** Removes everything the harness created. */
  cleanup(): Promise<void>;
}

/** SQLite files in a fresh temporary directory. */
export function sqliteFileHarness(): StoreHarness {
  // Created on first use: a describe filtered out by --grep never runs its after() hook.
  let dir: string | undefined;
  const paths = new WeakMap<Store, string>();
  let n = 0;
  return {
    name: 'sqlite (file)',
    persistent: true,
    cached: false,
    async open(opts = {}) {
      dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-store-'));
      const file = path.join(dir, `db-${++n}`, 'fed.db');
      const store = await openStore(`sqlite:${file}`, opts);
      paths.set(store, file);
      return store;
    },
    async reopen(store) {
      const file = paths.get(store)!;
      await store.close();
      const again = SqliteStore.open({ path: file });
      paths.set(again, file);
      return again;
    },
    async cleanup() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Private in-memory SQLite databases. */
export function sqliteMemoryHarness(): StoreHarness {
  return {
    name: 'sqlite (:memory:)',
    persistent: false,
    cached: false,
    open: (opts = {}) => openStore('sqlite::memory:', opts),
    async reopen() {
      throw new Error('an in-memory database does not survive close');
    },
    async cleanup() {},
  };
}

/** One shared etcd, a new key prefix per store. */
export function etcdHarness(etcd: EtcdFixture): StoreHarness {
  const prefixes = new WeakMap<Store, string>();
  const run = `/conformance-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  let n = 0;
  const openPrefix = async (prefix: string, opts: OpenOptions = {}): Promise<Store> => {
    const store = await openStore(`${etcd.url}?prefix=${encodeURIComponent(prefix)}`, opts);
    prefixes.set(store, prefix);
    return store;
  };
  return {
    name: 'etcd',
    persistent: true,
    cached: false,
    open: (opts) => openPrefix(`${run}/${++n}`, opts),
    async reopen(store) {
      const prefix = prefixes.get(store)!;
      await store.close();
      return openPrefix(prefix);
    },
    restartServer: () => etcd.restart(),
    // The fixture removes etcd's whole data directory when it stops.
    async cleanup() {},
  };
}

/** A WatchCache over another harness's stores. */
export function cachedHarness(inner: StoreHarness): StoreHarness {
  const backends = new WeakMap<Store, Store>();
  const wrap = async (backend: Store, opts: OpenOptions = {}): Promise<Store> => {
    const cache = new WatchCache(backend, { prefix: '/', ...(opts.maxBacklog && { maxBacklog: opts.maxBacklog }) });
    await cache.start();
    backends.set(cache, backend);
    return cache;
  };
  return {
    name: `watch cache over ${inner.name}`,
    persistent: inner.persistent,
    cached: true,
    open: async (opts) => wrap(await inner.open(), opts),
    async reopen(store) {
      const backend = backends.get(store)!;
      (store as WatchCache).stop();
      return wrap(await inner.reopen(backend));
    },
    ...(inner.restartServer && { restartServer: inner.restartServer }),
    cleanup: () => inner.cleanup(),
  };
}

/**
 * An `EncryptingStore` over another harness's stores that encrypts every key (prefix `/`),
 * so each case of the suite also proves the envelope keeps the contract: revisions, CAS,
 * leases, compaction and watches (kv and prevKv) pass through with values decrypted.
 */
export function encryptedHarness(inner: StoreHarness): StoreHarness {
  const keys = [generateEncryptionKey('conformance-new'), generateEncryptionKey('conformance-old')];
  const backends = new WeakMap<Store, Store>();
  const wrap = (backend: Store): Store => {
    const store = new EncryptingStore(backend, { keys, prefixes: ['/'] });
    backends.set(store, backend);
    return store;
  };
  return {
    name: `encrypted ${inner.name}`,
    persistent: inner.persistent,
    cached: inner.cached,
    open: async (opts) => wrap(await inner.open(opts)),
    reopen: async (store) => wrap(await inner.reopen(backends.get(store)!)),
    ...(inner.restartServer && { restartServer: inner.restartServer }),
    cleanup: () => inner.cleanup(),
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Skips a case that does not apply to this backend, saying why in the test output. */
function notApplicable(ctx: Mocha.Context, why: string): never {
  console.log(`        skipped: ${why}`);
  ctx.skip();
}

/** Rejects with `reason` unless the promise rejects with a StatusError of that reason. */
async function rejectsWith(p: Promise<unknown>, reason: string): Promise<void> {
  await assert.rejects(p, (err: { reason?: string }) => {
    assert.equal(err.reason, reason, `expected ${reason}, got ${String(err)}`);
    return true;
  });
}

/** Retries an operation while the backend is briefly unavailable (an etcd restart). */
async function retrying<T>(op: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if ((err as { reason?: string }).reason !== StatusReason.ServiceUnavailable || Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}

/** A watch that records events and errors; `until` waits for a condition. */
class Recorder {
  readonly events: StoreEvent[] = [];
  readonly errors: Error[] = [];
  readonly stop: () => void;

  constructor(store: Store, prefix: string, after: number, handler?: (e: StoreEvent) => void | Promise<void>) {
    this.stop = store.watch(
      prefix,
      after,
      (e) => {
        this.events.push(e);
        return handler?.(e);
      },
      (err) => this.errors.push(err),
    );
  }

  async until(cond: (r: Recorder) => boolean, what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond(this)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}: ${this.events.length} events, errors: ${this.errors.map(String).join('; ')}`);
      }
      await sleep(10);
    }
  }

  revisions(): number[] {
    return this.events.map((e) => e.revision);
  }
}

function assertStrictlyIncreasing(revs: number[]): void {
  for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revision ${revs[i]} after ${revs[i - 1]} at ${i}`);
}

// ---------------------------------------------------------------------------------------
// The suite

function storeSuite(getHarness: () => StoreHarness | undefined): void {
  let h: StoreHarness;
  let store: Store;
  const open = async (opts?: OpenOptions): Promise<Store> => {
    store = await h.open(opts);
    return store;
  };

  beforeEach(async function () {
    const harness = getHarness();
    if (!harness) this.skip();
    h = harness;
    await open();
  });
  afterEach(async () => {
    await store?.close().catch(() => undefined);
  });

  it('creates, gets, and refuses a second create', async () => {
    const rev = await store.create('/k/a', 'one');
    assert.ok(rev > 0);
    assert.deepEqual(await store.get('/k/a'), { key: '/k/a', value: 'one', createRevision: rev, modRevision: rev });
    assert.equal(await store.get('/k/missing'), undefined);
    await rejectsWith(store.create('/k/a', 'two'), StatusReason.AlreadyExists);
    assert.equal((await store.get('/k/a'))!.value, 'one');
    assert.ok((await store.currentRevision()) >= rev);
  });

  it('updates by compare-and-swap on modRevision', async () => {
    const c = await store.create('/k/a', 'v1');
    const u = await store.update('/k/a', 'v2', c);
    assert.ok(u > c);
    assert.deepEqual(await store.get('/k/a'), { key: '/k/a', value: 'v2', createRevision: c, modRevision: u });
    const err = await store.update('/k/a', 'stale', c).catch((e: unknown) => e);
    assert.ok(isConflict(err), String(err));
    assert.equal((await store.get('/k/a'))!.value, 'v2');
    assert.ok(isNotFound(await store.update('/k/none', 'x', 1).catch((e: unknown) => e)));
  });

  it('deletes with and without an expected revision', async () => {
    const c = await store.create('/k/a', 'v1');
    const u = await store.update('/k/a', 'v2', c);
    await rejectsWith(store.delete('/k/a', c), StatusReason.Conflict);
    const d = await store.delete('/k/a', u);
    assert.ok(d > u);
    assert.equal(await store.get('/k/a'), undefined);
    await rejectsWith(store.delete('/k/a'), StatusReason.NotFound);
    await rejectsWith(store.delete('/k/a', d), StatusReason.NotFound);
    const again = await store.create('/k/a', 'v3');
    assert.equal((await store.get('/k/a'))!.createRevision, again, 'a re-created key has a new createRevision');
    const d2 = await store.delete('/k/a');
    assert.ok(d2 > again);
    assert.ok(isAlreadyExists(await store.create('/k/b', 'x').then(() => store.create('/k/b', 'y')).catch((e: unknown) => e)));
  });

  it('lists by prefix in key order, respecting prefix boundaries', async () => {
    for (const k of ['/a/2', '/ab/1', '/a', '/a/1', '/a/1/x', '/b/1', '/a0']) await store.create(k, k);
    const res = await store.list('/a/');
    assert.deepEqual(res.items.map((kv) => kv.key), ['/a/1', '/a/1/x', '/a/2']);
    assert.equal(res.nextKey, undefined);
    assert.ok(res.revision >= Math.max(...res.items.map((kv) => kv.modRevision)));
    assert.deepEqual((await store.list('/a')).items.map((kv) => kv.key), ['/a', '/a/1', '/a/1/x', '/a/2', '/a0', '/ab/1']);
    assert.deepEqual((await store.list('/nothing/')).items, []);
    assert.equal((await store.list('/')).items.length, 7);
  });

  it('pages with limit and continue at a fixed revision, unaffected by later writes', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `/p/${String(i).padStart(2, '0')}`);
    for (const k of keys) await store.create(k, `v-${k}`);
    const first = await store.list('/p/', { limit: 4 });
    assert.deepEqual(first.items.map((kv) => kv.key), keys.slice(0, 4));
    assert.equal(first.nextKey, keys[4]);
    assert.equal(first.remaining, 6);
    // Writes between pages: a new key inside the range, a delete and an update of later keys.
    await store.create('/p/05a', 'new');
    await store.delete(keys[6]!);
    const u = (await store.get(keys[8]!))!;
    await store.update(keys[8]!, 'changed', u.modRevision);
    const second = await store.list('/p/', { limit: 4, continueKey: first.nextKey, revision: first.revision });
    assert.equal(second.revision, first.revision);
    assert.deepEqual(second.items.map((kv) => kv.key), keys.slice(4, 8));
    assert.equal(second.remaining, 2);
    const third = await store.list('/p/', { limit: 4, continueKey: second.nextKey, revision: first.revision });
    assert.deepEqual(third.items.map((kv) => kv.key), keys.slice(8));
    assert.equal(third.nextKey, undefined);
    assert.equal(third.items[0]!.value, `v-${keys[8]}`, 'the page shows the value as of the first page');
    // The latest view sees the writes.
    const now = await store.list('/p/');
    assert.equal(now.items.length, 10);
    assert.ok(now.items.some((kv) => kv.key === '/p/05a'));
    assert.ok(!now.items.some((kv) => kv.key === keys[6]));
  });

  it('answers Expired for reads and watches below the compacted revision', async () => {
    const r1 = await store.create('/c/a', '1');
    const r2 = await store.update('/c/a', '2', r1);
    await store.create('/c/b', 'x');
    const r4 = await store.delete('/c/b');
    const r5 = await store.update('/c/a', '3', r2);
    await store.compact(r4);
    await rejectsWith(store.list('/c/', { revision: r2 }), StatusReason.Expired);
    const at = await store.list('/c/', { revision: r4 });
    assert.deepEqual(at.items.map((kv) => [kv.key, kv.value]), [['/c/a', '2']]);
    const latest = await store.list('/c/');
    assert.deepEqual(latest.items.map((kv) => [kv.key, kv.value, kv.modRevision]), [['/c/a', '3', r5]]);
    const w = new Recorder(store, '/c/', r1);
    await w.until((r) => r.errors.length > 0, 'Expired on a watch below the compacted revision');
    assert.ok(isExpired(w.errors[0]), String(w.errors[0]));
    assert.equal(w.events.length, 0);
    const ok = new Recorder(store, '/c/', r4);
    await ok.until((r) => r.events.length === 1, 'the event after the compacted revision');
    assert.equal(ok.events[0]!.revision, r5);
    ok.stop();
    await store.compact(r4); // compacting again is harmless
  });

  it('watches in order with no gaps and no duplicates under concurrent writers', async () => {
    const start = await store.currentRevision();
    const w = new Recorder(store, '/w/', start);
    const revs: number[] = [];
    const writer = async (id: number): Promise<void> => {
      for (let i = 0; i < 50; i++) {
        const key = `/w/${id}/${i % 10}`;
        const cur = await store.get(key);
        if (!cur) revs.push(await store.create(key, `${id}-${i}`));
        else if (i % 7 === 0) revs.push(await store.delete(key, cur.modRevision));
        else revs.push(await store.update(key, `${id}-${i}`, cur.modRevision));
      }
    };
    // Writes outside the prefix must not show up.
    const other = store.create('/wx/1', 'no');
    await Promise.all([writer(1), writer(2), writer(3), writer(4), other]);
    await w.until((r) => r.events.length >= 200, '200 events');
    await sleep(100);
    w.stop();
    assert.equal(w.events.length, 200);
    assert.deepEqual(w.errors, []);
    assertStrictlyIncreasing(w.revisions());
    assert.deepEqual(w.revisions(), [...revs].sort((a, b) => a - b));
    for (const e of w.events) {
      assert.ok(e.kv.key.startsWith('/w/'));
      assert.equal(e.kv.modRevision, e.revision);
      if (e.type === 'update') assert.ok(e.prevKv && e.prevKv.modRevision < e.revision, 'update carries prevKv');
      if (e.type === 'delete') assert.ok(e.prevKv && e.kv.value === e.prevKv.value, 'delete carries the last value');
    }
    // Replaying from the same start gives the very same sequence.
    const replay = new Recorder(store, '/w/', start);
    await replay.until((r) => r.events.length >= 200, 'replayed events');
    replay.stop();
    assert.deepEqual(replay.revisions(), w.revisions());
    assert.deepEqual(replay.events.map((e) => e.type), w.events.map((e) => e.type));
  });

  it('replays from an old revision, then goes live', async () => {
    const r0 = await store.currentRevision();
    const early: number[] = [];
    for (let i = 0; i < 5; i++) early.push(await store.create(`/r/${i}`, 'x'));
    const w = new Recorder(store, '/r/', early[1]!);
    await w.until((r) => r.events.length === 3, 'replayed history');
    const late = await store.create('/r/9', 'y');
    await w.until((r) => r.events.length === 4, 'live event');
    assert.deepEqual(w.revisions(), [...early.slice(2), late]);
    w.stop();
    assert.ok(r0 < early[0]!);
  });

  it('resumes a watch after a reconnect without gaps or duplicates', async function () {
    this.timeout(60_000);
    const start = await store.currentRevision();
    const written: number[] = [];
    const w = new Recorder(store, '/rc/', start);
    for (let i = 0; i < 10; i++) written.push(await store.create(`/rc/${i}`, 'a'));
    await w.until((r) => r.events.length === 10, 'events before the reconnect');
    if (h.restartServer) {
      // The server goes away under a live watch; the watch must carry on by itself.
      await h.restartServer();
      for (let i = 10; i < 20; i++) written.push(await retrying(() => store.create(`/rc/${i}`, 'b')));
      await w.until((r) => r.events.length === 20, 'events after the restart', 30_000);
      w.stop();
      assert.deepEqual(w.revisions(), written);
      assert.deepEqual(w.errors, []);
      return;
    }
    if (!h.persistent) notApplicable(this, 'an in-memory store does not outlive close()');
    // The process goes away: reopen and watch from the last revision received.
    const last = w.events.at(-1)!.revision;
    store = await h.reopen(store);
    await w.until((r) => r.errors.length === 1, 'the old watch ends when its store closes');
    for (let i = 10; i < 20; i++) written.push(await store.create(`/rc/${i}`, 'b'));
    const again = new Recorder(store, '/rc/', last);
    await again.until((r) => r.events.length === 10, 'events after reopening');
    again.stop();
    assert.deepEqual([...w.revisions(), ...again.revisions()], written);
  });

  it('loses no increment under concurrent read-modify-write with CAS retries', async () => {
    await store.create('/counter', '0');
    let conflicts = 0;
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 25; i++) {
        for (;;) {
          const cur = (await store.get('/counter'))!;
          try {
            await store.update('/counter', String(Number(cur.value) + 1), cur.modRevision);
            break;
          } catch (err) {
            if (!isConflict(err)) throw err;
            conflicts++;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.equal((await store.get('/counter'))!.value, '200');
    assert.ok(conflicts >= 0);
  });

  it('keeps data across close and reopen', async function () {
    if (!h.persistent) notApplicable(this, 'an in-memory store does not outlive close()');
    const c = await store.create('/d/a', 'kept');
    await store.create('/d/b', 'gone');
    const d = await store.delete('/d/b');
    store = await h.reopen(store);
    assert.deepEqual(await store.get('/d/a'), { key: '/d/a', value: 'kept', createRevision: c, modRevision: c });
    assert.equal(await store.get('/d/b'), undefined);
    assert.ok((await store.currentRevision()) >= d);
    await rejectsWith(store.create('/d/a', 'again'), StatusReason.AlreadyExists);
  });

  it('deletes the keys of an expired lease, with delete events', async function () {
    this.timeout(30_000);
    const lease = await store.grantLease(1);
    assert.ok(lease.id > 0);
    const start = await store.currentRevision();
    const w = new Recorder(store, '/l/', start);
    const c = await store.create('/l/a', 'leased', { lease: lease.id });
    await store.create('/l/b', 'leased too', { lease: lease.id });
    await store.create('/l/c', 'plain');
    assert.equal((await store.get('/l/a'))!.lease, lease.id);
    const u = await store.update('/l/a', 'still leased', c);
    assert.equal((await store.get('/l/a'))!.lease, lease.id, 'an update keeps the lease');
    await lease.keepAlive();
    await w.until((r) => r.events.filter((e) => e.type === 'delete').length === 2, 'lease expiry deletes', 20_000);
    const deletes = w.events.filter((e) => e.type === 'delete');
    assert.deepEqual(deletes.map((e) => e.kv.key).sort(), ['/l/a', '/l/b']);
    assert.equal(deletes.find((e) => e.kv.key === '/l/a')!.kv.value, 'still leased');
    assert.ok(deletes.every((e) => e.revision > u));
    // The cache applies the deletes before it delivers them, so reading right after sees them.
    assert.equal(await store.get('/l/a'), undefined);
    assert.equal(await store.get('/l/b'), undefined);
    assert.equal((await store.get('/l/c'))!.value, 'plain');
    await rejectsWith(lease.keepAlive(), StatusReason.NotFound);
    await rejectsWith(store.create('/l/d', 'x', { lease: lease.id }), StatusReason.NotFound);
    w.stop();
  });

  it('revokes a lease, deleting its keys', async () => {
    const lease = await store.grantLease(60);
    await store.create('/lr/a', 'x', { lease: lease.id });
    await store.create('/lr/b', 'y');
    await lease.revoke();
    await retryUntil(async () => (await store.get('/lr/a')) === undefined, 'revoked key gone');
    assert.ok(await store.get('/lr/b'));
    await rejectsWith(lease.revoke(), StatusReason.NotFound);
  });

  it('holds back a slow watcher of a backend without losing or buffering without bound', async function () {
    if (h.cached) notApplicable(this, 'a backend case; the watch cache cuts slow watchers off instead (next case)');
    await store.close();
    await open({ maxBacklog: 10 });
    const start = await store.currentRevision();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Recorder(store, '/sb/', start, async (e) => {
      if (e.revision === slow.events[0]!.revision) await gate;
    });
    const written: number[] = [];
    for (let i = 0; i < 60; i++) written.push(await store.create(`/sb/${i}`, 'x'));
    await slow.until((r) => r.events.length >= 1, 'the first event');
    await sleep(50);
    assert.equal(slow.events.length, 1, 'the handler is still busy with the first event');
    release();
    await slow.until((r) => r.events.length === 60, 'all events once released');
    slow.stop();
    assert.deepEqual(slow.revisions(), written);
    assert.deepEqual(slow.errors, []);
  });

  it('cuts off a slow watcher, which re-watches from its last revision without loss', async function () {
    if (!h.cached) notApplicable(this, 'a watch-cache case; backends hold slow watchers back instead (previous case)');
    this.timeout(30_000);
    await store.close();
    await open({ maxBacklog: 20 });
    const start = await store.currentRevision();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const delivered: StoreEvent[] = [];
    const slow = new Recorder(store, '/s/', start, async (e) => {
      delivered.push(e);
      if (delivered.length === 1) await gate;
    });
    const written: number[] = [];
    for (let i = 0; i < 60; i++) written.push(await store.create(`/s/${i}`, 'x'));
    await slow.until((r) => r.errors.length === 1, 'the slow watcher is cut off');
    assert.ok(isExpired(slow.errors[0]), String(slow.errors[0]));
    assert.match(slow.errors[0]!.message, /too slow/);
    release();
    await sleep(20);
    const last = delivered.at(-1)!.revision;
    const resumed = new Recorder(store, '/s/', last);
    await resumed.until((r) => r.revisions().at(-1) === written.at(-1), 'the rest after re-watching');
    resumed.stop();
    assert.deepEqual([...delivered.map((e) => e.revision), ...resumed.revisions()], written);
    // Other watchers were never affected.
    const fast = new Recorder(store, '/s/', start);
    await fast.until((r) => r.events.length === 60, 'a fresh watcher sees everything');
    fast.stop();
  });
}

async function retryUntil(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------
// Backends

describe('store conformance', function () {
  this.timeout(30_000);

  describe('sqlite (file)', () => {
    const h = sqliteFileHarness();
    after(() => h.cleanup());
    storeSuite(() => h);
  });

  describe('sqlite (:memory:)', () => {
    storeSuite(() => sqliteMemoryHarness());
  });

  describe('watch cache over sqlite (file)', () => {
    const h = cachedHarness(sqliteFileHarness());
    after(() => h.cleanup());
    storeSuite(() => h);
  });

  describe('encrypted sqlite (file)', () => {
    const h = encryptedHarness(sqliteFileHarness());
    after(() => h.cleanup());
    storeSuite(() => h);
  });

  describe('watch cache over encrypted sqlite (file)', () => {
    const h = cachedHarness(encryptedHarness(sqliteFileHarness()));
    after(() => h.cleanup());
    storeSuite(() => h);
  });

  describe('etcd backends', function () {
    let etcd: EtcdFixture | undefined;
    let plain: StoreHarness | undefined;
    let cached: StoreHarness | undefined;
    let encrypted: StoreHarness | undefined;
    let cachedEncrypted: StoreHarness | undefined;
    before(async function () {
      this.timeout(30_000);
      etcd = await startEtcd();
      if (!etcd) {
        console.log(ETCD_MISSING);
        this.skip();
      }
      plain = etcdHarness(etcd);
      cached = cachedHarness(etcdHarness(etcd));
      encrypted = encryptedHarness(etcdHarness(etcd));
      cachedEncrypted = cachedHarness(encryptedHarness(etcdHarness(etcd)));
    });
    after(async () => {
      await plain?.cleanup().catch(() => undefined);
      await etcd?.stop();
    });

    describe('etcd', () => storeSuite(() => plain));
    describe('watch cache over etcd', () => storeSuite(() => cached));
    describe('encrypted etcd', () => storeSuite(() => encrypted));
    describe('watch cache over encrypted etcd', () => storeSuite(() => cachedEncrypted));
  });

  it('fails openStore fast with a clear error when etcd is unreachable', async () => {
    const t0 = Date.now();
    const err = await openStore('etcd://127.0.0.1:1', { connectTimeoutMs: 1500 }).catch((e: unknown) => e);
    assert.ok(Date.now() - t0 < 5000, 'within a few seconds');
    assert.equal((err as { reason?: string }).reason, StatusReason.ServiceUnavailable);
    assert.match(String(err), /cannot reach etcd at 127\.0\.0\.1:1/);
  });
});
