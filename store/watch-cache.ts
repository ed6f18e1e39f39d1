/**
 * The watch cache (after kube-apiserver's `cacher`): one list + watch against the backend
 * keeps every key under a prefix in memory, sorted, with a ring buffer of recent events.
 * Gets, lists at the cache's revision and watches inside the buffered window never touch the
 * backend; writes pass through and resolve once the cache has applied them, so a caller
 * reads its own writes.
 *
 * Each watcher has a bounded queue; one that falls more than `maxBacklog` events behind is
 * cut off with Expired ("watcher too slow") instead of being buffered forever, and re-watches
 * from its last revision, as kube-apiserver does.
 */
import { StatusError, StatusReason, isExpired } from '../apimachinery/index.js';
import { compareKeys, prefixEnd } from './key-range.js';
import { compacted } from './store-errors.js';
import type {
  CreateOptions,
  KV,
  Lease,
  ListOptions,
  ListResult,
  Store,
  StoreEvent,
  Unsubscribe,
  WatchErrorHandler,
  WatchHandler,
} from './types.js';
import { DEFAULT_MAX_BACKLOG, WatchFanout, WatchSubscription } from './watch-fanout.js';

/** Events kept for watchers that resume from a recent revision. */
export const DEFAULT_HISTORY_SIZE = 10_000;
/** How long a write waits for the cache to apply it before returning anyway. */
export const DEFAULT_WRITE_WAIT_MS = 10_000;
/** First and longest pause before re-watching the backend after its watch failed. */
const REWATCH_MIN_MS = 50;
const REWATCH_MAX_MS = 2000;

/** Options of a `WatchCache`. */
export interface WatchCacheOptions {
  /** Keys under this prefix are cached; others pass through to the backend. Default `/`. */
  prefix?: string;
  /** Size of the event ring buffer. */
  historySize?: number;
  /** Per-watcher queue bound; a watcher beyond it is cut off. */
  maxBacklog?: number;
  /** How long a write waits to see itself in the cache. */
  writeWaitMs?: number;
}

/** A caller waiting for the cache to reach a revision. */
interface RevisionWaiter {
  revision: number;
  resolve: () => void;
}

/** An in-memory, watch-fed view of a backend `Store`, itself a `Store`. */
export class WatchCache implements Store {
  private readonly prefix: string;
  private readonly historySize: number;
  private readonly maxBacklog: number;
  private readonly writeWaitMs: number;
  /** Current values by key. */
  private readonly items = new Map<string, KV>();
  /** The keys of `items` in key order. */
  private keys: string[] = [];
  /** Ring of recent events, oldest first, from `history[historyHead]`. */
  private history: StoreEvent[] = [];
  private historyHead = 0;
  /** Every event with a revision above this is in `history`. */
  private windowStart = 0;
  private rev = 0;
  private readonly fanout = new WatchFanout();
  private waiters: RevisionWaiter[] = [];
  private unwatch: Unsubscribe | undefined;
  private started = false;
  /** The first list has been applied: reads and watches may be served from memory. */
  private ready = false;
  private stopped = false;
  private rewatchMs = REWATCH_MIN_MS;
  private rewatchTimer: NodeJS.Timeout | undefined;

  /** Does no I/O; `start()` lists and watches. */
  constructor(
    private readonly backend: Store,
    options: WatchCacheOptions = {},
  ) {
    this.prefix = options.prefix ?? '/';
    this.historySize = Math.max(1, options.historySize ?? DEFAULT_HISTORY_SIZE);
    this.maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
    this.writeWaitMs = options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS;
  }

  /** Lists the cached prefix and starts watching from the list's revision. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    try {
      await this.relist();
    } catch (err) {
      this.started = false;
      throw err;
    }
  }

  /** Stops watching the backend; watchers end with ServiceUnavailable. The backend stays open. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.started = false;
    this.ready = false;
    this.unwatch?.();
    this.unwatch = undefined;
    if (this.rewatchTimer) clearTimeout(this.rewatchTimer);
    this.rewatchTimer = undefined;
    this.fanout.failAll(new StatusError(StatusReason.ServiceUnavailable, 'watch cache stopped'));
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  /** The revision the cache reflects. */
  get revision(): number {
    return this.rev;
  }

  /** Resolves once the cache has applied `revision`; rejects with Timeout after `timeoutMs`. */
  waitForRevision(revision: number, timeoutMs: number): Promise<void> {
    if (this.rev >= revision) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: RevisionWaiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new StatusError(
            StatusReason.Timeout,
            `watch cache did not reach revision ${revision} within ${timeoutMs} ms (at ${this.rev})`,
            { retryAfterSeconds: 1 },
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private covers(prefixOrKey: string): boolean {
    return this.ready && prefixOrKey.startsWith(this.prefix);
  }

  async get(key: string): Promise<KV | undefined> {
    if (!this.covers(key)) return this.backend.get(key);
    const kv = this.items.get(key);
    return kv ? { ...kv } : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    if (!this.covers(prefix) || (opts.revision && opts.revision !== this.rev)) return this.backend.list(prefix, opts);
    const limit = opts.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new StatusError(StatusReason.BadRequest, `invalid limit: ${limit}`);
    const from = opts.continueKey !== undefined && compareKeys(opts.continueKey, prefix) > 0 ? opts.continueKey : prefix;
    const startIdx = this.lowerBound(from);
    const end = prefixEnd(prefix);
    const endIdx = end === undefined ? this.keys.length : this.lowerBound(end);
    const count = Math.max(0, endIdx - startIdx);
    const take = limit > 0 ? Math.min(limit, count) : count;
    const items: KV[] = [];
    for (let i = startIdx; i < startIdx + take; i++) items.push({ ...this.items.get(this.keys[i]!)! });
    if (take === count) return { items, revision: this.rev };
    return { items, revision: this.rev, nextKey: this.keys[startIdx + take]!, remaining: count - take };
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async create(key: string, value: string, opts?: CreateOptions): Promise<number> {
    return this.written(key, await this.backend.create(key, value, opts));
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return this.written(key, await this.backend.update(key, value, expectedModRevision));
  }

  async delete(key: string, expectedModRevision?: number): Promise<number> {
    return this.written(key, await this.backend.delete(key, expectedModRevision));
  }

  /**
   * Read-your-writes: waits until the cache has applied the write. The write is durable
   * either way, so if the cache lags past `writeWaitMs` the revision is returned regardless
   * (failing would make a client retry a write that succeeded).
   */
  private async written(key: string, revision: number): Promise<number> {
    if (this.covers(key)) await this.waitForRevision(revision, this.writeWaitMs).catch(() => undefined);
    return revision;
  }

  async currentRevision(): Promise<number> {
    return this.ready ? this.rev : this.backend.currentRevision();
  }

  async compact(revision: number): Promise<void> {
    await this.backend.compact(revision);
    // History at or below the compacted revision is no longer served from memory either:
    // such watches fall through to the backend, which answers Expired.
    while (this.historyHead < this.history.length && this.history[this.historyHead]!.revision <= revision) this.historyHead++;
    this.windowStart = Math.max(this.windowStart, Math.min(revision, this.rev));
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    return this.backend.grantLease(ttlSeconds);
  }

  watch(prefix: string, afterRevision: number, onEvent: WatchHandler, onError: WatchErrorHandler): Unsubscribe {
    if (!this.covers(prefix) || afterRevision < this.windowStart) {
      return this.backend.watch(prefix, afterRevision, onEvent, onError);
    }
    const sub: WatchSubscription = new WatchSubscription({
      prefix,
      afterRevision,
      onEvent,
      onError,
      maxBacklog: this.maxBacklog,
      overflow: 'cut-off',
      onClose: () => this.fanout.remove(sub),
    });
    sub.replay(this.historyAfter(afterRevision));
    this.fanout.add(sub);
    return sub.unsubscribe;
  }

  /** Buffered events with a revision above `after`, oldest first. */
  private *historyAfter(after: number): Generator<StoreEvent> {
    let lo = this.historyHead;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid]!.revision <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) yield this.history[i]!;
  }

  /** Closes the cache and its backend. */
  async close(): Promise<void> {
    this.stop();
    await this.backend.close();
  }

  /**
   * (Re)builds the state from a fresh list and watches from its revision. Watchers that
   * were served before cannot be continued without a gap: they end with Expired.
   */
  private async relist(): Promise<void> {
    const items = new Map<string, KV>();
    let revision = 0;
    let continueKey: string | undefined;
    do {
      const page = await this.backend.list(this.prefix, { limit: 1000, continueKey, revision });
      revision = page.revision;
      for (const kv of page.items) items.set(kv.key, kv);
      continueKey = page.nextKey;
    } while (continueKey !== undefined);
    if (this.stopped) return;
    if (this.rev > 0) this.fanout.failAll(compacted(this.rev, revision));
    this.items.clear();
    for (const [k, v] of items) this.items.set(k, v);
    this.keys = [...items.keys()].sort(compareKeys);
    this.history = [];
    this.historyHead = 0;
    this.rev = revision;
    this.windowStart = revision;
    this.ready = true;
    this.releaseWaiters();
    this.watchBackend();
  }

  private watchBackend(): void {
    this.unwatch?.();
    this.unwatch = this.backend.watch(
      this.prefix,
      this.rev,
      (event) => this.apply(event),
      (err) => this.onBackendError(err),
    );
  }

  private onBackendError(err: Error): void {
    this.unwatch = undefined;
    if (this.stopped) return;
    // Expired: events were lost, only a re-list recovers. Otherwise resume from our revision.
    const relist = isExpired(err);
    this.rewatchTimer = setTimeout(() => {
      this.rewatchTimer = undefined;
      if (this.stopped) return;
      if (!relist) {
        this.watchBackend();
        return;
      }
      this.relist().then(
        () => (this.rewatchMs = REWATCH_MIN_MS),
        (e: unknown) => this.onBackendError(isExpired(e) ? (e as Error) : new StatusError(StatusReason.Expired, String(e))),
      );
    }, this.rewatchMs);
    this.rewatchTimer.unref();
    this.rewatchMs = Math.min(this.rewatchMs * 2, REWATCH_MAX_MS);
  }

  /** Applies one backend event: state, history, watchers, waiters. */
  private apply(event: StoreEvent): void {
    if (this.stopped) return;
    const key = event.kv.key;
    if (event.type === 'delete') {
      if (this.items.delete(key)) this.keys.splice(this.lowerBound(key), 1);
    } else {
      if (!this.items.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
      this.items.set(key, event.kv);
    }
    this.history.push(event);
    if (this.history.length - this.historyHead > this.historySize) {
      this.windowStart = this.history[this.historyHead]!.revision;
      this.historyHead++;
      if (this.historyHead >= 4096 && this.historyHead * 2 >= this.history.length) {
        this.history = this.history.slice(this.historyHead);
        this.historyHead = 0;
      }
    }
    if (event.revision > this.rev) this.rev = event.revision;
    this.rewatchMs = REWATCH_MIN_MS;
    this.fanout.publish(event);
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.revision <= this.rev);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.revision > this.rev);
    for (const w of ready) w.resolve();
  }
}
