/**
 * The distributed backend: etcd v3 through the `etcd3` client's raw gRPC services, which
 * expose what the `Store` contract needs directly (range revision and count, txn compare,
 * watch start revision and compaction notices). Keys live under an optional prefix so
 * several stores (or tests) share one etcd; revisions are etcd's own, cluster-wide, so they
 * increase strictly but may skip values written under other prefixes.
 */
import { Etcd3, type IDuplexStream, type IEvent, type IKeyValue, type IOptions, type IWatchRequest, type IWatchResponse } from 'etcd3';
import { StatusError, StatusReason } from '../apimachinery/index.js';
import { compareKeys, prefixEnd } from './key-range.js';
import {
  checkRevision,
  compacted,
  futureRevision,
  keyExists,
  keyNotFound,
  leaseNotFound,
  revisionConflict,
  storeClosed,
} from './store-errors.js';
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
import { DEFAULT_MAX_BACKLOG, WatchSubscription } from './watch-fanout.js';

/** How long `EtcdStore.open` waits for etcd to answer before giving up. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
/** Deadline of each unary call, so a dead etcd fails calls instead of hanging them. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** First and longest wait before re-creating a broken watch stream. */
const WATCH_RETRY_MIN_MS = 50;
const WATCH_RETRY_MAX_MS = 1000;

/** Options of `EtcdStore.open`. */
export interface EtcdStoreOptions {
  /** `host:port` or `http://host:port` endpoints. */
  hosts: string[];
  /** Every key is stored under this prefix (e.g. `/fedgate`); empty: none. */
  prefix?: string;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** Per-watcher queue bound before its gRPC stream is paused. */
  maxBacklog?: number;
}

/**
 * Calls pass straight through, without the client's default retry and circuit breaker: a
 * retried create could apply twice and report AlreadyExists, and an open breaker would keep
 * failing calls for seconds after etcd is back. Callers (controllers) retry with backoff.
 */
const passThrough = { execute: <T>(fn: (ctx: unknown) => T | PromiseLike<T>) => Promise.resolve().then(() => fn({})) };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isCompactedError(err: unknown): boolean {
  return /required revision has been compacted/.test(message(err));
}

function isFutureRevisionError(err: unknown): boolean {
  return /required revision is a future revision/.test(message(err));
}

function isLeaseNotFoundError(err: unknown): boolean {
  return /requested lease not found|lease not found/i.test(message(err));
}

/** An etcd failure that is not a contract error: the backend is unavailable or broken. */
function unavailable(what: string, err: unknown): StatusError {
  return new StatusError(StatusReason.ServiceUnavailable, `etcd ${what} failed: ${message(err)}`, {}, { cause: err });
}

/** The gRPC duplex stream behind `IDuplexStream`, which also pauses, resumes and closes. */
type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse> & {
  pause(): void;
  resume(): void;
  on(event: 'close', fn: () => void): WatchStream;
};

/** Lease IDs this store grants stay below 2^53 so `KV.lease` (a number) holds them exactly. */
function randomLeaseId(): number {
  return Math.floor(Math.random() * (Number.MAX_SAFE_INTEGER - 1)) + 1;
}

/** The etcd `Store`. Open with `EtcdStore.open`. */
export class EtcdStore implements Store {
  private client: Etcd3 | undefined;
  private readonly prefix: string;
  private readonly connectTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly maxBacklog: number;
  private readonly watches = new Set<WatchSubscription>();

  /** Does no I/O; use `EtcdStore.open`. */
  constructor(private readonly options: EtcdStoreOptions) {
    this.prefix = options.prefix ?? '';
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
  }

  /** Connects and checks with a real read that etcd answers within the connect timeout. */
  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const store = new EtcdStore(options);
    await store.start();
    return store;
  }

  /** Creates the client and proves connectivity; called by `open`. */
  async start(): Promise<void> {
    if (this.client) return;
    const hosts = this.options.hosts.map((h) => (/^https?:\/\//.test(h) ? h : `http://${h}`));
    const faultHandling = { host: () => passThrough, global: passThrough } as unknown as IOptions['faultHandling'];
    const client = new Etcd3({ hosts, dialTimeout: this.connectTimeoutMs, faultHandling });
    try {
      await client.kv.range({ key: this.encode('') }, { deadline: Date.now() + this.connectTimeoutMs });
    } catch (err) {
      client.close();
      throw new StatusError(
        StatusReason.ServiceUnavailable,
        `cannot reach etcd at ${this.options.hosts.join(',')} within ${this.connectTimeoutMs} ms: ${message(err)}`,
        {},
        { cause: err },
      );
    }
    this.client = client;
  }

  private get etcd(): Etcd3 {
    if (!this.client) throw storeClosed();
    return this.client;
  }

  private deadline(): { deadline: number } {
    return { deadline: Date.now() + this.callTimeoutMs };
  }

  private encode(key: string): Buffer {
    return Buffer.from(this.prefix + key, 'utf8');
  }

  private decodeKey(key: Buffer): string {
    return key.toString('utf8').slice(this.prefix.length);
  }

  /** [start, end) of every key under `prefix`, inside this store's own prefix. */
  private range(prefix: string): { key: Buffer; range_end: Buffer } {
    const full = this.prefix + prefix;
    const end = prefixEnd(full);
    // An empty full prefix covers everything: etcd spells "no upper bound" as "\0".
    return { key: Buffer.from(full, 'utf8'), range_end: end === undefined ? Buffer.from([0]) : Buffer.from(end, 'utf8') };
  }

  private kvOf(kv: IKeyValue): KV {
    const out: KV = {
      key: this.decodeKey(kv.key),
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
    const lease = Number(kv.lease);
    if (lease) out.lease = lease;
    return out;
  }

  async get(key: string): Promise<KV | undefined> {
    try {
      const res = await this.etcd.kv.range({ key: this.encode(key) }, this.deadline());
      return res.kvs[0] ? this.kvOf(res.kvs[0]) : undefined;
    } catch (err) {
      throw this.mapError('get', err);
    }
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const limit = opts.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new StatusError(StatusReason.BadRequest, `invalid limit: ${limit}`);
    checkRevision('list', opts.revision ?? 0);
    const { key, range_end } = this.range(prefix);
    const start =
      opts.continueKey !== undefined && compareKeys(opts.continueKey, prefix) > 0 ? this.encode(opts.continueKey) : key;
    try {
      const res = await this.etcd.kv.range(
        { key: start, range_end, revision: opts.revision || 0, limit: limit > 0 ? limit + 1 : 0 },
        this.deadline(),
      );
      const revision = opts.revision || Number(res.header.revision);
      const items = res.kvs.map((kv) => this.kvOf(kv));
      if (limit === 0 || items.length <= limit) return { items, revision };
      // `count` is every key in [start, end) at that revision, this page included.
      return { items: items.slice(0, limit), revision, nextKey: items[limit]!.key, remaining: Number(res.count) - limit };
    } catch (err) {
      throw this.mapError('list', err, opts.revision);
    }
  }

  async create(key: string, value: string, opts: CreateOptions = {}): Promise<number> {
    const k = this.encode(key);
    try {
      const res = await this.etcd.kv.txn(
        {
          compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key: k, value: Buffer.from(value, 'utf8'), lease: opts.lease ?? 0 } }],
          failure: [],
        },
        this.deadline(),
      );
      if (!res.succeeded) throw keyExists(key);
      return Number(res.header.revision);
    } catch (err) {
      if (opts.lease && isLeaseNotFoundError(err)) throw leaseNotFound(opts.lease);
      throw this.mapError('create', err);
    }
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    const k = this.encode(key);
    try {
      const res = await this.etcd.kv.txn(
        {
          compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
          // ignore_lease: an update keeps the key's lease, as in the SQLite backend.
          success: [{ request_put: { key: k, value: Buffer.from(value, 'utf8'), ignore_lease: true } }],
          failure: [{ request_range: { key: k } }],
        },
        this.deadline(),
      );
      if (!res.succeeded) throw this.casFailure(key, expectedModRevision, res.responses[0]?.response_range.kvs[0]);
      return Number(res.header.revision);
    } catch (err) {
      throw this.mapError('update', err);
    }
  }

  async delete(key: string, expectedModRevision?: number): Promise<number> {
    const k = this.encode(key);
    const compare =
      expectedModRevision === undefined
        ? { key: k, target: 'Create' as const, result: 'Greater' as const, create_revision: 0 }
        : { key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expectedModRevision };
    try {
      const res = await this.etcd.kv.txn(
        { compare: [compare], success: [{ request_delete_range: { key: k } }], failure: [{ request_range: { key: k } }] },
        this.deadline(),
      );
      if (!res.succeeded) throw this.casFailure(key, expectedModRevision ?? 0, res.responses[0]?.response_range.kvs[0]);
      return Number(res.header.revision);
    } catch (err) {
      throw this.mapError('delete', err);
    }
  }

  private casFailure(key: string, expected: number, current: IKeyValue | undefined): StatusError {
    return current ? revisionConflict(key, expected, Number(current.mod_revision)) : keyNotFound(key);
  }

  async currentRevision(): Promise<number> {
    try {
      const res = await this.etcd.kv.range({ key: this.encode(''), count_only: true }, this.deadline());
      return Number(res.header.revision);
    } catch (err) {
      throw this.mapError('revision', err);
    }
  }

  async compact(revision: number): Promise<void> {
    checkRevision('compact', revision);
    try {
      await this.etcd.kv.compact({ revision, physical: true }, this.deadline());
    } catch (err) {
      // Compacting again at or below the compacted revision changes nothing.
      if (isCompactedError(err)) return;
      throw this.mapError('compact', err, revision);
    }
  }

  async grantLease(ttlSeconds: number): Promise<Lease> {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new StatusError(StatusReason.BadRequest, `invalid lease TTL: ${ttlSeconds}`);
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    let id = 0;
    for (let attempt = 0; ; attempt++) {
      id = randomLeaseId();
      try {
        await this.etcd.leaseClient.leaseGrant({ TTL: ttl, ID: id }, this.deadline());
        break;
      } catch (err) {
        if (attempt < 3 && /lease already exists/.test(message(err))) continue;
        throw this.mapError('lease grant', err);
      }
    }
    return {
      id,
      ttlSeconds,
      keepAlive: () => this.keepAlive(id),
      revoke: async () => {
        try {
          await this.etcd.leaseClient.leaseRevoke({ ID: id }, this.deadline());
        } catch (err) {
          if (isLeaseNotFoundError(err)) throw leaseNotFound(id);
          throw this.mapError('lease revoke', err);
        }
      },
    };
  }

  /** One keep-alive round trip; a TTL of 0 in the answer means the lease is gone. */
  private async keepAlive(id: number): Promise<void> {
    let stream: IDuplexStream<{ ID: number }, { TTL: string }>;
    try {
      stream = (await this.etcd.leaseClient.leaseKeepAlive()) as unknown as IDuplexStream<{ ID: number }, { TTL: string }>;
    } catch (err) {
      throw this.mapError('lease keep-alive', err);
    }
    const ttl = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(unavailable('lease keep-alive', new Error('timed out'))), this.callTimeoutMs);
      stream.on('data', (res) => {
        clearTimeout(timer);
        resolve(Number(res.TTL));
      });
      stream.on('error', (err: Error) => {
        clearTimeout(timer);
        reject(this.mapError('lease keep-alive', err));
      });
      stream.write({ ID: id });
    }).finally(() => stream.end());
    if (ttl <= 0) throw leaseNotFound(id);
  }

  watch(prefix: string, afterRevision: number, onEvent: WatchHandler, onError: WatchErrorHandler): Unsubscribe {
    const watch = new EtcdWatch(this, prefix, afterRevision, onEvent, onError, this.maxBacklog);
    this.watches.add(watch.sub);
    watch.start();
    return watch.sub.unsubscribe;
  }

  /** Opens a watch stream; used by `EtcdWatch`. */
  async openWatchStream(): Promise<WatchStream> {
    return (await this.etcd.watchClient.watch()) as WatchStream;
  }

  /** Used by `EtcdWatch`. */
  watchRange(prefix: string): { key: Buffer; range_end: Buffer } {
    return this.range(prefix);
  }

  /** Used by `EtcdWatch`: an etcd event as a store event. */
  eventOf(ev: IEvent): StoreEvent {
    const revision = Number(ev.kv.mod_revision);
    const prev = ev.prev_kv ? this.kvOf(ev.prev_kv) : undefined;
    if (ev.type === 'Delete') {
      // etcd's delete event carries only the key; the value comes from prev_kv.
      const kv: KV = {
        key: this.decodeKey(ev.kv.key),
        value: prev?.value ?? '',
        createRevision: prev?.createRevision ?? 0,
        modRevision: revision,
      };
      if (prev?.lease) kv.lease = prev.lease;
      return prev ? { type: 'delete', kv, prevKv: prev, revision } : { type: 'delete', kv, revision };
    }
    const kv = this.kvOf(ev.kv);
    if (kv.createRevision === kv.modRevision) return { type: 'create', kv, revision };
    return prev ? { type: 'update', kv, prevKv: prev, revision } : { type: 'update', kv, revision };
  }

  /** Used by `EtcdWatch` when it ends. */
  forget(sub: WatchSubscription): void {
    this.watches.delete(sub);
  }

  /** Whether the store is open. */
  get isOpen(): boolean {
    return this.client !== undefined;
  }

  private mapError(what: string, err: unknown, revision?: number): Error {
    if (err instanceof StatusError) return err;
    if (isCompactedError(err)) return compacted(revision ?? 0);
    if (isFutureRevisionError(err)) return futureRevision(revision ?? 0);
    if (!this.client) return storeClosed();
    return unavailable(what, err);
  }

  async close(): Promise<void> {
    if (!this.client) return;
    const client = this.client;
    this.client = undefined;
    for (const sub of [...this.watches]) sub.fail(storeClosed());
    this.watches.clear();
    client.close();
  }
}

/**
 * One watch over its own gRPC stream. On any stream failure it re-creates the stream from
 * the last accepted revision + 1 (its subscription drops anything older), so a reconnect or
 * an etcd restart neither loses nor repeats events. A compaction notice ends it with Expired.
 */
class EtcdWatch {
  readonly sub: WatchSubscription;
  private stream: WatchStream | undefined;
  private retryMs = WATCH_RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EtcdStore,
    private readonly prefix: string,
    afterRevision: number,
    onEvent: WatchHandler,
    onError: WatchErrorHandler,
    maxBacklog: number,
  ) {
    this.sub = new WatchSubscription({
      prefix,
      afterRevision,
      onEvent,
      onError,
      maxBacklog,
      overflow: 'pause',
      onFull: () => this.stream?.pause(),
      onDrained: () => this.stream?.resume(),
      onClose: () => this.stop(),
    });
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.sub.isClosed || !this.store.isOpen) return;
    let stream: WatchStream;
    try {
      stream = await this.store.openWatchStream();
    } catch {
      this.retry();
      return;
    }
    if (this.sub.isClosed) {
      stream.end();
      return;
    }
    this.stream = stream;
    let broken = false;
    const onBroken = (): void => {
      if (broken || this.stream !== stream) return;
      broken = true;
      this.stream = undefined;
      this.retry();
    };
    stream.on('data', (res: IWatchResponse) => this.onResponse(stream, res));
    stream.on('error', onBroken);
    stream.on('end', onBroken);
    stream.on('close', onBroken);
    stream.write({
      create_request: {
        ...this.store.watchRange(this.prefix),
        start_revision: this.sub.lastAccepted + 1,
        prev_kv: true,
        progress_notify: true,
      },
    });
  }

  private onResponse(stream: WatchStream, res: IWatchResponse): void {
    if (this.stream !== stream || this.sub.isClosed) return;
    const compactRevision = Number(res.compact_revision || 0);
    if (compactRevision > 0) {
      this.sub.fail(compacted(this.sub.lastAccepted, compactRevision));
      return;
    }
    if (res.canceled) {
      this.sub.fail(new StatusError(StatusReason.InternalError, `etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    this.retryMs = WATCH_RETRY_MIN_MS;
    for (const ev of res.events) this.sub.offer(this.store.eventOf(ev));
  }

  private retry(): void {
    if (this.sub.isClosed || !this.store.isOpen || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, WATCH_RETRY_MAX_MS);
  }

  private stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    if (stream) {
      try {
        stream.cancel();
      } catch {
        // Already closed.
      }
    }
    this.store.forget(this.sub);
  }
}
