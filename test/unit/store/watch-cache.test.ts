import assert from 'node:assert/strict';
import { StatusError, StatusReason, isExpired } from '../../../apimachinery/index.js';
import {
  SqliteStore,
  WatchCache,
  type CreateOptions,
  type Lease,
  type ListOptions,
  type ListResult,
  type KV,
  type Store,
  type StoreEvent,
  type Unsubscribe,
  type WatchErrorHandler,
  type WatchHandler,
} from '../../../store/index.js';

/** A real SQLite store whose watches can be broken on demand, as a lost connection would. */
class BreakableWatchStore implements Store {
  private readonly live = new Set<{ stop: Unsubscribe; onError: WatchErrorHandler }>();
  watchCalls = 0;
  constructor(readonly inner: SqliteStore) {}
  breakWatches(err: Error): void {
    for (const w of [...this.live]) {
      w.stop();
      this.live.delete(w);
      w.onError(err);
    }
  }
  get(key: string): Promise<KV | undefined> {
    return this.inner.get(key);
  }
  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    return this.inner.list(prefix, opts);
  }
  create(key: string, value: string, opts?: CreateOptions): Promise<number> {
    return this.inner.create(key, value, opts);
  }
  update(key: string, value: string, rev: number): Promise<number> {
    return this.inner.update(key, value, rev);
  }
  delete(key: string, rev?: number): Promise<number> {
    return this.inner.delete(key, rev);
  }
  watch(prefix: string, after: number, onEvent: WatchHandler, onError: WatchErrorHandler): Unsubscribe {
    this.watchCalls++;
    const entry: { stop: Unsubscribe; onError: WatchErrorHandler } = { stop: () => undefined, onError };
    entry.stop = this.inner.watch(prefix, after, onEvent, (err) => {
      this.live.delete(entry);
      onError(err);
    });
    this.live.add(entry);
    return () => {
      this.live.delete(entry);
      entry.stop();
    };
  }
  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }
  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }
  grantLease(ttl: number): Promise<Lease> {
    return this.inner.grantLease(ttl);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('watch-cache', () => {
  let backend: BreakableWatchStore;
  let cache: WatchCache;
  beforeEach(async () => {
    backend = new BreakableWatchStore(SqliteStore.open({ path: ':memory:' }));
    await backend.create('/pre/a', 'existing');
    await backend.create('/outside', 'x');
    cache = new WatchCache(backend, { prefix: '/pre/', historySize: 5 });
  });
  afterEach(async () => {
    await cache.close();
  });

  it('serves from the backend before start and from memory after', async () => {
    assert.equal((await cache.get('/pre/a'))!.value, 'existing');
    await cache.start();
    assert.equal(cache.revision, 2);
    assert.deepEqual((await cache.list('/pre/')).items.map((kv) => kv.key), ['/pre/a']);
    assert.equal((await cache.get('/outside'))!.value, 'x', 'keys outside the prefix pass through');
  });

  it('reads its own writes and returns copies', async () => {
    await cache.start();
    const rev = await cache.create('/pre/b', 'new');
    assert.equal(cache.revision, rev);
    const kv = (await cache.get('/pre/b'))!;
    kv.value = 'scribbled';
    assert.equal((await cache.get('/pre/b'))!.value, 'new');
  });

  it('waitForRevision times out with Timeout', async () => {
    await cache.start();
    await assert.rejects(cache.waitForRevision(cache.revision + 1, 10), (e) => e instanceof StatusError && e.reason === StatusReason.Timeout);
    await cache.waitForRevision(cache.revision, 10);
  });

  it('falls back to the backend for watches older than its window', async () => {
    await cache.start();
    const revs: number[] = [];
    for (let i = 0; i < 10; i++) revs.push(await cache.create(`/pre/w${i}`, 'v'));
    const got: number[] = [];
    const calls = backend.watchCalls;
    cache.watch('/pre/', revs[0]!, (e) => void got.push(e.revision), () => undefined);
    assert.equal(backend.watchCalls, calls + 1, 'served by the backend');
    await until(() => got.length === 9, 'old events');
    assert.deepEqual(got, revs.slice(1));
    const recent: number[] = [];
    cache.watch('/pre/', revs[6]!, (e) => void recent.push(e.revision), () => undefined);
    assert.equal(backend.watchCalls, calls + 1, 'served from memory');
    await until(() => recent.length === 3, 'recent events');
    assert.deepEqual(recent, revs.slice(7));
  });

  it('re-watches from its revision after a transient backend watch failure, without gaps', async () => {
    await cache.start();
    const got: StoreEvent[] = [];
    const errors: Error[] = [];
    cache.watch('/pre/', cache.revision, (e) => void got.push(e), (e) => errors.push(e));
    const r1 = await cache.create('/pre/1', 'v');
    backend.breakWatches(new StatusError(StatusReason.ServiceUnavailable, 'connection lost'));
    const r2 = await backend.create('/pre/2', 'v');
    await until(() => got.length === 2, 'events across the re-watch');
    assert.deepEqual(got.map((e) => e.revision), [r1, r2]);
    assert.deepEqual(errors, []);
  });

  it('re-lists after Expired and ends watchers that would see a gap', async () => {
    await cache.start();
    const errors: Error[] = [];
    cache.watch('/pre/', cache.revision, () => undefined, (e) => errors.push(e));
    backend.breakWatches(new StatusError(StatusReason.Expired, 'compacted'));
    await backend.create('/pre/during', 'v');
    await until(() => errors.length === 1, 'watcher ended');
    assert.ok(isExpired(errors[0]));
    await until(() => cache.revision === 3, 're-listed');
    assert.equal((await cache.get('/pre/during'))!.value, 'v');
    const got: number[] = [];
    cache.watch('/pre/', cache.revision, (e) => void got.push(e.revision), () => undefined);
    const r = await cache.create('/pre/after', 'v');
    await until(() => got.length === 1, 'live again');
    assert.deepEqual(got, [r]);
  });
});
