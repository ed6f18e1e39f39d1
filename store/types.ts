/**
 * The storage contract: the seam between embedded SQLite and etcd (after k3s-io/kine's
 * `pkg/server/types.go`). A revision is a single, cluster-wide, strictly increasing counter:
 * every create, update and delete gets the next one. Errors are `StatusError`s from
 * apimachinery: NotFound, AlreadyExists, Conflict, Expired (compacted revision).
 *
 * Two refinements hold for etcd: when several stores share one etcd under different key
 * prefixes, the others' writes take revisions too, so one store's revisions may skip values
 * (they never repeat or go back); and one etcd transaction that changes several keys (a
 * lease expiry deleting all its keys) gives all of them the same revision.
 */

/** A stored key and value with its revisions. */
export interface KV {
  key: string;
  /** The value as written (fedgate stores JSON text). */
  value: string;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of the last write of this key. */
  modRevision: number;
  /** Lease this key is attached to, if any (0 or absent: none). */
  lease?: number;
}

/** Options of `Store.list`. */
export interface ListOptions {
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /** Start at this key (inclusive); used to continue a paged list. */
  continueKey?: string;
  /** Read as of this revision (a consistent snapshot across pages). 0/absent: latest. */
  revision?: number;
}

/** Result of `Store.list`. */
export interface ListResult {
  items: KV[];
  /** The revision the list was read at (the store's revision when not given). */
  revision: number;
  /** When the list was cut by `limit`: the key to continue from. */
  nextKey?: string;
  /** Items left after this page (when the backend knows; etcd and SQLite do). */
  remaining?: number;
}

/**
 * One change, delivered to watchers in revision order. Events that share a revision (see
 * above) are delivered one after the other, each key once.
 */
export interface StoreEvent {
  type: 'create' | 'update' | 'delete';
  /** The key's value after the change; for `delete`, the last value before it, with the delete's modRevision. */
  kv: KV;
  /** The value before the change (update and delete). */
  prevKv?: KV;
  /** Revision of this change (== kv.modRevision). */
  revision: number;
}

/**
 * Receives watch events. When it returns a promise, the next event waits for it: that is
 * how a slow consumer (an HTTP response) pushes back. A watcher whose backlog grows past
 * the store's bound is cut off with `onError` (it re-watches from its last revision).
 */
export type WatchHandler = (event: StoreEvent) => void | Promise<void>;

/** Called once when a watch ends abnormally (Expired, cut off as too slow, store closed). */
export type WatchErrorHandler = (err: Error) => void;

/** Stops a watch; idempotent. */
export type Unsubscribe = () => void;

/** Options of `Store.create`. */
export interface CreateOptions {
  /** Attach the key to a lease: it is deleted when the lease expires or is revoked. */
  lease?: number;
}

/** A lease from `Store.grantLease`. */
export interface Lease {
  readonly id: number;
  readonly ttlSeconds: number;
  /** Pushes the expiry out by ttl; rejects with NotFound when the lease already expired. */
  keepAlive(): Promise<void>;
  /** Ends the lease now, deleting its keys. */
  revoke(): Promise<void>;
}

/** The storage contract every backend implements and one conformance suite checks. */
export interface Store {
  get(key: string): Promise<KV | undefined>;
  /** Keys starting with `prefix`, in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Returns the new revision; AlreadyExists if the key is present. */
  create(key: string, value: string, opts?: CreateOptions): Promise<number>;
  /** Compare-and-swap on modRevision; returns the new revision. NotFound if absent, Conflict if stale. */
  update(key: string, value: string, expectedModRevision: number): Promise<number>;
  /** Returns the delete's revision. NotFound if absent; Conflict if `expectedModRevision` is given and stale. */
  delete(key: string, expectedModRevision?: number): Promise<number>;
  /**
   * Events for keys under `prefix` with revision > `afterRevision`, in order, no gaps, no
   * duplicates. `afterRevision` older than the compacted revision: `onError(Expired)`.
   */
  watch(prefix: string, afterRevision: number, onEvent: WatchHandler, onError: WatchErrorHandler): Unsubscribe;
  /** The store's current revision. */
  currentRevision(): Promise<number>;
  /** Drops history at or below `revision`; later reads or watches there get Expired. */
  compact(revision: number): Promise<void>;
  /** A lease with a TTL; keys created with it disappear when it lapses. */
  grantLease(ttlSeconds: number): Promise<Lease>;
  close(): Promise<void>;
}
