/**
 * The informer: list + watch of one resource into an indexed, read-only cache, with event
 * handlers (after client-go's `tools/cache`: Reflector, DeltaFIFO, Indexer and
 * SharedIndexInformer folded into one class, since fedgate has one process-local store).
 *
 * Revisions map to resourceVersions here, for the whole system: an object read from the
 * store gets `metadata.resourceVersion = String(kv.modRevision)`.
 *
 * Invariants:
 * - Cached objects are deep-frozen and typed `Readonly<T>`; nobody may edit them. Callers
 *   that want to change one clone it first with `deepCopy` from apimachinery.
 * - Handlers see a key's events in revision order, and the cache already holds the new
 *   state when a handler runs.
 * - After a watch ends with Expired (history compacted, or the watcher was cut off), the
 *   informer re-lists and delivers the difference between the cache and the fresh list as
 *   adds, updates and deletes, so handlers never miss a final state.
 */
import {
  deepCopy,
  internalError,
  isExpired,
  namespacePrefix,
  resourcePrefix,
  type KubeObject,
  type ResourceInfo,
} from '../apimachinery/index.js';
import type { KV, Store, StoreEvent, Unsubscribe } from '../store/index.js';
import { ItemExponentialRateLimiter } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { stderrLogger, type Logger } from './logger.js';

/** Keys per list page: bounds the size of one store read. */
export const DEFAULT_LIST_PAGE_SIZE = 500;
/** First wait before retrying a failed list or watch, ms (grows to the max). */
export const DEFAULT_INFORMER_RETRY_BASE_MS = 100;
/** Longest wait between list/watch retries, ms (client-go's reflector: 30 s). */
export const DEFAULT_INFORMER_RETRY_MAX_MS = 30_000;

/** Name of the index `namespaceIndex` is usually registered under. */
export const BY_NAMESPACE = 'byNamespace';
/** Name of the index `ownerUidIndex` is usually registered under. */
export const BY_OWNER_UID = 'byOwnerUid';

/** Computes the index values of an object (client-go's IndexFunc). */
export type IndexFunc<T> = (obj: Readonly<T>) => readonly string[];

/** Named index functions (client-go's Indexers). */
export type Indexers<T> = Readonly<Record<string, IndexFunc<T>>>;

/** Indexes objects by namespace (cluster-scoped objects are not indexed). */
export const namespaceIndex: IndexFunc<KubeObject> = (obj) => (obj.metadata.namespace ? [obj.metadata.namespace] : []);

/** Indexes objects by the uid of every owner in their ownerReferences. */
export const ownerUidIndex: IndexFunc<KubeObject> = (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);

/**
 * Callbacks for cache changes. They run synchronously, in event order, after the cache was
 * updated; they must not block (enqueue a key and return). A handler that throws is logged
 * and does not disturb the others.
 */
export interface ResourceEventHandlers<T> {
  onAdd?(obj: Readonly<T>): void;
  /** Also called with `oldObj === newObj` on periodic resync. */
  onUpdate?(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  /** Receives the last state of the object (from the delete event, or the cache after a re-list). */
  onDelete?(obj: Readonly<T>): void;
}

/** Options of `Informer`. */
export interface InformerOptions<T> {
  /** Only this namespace (namespaced resources only); all namespaces when absent. */
  namespace?: string;
  /** Named indexes kept beside the primary `namespace/name` key. */
  indexers?: Indexers<T>;
  /** Every this many ms, re-deliver every cached object as `onUpdate(obj, obj)`; 0/absent: never. */
  resyncMs?: number;
  /** Keys per list page. */
  pageSize?: number;
  /** Backoff between failed list/watch attempts, ms. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  clock?: Clock;
  logger?: Logger;
}

type Phase = 'stopped' | 'listing' | 'watching' | 'waiting';

/** Deep-freezes a JSON-shaped value in place so no one can edit a cached object. */
function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Lists and watches one resource into an indexed read-only cache and tells handlers about changes. */
export class Informer<T extends KubeObject = KubeObject> {
  /** The resource this informer caches. */
  readonly resource: ResourceInfo;
  /** The namespace it is restricted to, if any. */
  readonly namespace: string | undefined;

  private readonly store: Store;
  private readonly prefix: string;
  /** Keys are `prefix`-relative store keys, which is `objectKey(obj.metadata)` by the key layout. */
  private readonly collectionPrefix: string;
  private readonly indexers: Record<string, IndexFunc<T> | undefined>;
  private readonly resyncMs: number;
  private readonly pageSize: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly retry: ItemExponentialRateLimiter;

  private readonly items = new Map<string, Readonly<T>>();
  /** index name → index value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly handlers = new Set<ResourceEventHandlers<T>>();

  private phase: Phase = 'stopped';
  /** Bumped on every (re)start of list/watch and on stop; callbacks of older epochs are ignored. */
  private epoch = 0;
  /** Revision of the last list or watch event applied. */
  private revision = 0;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private unsubscribe: Unsubscribe | undefined;
  private retryTimer: TimerHandle | undefined;
  private resyncTimer: TimerHandle | undefined;

  constructor(store: Store, resource: ResourceInfo, options: InformerOptions<T> = {}) {
    this.store = store;
    this.resource = resource;
    this.namespace = options.namespace;
    if (this.namespace !== undefined && !resource.namespaced) {
      throw internalError(`informer for cluster-scoped ${resource.plural} cannot be restricted to namespace ${this.namespace}`);
    }
    this.collectionPrefix = resourcePrefix(resource);
    this.prefix = this.namespace === undefined ? this.collectionPrefix : namespacePrefix(resource, this.namespace);
    this.indexers = { ...options.indexers };
    for (const name of Object.keys(this.indexers)) this.indices.set(name, new Map());
    this.resyncMs = options.resyncMs ?? 0;
    this.pageSize = options.pageSize ?? DEFAULT_LIST_PAGE_SIZE;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? stderrLogger;
    this.retry = new ItemExponentialRateLimiter({
      baseDelayMs: options.retryBaseMs ?? DEFAULT_INFORMER_RETRY_BASE_MS,
      maxDelayMs: options.retryMaxMs ?? DEFAULT_INFORMER_RETRY_MAX_MS,
      jitter: 0.5,
    });
  }

  /**
   * Registers handlers; returns a function that removes them. Handlers added after the
   * cache was filled first receive an `onAdd` for every cached object, as client-go does.
   */
  addEventHandler(handlers: ResourceEventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (handlers.onAdd) for (const obj of this.items.values()) this.call(handlers, 'onAdd', obj);
    return () => {
      this.handlers.delete(handlers);
    };
  }

  /**
   * Adds named indexes (client-go's `AddIndexers`), so informers shared by several
   * controllers can serve each one's lookups. Cached objects are indexed at once. A name
   * already present must come with the same function.
   */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.indexers[name];
      if (existing === fn) continue;
      if (existing) throw internalError(`informer for ${this.resource.plural}: indexer ${name} already exists`);
      this.indexers[name] = fn;
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) {
        for (const value of fn(obj)) {
          let keys = index.get(value);
          if (!keys) index.set(value, (keys = new Set()));
          keys.add(key);
        }
      }
    }
  }

  /** Starts listing and watching in the background; a no-op when running. */
  start(): void {
    if (this.phase !== 'stopped') return;
    this.listAndWatch(++this.epoch);
  }

  /** Stops the watch and timers. The cache keeps its last contents; `start()` resumes. */
  stop(): void {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.epoch++;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    this.retryTimer = undefined;
    this.resyncTimer = undefined;
  }

  /** True once the first list was applied to the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list was applied; rejects when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        reject(signal!.reason);
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(done);
    });
  }

  /** The store revision the cache reflects (list revision or last watch event), as a resourceVersion. */
  lastSyncResourceVersion(): string {
    return String(this.revision);
  }

  /** The cached object with key `namespace/name` (or `name` when cluster-scoped). */
  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  /** The cached object by namespace and name. */
  getByName(namespace: string | undefined, name: string): Readonly<T> | undefined {
    return this.items.get(this.resource.namespaced ? `${namespace ?? ''}/${name}` : name);
  }

  /** Every cached object. */
  list(): Readonly<T>[] {
    return [...this.items.values()];
  }

  /** Every cached key. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Number of cached objects. */
  size(): number {
    return this.items.size;
  }

  /** Objects whose index `indexName` yields `value`, e.g. `byIndex(BY_OWNER_UID, uid)`. */
  byIndex(indexName: string, value: string): Readonly<T>[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  /** Keys of the objects whose index `indexName` yields `value`. */
  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw internalError(`informer for ${this.resource.plural} has no index named ${indexName}`);
    return [...(index.get(value) ?? [])];
  }

  // ---- list and watch ----

  private listAndWatch(epoch: number): void {
    this.phase = 'listing';
    void this.listAll().then(
      ({ kvs, revision }) => {
        if (epoch !== this.epoch) return;
        this.replace(kvs, revision);
        this.retry.forget('list');
        if (!this.synced) {
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
        }
        if (this.resyncTimer === undefined) this.armResync();
        this.watchFrom(revision, epoch);
      },
      (err: unknown) => {
        if (epoch !== this.epoch) return;
        this.logger.warn({ resource: this.resource.plural, err }, 'informer list failed; retrying');
        this.retryLater(() => this.listAndWatch(++this.epoch));
      },
    );
  }

  private async listAll(): Promise<{ kvs: KV[]; revision: number }> {
    const first = await this.store.list(this.prefix, { limit: this.pageSize });
    const kvs = [...first.items];
    let next = first.nextKey;
    // Later pages read at the first page's revision: one consistent snapshot.
    while (next !== undefined) {
      const page = await this.store.list(this.prefix, { limit: this.pageSize, continueKey: next, revision: first.revision });
      kvs.push(...page.items);
      next = page.nextKey;
    }
    return { kvs, revision: first.revision };
  }

  private watchFrom(revision: number, epoch: number): void {
    this.phase = 'watching';
    this.unsubscribe = this.store.watch(
      this.prefix,
      revision,
      (event) => {
        if (epoch !== this.epoch) return;
        this.apply(event);
        this.retry.forget('watch');
      },
      (err) => {
        if (epoch !== this.epoch) return;
        this.unsubscribe = undefined;
        const next = ++this.epoch;
        if (isExpired(err)) {
          this.logger.info({ resource: this.resource.plural, revision: this.revision, err }, 'informer watch expired; re-listing');
          this.retryLater(() => this.listAndWatch(next));
        } else {
          this.logger.warn({ resource: this.resource.plural, revision: this.revision, err }, 'informer watch ended; re-watching');
          this.retryLater(() => this.watchFrom(this.revision, next), 'watch');
        }
      },
    );
  }

  private retryLater(fn: () => void, what = 'list'): void {
    this.phase = 'waiting';
    const epoch = this.epoch;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (epoch === this.epoch) fn();
    }, this.retry.when(what));
  }

  // ---- cache ----

  /** Parses a stored value; the resourceVersion is the store revision that wrote it. */
  private decode(kv: KV, revision: number): Readonly<T> | undefined {
    let obj: unknown;
    try {
      obj = JSON.parse(kv.value);
    } catch (err) {
      this.logger.error({ key: kv.key, err }, 'informer skips a value that is not JSON');
      return undefined;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      this.logger.error({ key: kv.key }, 'informer skips a value that is not a JSON object');
      return undefined;
    }
    const o = obj as T;
    if (o.metadata === null || typeof o.metadata !== 'object') o.metadata = {};
    o.metadata.resourceVersion = String(revision);
    return deepFreeze(o);
  }

  /** The cache key of a store key: the part after the collection prefix, i.e. `namespace/name`. */
  private cacheKey(storeKey: string): string {
    return storeKey.slice(this.collectionPrefix.length);
  }

  private apply(event: StoreEvent): void {
    this.revision = event.revision;
    const key = this.cacheKey(event.kv.key);
    const old = this.items.get(key);
    if (event.type === 'delete') {
      if (old === undefined) return;
      this.remove(key, old);
      this.emitDelete(this.decode(event.kv, event.revision) ?? old);
      return;
    }
    const obj = this.decode(event.kv, event.kv.modRevision);
    if (!obj) return;
    this.put(key, obj, old);
    if (old) this.emitUpdate(old, obj);
    else this.emitAdd(obj);
  }

  /** Makes the cache equal to a fresh list and tells handlers the difference (client-go's Replace). */
  private replace(kvs: KV[], revision: number): void {
    this.revision = revision;
    const fresh = new Map<string, Readonly<T>>();
    for (const kv of kvs) {
      const obj = this.decode(kv, kv.modRevision);
      if (obj) fresh.set(this.cacheKey(kv.key), obj);
    }
    for (const [key, old] of [...this.items]) {
      if (fresh.has(key)) continue;
      this.remove(key, old);
      this.emitDelete(old);
    }
    for (const [key, obj] of fresh) {
      const old = this.items.get(key);
      if (old === undefined) {
        this.put(key, obj, undefined);
        this.emitAdd(obj);
      } else if (old.metadata.uid !== undefined && old.metadata.uid !== obj.metadata.uid) {
        // Deleted and re-created while we were not watching: two objects, not one update.
        this.remove(key, old);
        this.emitDelete(old);
        this.put(key, obj, undefined);
        this.emitAdd(obj);
      } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        this.put(key, obj, old);
        this.emitUpdate(old, obj);
      }
    }
  }

  private put(key: string, obj: Readonly<T>, old: Readonly<T> | undefined): void {
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of Object.entries(this.indexers)) {
      if (!fn) continue;
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private remove(key: string, old: Readonly<T>): void {
    this.unindex(key, old);
    this.items.delete(key);
  }

  private unindex(key: string, old: Readonly<T>): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      if (!fn) continue;
      const index = this.indices.get(name)!;
      for (const value of fn(old)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }

  // ---- handlers ----

  private armResync(): void {
    if (!(this.resyncMs > 0) || this.phase === 'stopped') return;
    this.resyncTimer = this.clock.setTimeout(() => {
      this.resyncTimer = undefined;
      if (this.phase === 'stopped') return;
      for (const obj of [...this.items.values()]) this.emitUpdate(obj, obj);
      this.armResync();
    }, this.resyncMs);
  }

  private emitAdd(obj: Readonly<T>): void {
    for (const h of [...this.handlers]) this.call(h, 'onAdd', obj);
  }

  private emitUpdate(oldObj: Readonly<T>, newObj: Readonly<T>): void {
    for (const h of [...this.handlers]) this.call(h, 'onUpdate', oldObj, newObj);
  }

  private emitDelete(obj: Readonly<T>): void {
    for (const h of [...this.handlers]) this.call(h, 'onDelete', obj);
  }

  private call<K extends keyof ResourceEventHandlers<T>>(
    h: ResourceEventHandlers<T>,
    which: K,
    ...args: Parameters<NonNullable<ResourceEventHandlers<T>[K]>>
  ): void {
    const fn = h[which] as ((...a: unknown[]) => void) | undefined;
    if (!fn) return;
    try {
      fn.apply(h, args);
    } catch (err) {
      this.logger.error({ resource: this.resource.plural, handler: which, err }, 'informer event handler threw');
    }
  }
}

/** A mutable copy of a cached object, for building an update. */
export function cloneCached<T>(obj: Readonly<T>): T {
  return deepCopy(obj) as T;
}
