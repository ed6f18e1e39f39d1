/**
 * The embedded backend: a log-structured table in SQLite through better-sqlite3 (after
 * k3s-io/kine `pkg/logstructured` over `pkg/drivers/generic`). Every write appends a row
 * whose id is the new revision; a key's state is its newest row. Compare-and-swap runs
 * inside one `BEGIN IMMEDIATE` transaction. better-sqlite3 is synchronous; the methods are
 * async only to honour the `Store` contract.
 *
 * Watch: writes of this process are published right after they commit; writes of other
 * processes on the same file are found by polling the log while anyone watches. Every
 * event reaches the fanout in revision order because the fanout only ever publishes the
 * next unseen rows of the log (`pump`).
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { StatusError, StatusReason } from '../apimachinery/index.js';
import { compareKeys, prefixEnd } from './key-range.js';
import { LOG_COLUMNS, initSchema, type LogRow, type SqliteSynchronous } from './sqlite-schema.js';
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
import { DEFAULT_MAX_BACKLOG, WatchFanout, WatchSubscription } from './watch-fanout.js';

/** How often the log is polled for other processes' writes while anyone watches. */
export const DEFAULT_POLL_INTERVAL_MS = 150;
/** How often expired leases are swept. */
export const DEFAULT_LEASE_SWEEP_MS = 250;
/** How long a writer waits for another process's write lock before failing. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** A key bound above every real key, for the empty prefix (SQLite compares UTF-8 bytes). */
const KEY_SPACE_END = '\u{10FFFF}\u{10FFFF}';

/** Options of `SqliteStore.open`. */
export interface SqliteStoreOptions {
  /** File path, or `:memory:` for a private in-memory database. */
  path: string;
  /** Default FULL; see `initSchema` for why. */
  synchronous?: SqliteSynchronous;
  busyTimeoutMs?: number;
  pollIntervalMs?: number;
  leaseSweepMs?: number;
  /** Per-watcher queue bound before the watcher is refilled from the log. */
  maxBacklog?: number;
  /** Clock for lease expiry (ms since the epoch). */
  now?: () => number;
}

interface ResolvedOptions {
  path: string;
  synchronous: SqliteSynchronous;
  busyTimeoutMs: number;
  pollIntervalMs: number;
  leaseSweepMs: number;
  maxBacklog: number;
  now: () => number;
}

function resolveOptions(o: SqliteStoreOptions): ResolvedOptions {
  return {
    path: o.path,
    synchronous: o.synchronous ?? 'FULL',
    busyTimeoutMs: o.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    pollIntervalMs: o.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    leaseSweepMs: o.leaseSweepMs ?? DEFAULT_LEASE_SWEEP_MS,
    maxBacklog: o.maxBacklog ?? DEFAULT_MAX_BACKLOG,
    now: o.now ?? Date.now,
  };
}

function createRevisionOf(row: LogRow): number {
  return row.created ? row.id : row.create_revision;
}

function kvOf(row: LogRow): KV {
  const kv: KV = { key: row.name, value: row.value, createRevision: createRevisionOf(row), modRevision: row.id };
  if (row.lease) kv.lease = row.lease;
  return kv;
}

/** The watch event a log row stands for. */
function eventOf(row: LogRow): StoreEvent {
  const kv = kvOf(row);
  if (row.created) return { type: 'create', kv, revision: row.id };
  const prevKv: KV = {
    key: row.name,
    value: row.old_value ?? row.value,
    createRevision: createRevisionOf(row),
    modRevision: row.prev_revision,
  };
  if (row.lease) prevKv.lease = row.lease;
  return { type: row.deleted ? 'delete' : 'update', kv, prevKv, revision: row.id };
}

/** The statements, prepared once per connection. */
class Statements {
  readonly latest: Statement<[string], LogRow>;
  readonly insert: Statement<[string, number, number, number, number, number, string, string | null]>;
  readonly sequence: Statement<[], { seq: number }>;
  readonly compactRevision: Statement<[], { value: number }>;
  readonly setCompactRevision: Statement<[number]>;
  readonly listPage: Statement<{ start: string; end: string; rev: number; limit: number }, LogRow>;
  readonly listCount: Statement<{ start: string; end: string; rev: number }, { n: number }>;
  readonly after: Statement<{ after: number; start: string; end: string }, LogRow>;
  readonly compact: Statement<{ rev: number }>;
  readonly forgetOldValues: Statement<{ rev: number }>;
  readonly leaseGet: Statement<[number], { id: number; ttl: number; expires_at: number }>;
  readonly leaseInsert: Statement<[number, number]>;
  readonly leaseTouch: Statement<[number, number, number]>;
  readonly leaseDelete: Statement<[number]>;
  readonly leasesExpired: Statement<[number], { id: number }>;
  readonly leaseCount: Statement<[], { n: number }>;
  readonly leaseKeys: Statement<[number], { name: string }>;

  constructor(db: Database) {
    this.latest = db.prepare(`SELECT ${LOG_COLUMNS} FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`);
    this.insert = db.prepare(
      `INSERT INTO kv (name, created, deleted, create_revision, prev_revision, lease, value, old_value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.sequence = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`);
    this.compactRevision = db.prepare(`SELECT value FROM meta WHERE name = 'compact_revision'`);
    this.setCompactRevision = db.prepare(
      `INSERT INTO meta (name, value) VALUES ('compact_revision', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    );
    // The newest row of each key at or below `rev`, kept when it is not a tombstone.
    const latestAt = `SELECT MAX(id) AS id FROM kv WHERE name >= @start AND name < @end AND id <= @rev GROUP BY name`;
    this.listPage = db.prepare(
      `SELECT ${LOG_COLUMNS} FROM kv JOIN (${latestAt}) AS latest USING (id)
       WHERE deleted = 0 ORDER BY name LIMIT @limit`,
    );
    this.listCount = db.prepare(`SELECT COUNT(*) AS n FROM kv JOIN (${latestAt}) AS latest USING (id) WHERE deleted = 0`);
    this.after = db.prepare(
      `SELECT ${LOG_COLUMNS} FROM kv WHERE id > @after AND name >= @start AND name < @end ORDER BY id`,
    );
    // Superseded rows and tombstones at or below the compaction revision go; the newest
    // live row of each key stays, so reads at exactly that revision remain exact.
    this.compact = db.prepare(
      `DELETE FROM kv WHERE id <= @rev AND (deleted = 1 OR id NOT IN (SELECT MAX(id) FROM kv WHERE id <= @rev GROUP BY name))`,
    );
    // A compacted revision is never delivered as an event again, so the previous value its
    // row keeps for `prevKv` has no reader left; dropping it means a value overwritten (say
    // a plaintext Secret rewritten encrypted) does not outlive compaction in a kept row.
    this.forgetOldValues = db.prepare(`UPDATE kv SET old_value = NULL WHERE id <= @rev AND old_value IS NOT NULL`);
    this.leaseGet = db.prepare(`SELECT id, ttl, expires_at FROM leases WHERE id = ?`);
    this.leaseInsert = db.prepare(`INSERT INTO leases (ttl, expires_at) VALUES (?, ?)`);
    this.leaseTouch = db.prepare(`UPDATE leases SET expires_at = ? WHERE id = ? AND expires_at > ?`);
    this.leaseDelete = db.prepare(`DELETE FROM leases WHERE id = ?`);
    this.leasesExpired = db.prepare(`SELECT id FROM leases WHERE expires_at <= ? ORDER BY id`);
    this.leaseCount = db.prepare(`SELECT COUNT(*) AS n FROM leases`);
    this.leaseKeys = db.prepare(`SELECT DISTINCT name FROM kv WHERE lease = ?`);
  }
}

/** The SQLite `Store`. Open with `SqliteStore.open`. */
export class SqliteStore implements Store {
  private readonly opts: ResolvedOptions;
  private db: Database | undefined;
  private st: Statements | undefined;
  private readonly fanout = new WatchFanout();
  /** Highest revision offered to the fanout; rows above it are published by `pump`. */
  private published = 0;
  /** Writes waiting for the next group commit. */
  private pendingWrites: { op: () => LogRow; resolve: (row: LogRow) => void; reject: (err: unknown) => void }[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  /** Does no I/O; use `SqliteStore.open`. */
  constructor(options: SqliteStoreOptions) {
    this.opts = resolveOptions(options);
  }

  /** Opens (creating when missing) the database file and its parent directory. */
  static open(options: SqliteStoreOptions): SqliteStore {
    const store = new SqliteStore(options);
    store.start();
    return store;
  }

  /** Opens the database; called by `open`. */
  start(): void {
    if (this.db) return;
    const file = this.opts.path;
    const memory = file === ':memory:' || file === '';
    try {
      if (!memory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const db = new BetterSqlite3(memory ? ':memory:' : file);
      try {
        initSchema(db, this.opts.synchronous, this.opts.busyTimeoutMs);
      } catch (err) {
        db.close();
        throw err;
      }
      this.db = db;
    } catch (err) {
      throw new StatusError(
        StatusReason.InternalError,
        `cannot open SQLite store at ${memory ? ':memory:' : path.resolve(file)}: ${(err as Error).message}`,
        {},
        { cause: err },
      );
    }
    this.st = new Statements(this.db);
    this.published = this.sequence();
    if (this.st.leaseCount.get()!.n > 0) this.startSweeper();
  }

  private get statements(): Statements {
    if (!this.st) throw storeClosed();
    return this.st;
  }

  private get database(): Database {
    if (!this.db) throw storeClosed();
    return this.db;
  }

  private sequence(): number {
    return this.statements.sequence.get()?.seq ?? 0;
  }

  private compactRevision(): number {
    return this.statements.compactRevision.get()?.value ?? 0;
  }

  async get(key: string): Promise<KV | undefined> {
    const row = this.statements.latest.get(key);
    return row && !row.deleted ? kvOf(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const st = this.statements;
    const limit = opts.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new StatusError(StatusReason.BadRequest, `invalid limit: ${limit}`);
    }
    checkRevision('list', opts.revision ?? 0);
    const end = prefixEnd(prefix) ?? KEY_SPACE_END;
    const start = opts.continueKey !== undefined && compareKeys(opts.continueKey, prefix) > 0 ? opts.continueKey : prefix;
    // One read transaction: the compaction check and the rows come from the same snapshot.
    return this.database.transaction((): ListResult => {
      const current = this.sequence();
      const rev = opts.revision || current;
      if (rev > current) throw futureRevision(rev, current);
      const compactRev = this.compactRevision();
      if (rev < compactRev) throw compacted(rev, compactRev);
      const rows = st.listPage.all({ start, end, rev, limit: limit > 0 ? limit + 1 : -1 });
      if (limit === 0 || rows.length <= limit) return { items: rows.map(kvOf), revision: rev };
      const page = rows.slice(0, limit);
      const total = st.listCount.get({ start, end, rev })!.n;
      return { items: page.map(kvOf), revision: rev, nextKey: rows[limit]!.name, remaining: total - limit };
    }).deferred();
  }

  async create(key: string, value: string, opts: CreateOptions = {}): Promise<number> {
    const st = this.statements;
    const lease = opts.lease ?? 0;
    const row = await this.write((): LogRow => {
      const latest = st.latest.get(key);
      if (latest && !latest.deleted) throw keyExists(key);
      if (lease !== 0) {
        const l = st.leaseGet.get(lease);
        if (!l || l.expires_at <= this.opts.now()) throw leaseNotFound(lease);
      }
      return this.append(key, 1, 0, 0, latest?.id ?? 0, lease, value, null);
    });
    return row.id;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    const st = this.statements;
    const row = await this.write((): LogRow => {
      const latest = st.latest.get(key);
      if (!latest || latest.deleted) throw keyNotFound(key);
      if (latest.id !== expectedModRevision) throw revisionConflict(key, expectedModRevision, latest.id);
      return this.append(key, 0, 0, createRevisionOf(latest), latest.id, latest.lease, value, latest.value);
    });
    return row.id;
  }

  async delete(key: string, expectedModRevision?: number): Promise<number> {
    const row = await this.write((): LogRow => this.deleteLatest(key, expectedModRevision));
    return row.id;
  }

  /**
   * Group commit: writes that arrive while a commit is pending share one `BEGIN IMMEDIATE`
   * transaction and one fsync. Each write runs in its own savepoint, in arrival order, so it
   * sees the writes before it (compare-and-swap stays exact) and its failure rolls back only
   * itself. Every promise settles after the commit: a resolved write is durable.
   */
  private write(op: () => LogRow): Promise<LogRow> {
    const db = this.database;
    return new Promise((resolve, reject) => {
      this.pendingWrites.push({ op, resolve, reject });
      if (this.pendingWrites.length === 1) setImmediate(() => this.flushWrites(db));
    });
  }

  private flushWrites(db: Database): void {
    const batch = this.pendingWrites;
    this.pendingWrites = [];
    if (batch.length === 0) return;
    if (this.db !== db) {
      for (const w of batch) w.reject(storeClosed());
      return;
    }
    const outcomes: ({ row: LogRow } | { err: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const w of batch) {
          try {
            outcomes.push({ row: db.transaction(w.op)() });
          } catch (err) {
            outcomes.push({ err });
          }
        }
      }).immediate();
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    this.committed(outcomes.flatMap((o) => ('row' in o ? [o.row] : [])));
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if ('row' in o) w.resolve(o.row);
      else w.reject(o.err);
    });
  }

  /** Appends a tombstone for `key`; runs inside a write transaction. */
  private deleteLatest(key: string, expectedModRevision?: number): LogRow {
    const latest = this.statements.latest.get(key);
    if (!latest || latest.deleted) throw keyNotFound(key);
    if (expectedModRevision !== undefined && latest.id !== expectedModRevision) {
      throw revisionConflict(key, expectedModRevision, latest.id);
    }
    // The tombstone keeps the last value so a delete event can carry it (kine does the same).
    return this.append(key, 0, 1, createRevisionOf(latest), latest.id, latest.lease, latest.value, latest.value);
  }

  private append(
    name: string,
    created: number,
    deleted: number,
    createRevision: number,
    prevRevision: number,
    lease: number,
    value: string,
    oldValue: string | null,
  ): LogRow {
    const info = this.statements.insert.run(name, created, deleted, createRevision, prevRevision, lease, value, oldValue);
    return {
      id: Number(info.lastInsertRowid),
      name,
      created,
      deleted,
      create_revision: createRevision,
      prev_revision: prevRevision,
      lease,
      value,
      old_value: oldValue,
    };
  }

  async currentRevision(): Promise<number> {
    return this.sequence();
  }

  async compact(revision: number): Promise<void> {
    checkRevision('compact', revision);
    const st = this.statements;
    this.database.transaction(() => {
      const current = this.sequence();
      if (revision > current) throw futureRevision(revision, current);
      if (revision <= this.compactRevision()) return;
      st.compact.run({ rev: revision });
      st.forgetOldValues.run({ rev: revision });
      st.setCompactRevision.run(revision);
    }).immediate();
  }

  /**
   * Rebuilds the database file without free pages and empties the WAL, so the bytes of rows
   * that compaction removed leave the disk too (SQLite otherwise keeps them in free pages
   * and old WAL frames until they are reused). Blocks this connection while it runs; other
   * processes reading the file can keep the WAL from being emptied: then it returns false.
   */
  async vacuum(): Promise<boolean> {
    const db = this.database;
    db.exec('VACUUM');
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return result !== undefined && result.busy === 0;
  }

  async grantLease(ttlSeconds: number): Promise<Lease> {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      throw new StatusError(StatusReason.BadRequest, `invalid lease TTL: ${ttlSeconds}`);
    }
    const ttlMs = Math.round(ttlSeconds * 1000);
    const info = this.statements.leaseInsert.run(ttlMs, this.opts.now() + ttlMs);
    this.startSweeper();
    const id = Number(info.lastInsertRowid);
    return {
      id,
      ttlSeconds,
      keepAlive: async () => {
        const now = this.opts.now();
        if (this.statements.leaseTouch.run(now + ttlMs, id, now).changes === 0) throw leaseNotFound(id);
      },
      revoke: async () => {
        if (!this.statements.leaseGet.get(id)) throw leaseNotFound(id);
        this.endLease(id);
      },
    };
  }

  /** Deletes the lease and every live key attached to it, in one transaction. */
  private endLease(id: number): void {
    const st = this.statements;
    const rows = this.database.transaction((): LogRow[] => {
      const out: LogRow[] = [];
      for (const { name } of st.leaseKeys.all(id)) {
        const latest = st.latest.get(name);
        if (latest && !latest.deleted && latest.lease === id) out.push(this.deleteLatest(name));
      }
      st.leaseDelete.run(id);
      return out;
    }).immediate();
    this.committed(rows);
  }

  /** Ends leases past their expiry (possibly granted by another process on the same file). */
  sweepLeases(): void {
    if (!this.st) return;
    for (const { id } of this.st.leasesExpired.all(this.opts.now())) this.endLease(id);
    if (this.st.leaseCount.get()!.n === 0) this.stopSweeper();
  }

  private startSweeper(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => {
      try {
        this.sweepLeases();
      } catch {
        // SQLITE_BUSY from another writer: the next tick tries again.
      }
    }, this.opts.leaseSweepMs);
    this.sweepTimer.unref();
  }

  private stopSweeper(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  watch(prefix: string, afterRevision: number, onEvent: WatchHandler, onError: WatchErrorHandler): Unsubscribe {
    const sub: WatchSubscription = new WatchSubscription({
      prefix,
      afterRevision,
      onEvent,
      onError,
      maxBacklog: this.opts.maxBacklog,
      overflow: 'refill',
      onDrained: () => this.refill(sub),
      onClose: () => this.fanout.remove(sub),
    });
    try {
      checkRevision('watch', afterRevision);
      const st = this.statements;
      const end = prefixEnd(prefix) ?? KEY_SPACE_END;
      // Catch up and join the fanout in one synchronous step: no commit of this process can
      // slip between the read and the join, and later rows of other processes reach the
      // fanout through `pump`, which the subscription de-duplicates.
      const { rows, seq } = this.database.transaction(() => {
        const compactRev = this.compactRevision();
        if (afterRevision < compactRev) throw compacted(afterRevision, compactRev);
        return { rows: st.after.all({ after: afterRevision, start: prefix, end }), seq: this.sequence() };
      }).deferred();
      sub.replay(rows.map(eventOf));
      sub.advance(seq);
      if (this.fanout.size === 0) this.published = Math.max(this.published, seq);
      this.fanout.add(sub);
      this.startPoller();
    } catch (err) {
      sub.fail(err as Error);
    }
    return sub.unsubscribe;
  }

  /** Re-reads the log for a subscription that dropped events while its backlog was full. */
  private refill(sub: WatchSubscription): void {
    if (sub.isClosed || !this.st) return;
    try {
      const end = prefixEnd(sub.prefix) ?? KEY_SPACE_END;
      const { rows, compactRev } = this.database.transaction(() => ({
        compactRev: this.compactRevision(),
        rows: this.statements.after.all({ after: sub.lastAccepted, start: sub.prefix, end }),
      })).deferred();
      if (sub.lastAccepted < compactRev) {
        sub.fail(compacted(sub.lastAccepted, compactRev));
        return;
      }
      sub.replay(rows.map(eventOf));
    } catch (err) {
      sub.fail(err as Error);
    }
  }

  /** Publishes rows committed by this process; falls back to reading the log if rows of others came first. */
  private committed(rows: LogRow[]): void {
    for (const row of rows) {
      if (this.fanout.size === 0) {
        this.published = Math.max(this.published, row.id);
      } else if (row.id === this.published + 1) {
        this.published = row.id;
        this.fanout.publish(eventOf(row));
      } else if (row.id > this.published) {
        this.pump();
      }
    }
  }

  /** Publishes every row above `published`, in order. */
  private pump(): void {
    if (!this.st || this.fanout.size === 0) return;
    const { rows, compactRev, seq } = this.database.transaction(() => ({
      compactRev: this.compactRevision(),
      seq: this.sequence(),
      rows: this.statements.after.all({ after: this.published, start: '', end: KEY_SPACE_END }),
    })).deferred();
    // Another process compacted history nobody here has published yet: those rows are gone
    // or have lost their previous values, so watchers behind it must re-list, as the
    // contract says of a watch below the compacted revision.
    if (compactRev > this.published) {
      this.fanout.failAll(compacted(this.published, compactRev));
      this.published = seq;
      return;
    }
    for (const row of rows) {
      this.published = row.id;
      this.fanout.publish(eventOf(row));
    }
    this.published = Math.max(this.published, seq);
    this.fanout.advance(seq);
  }

  private startPoller(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      if (this.fanout.size === 0 || !this.st) {
        this.stopPoller();
        return;
      }
      try {
        if (this.sequence() > this.published) this.pump();
      } catch {
        // A busy or briefly locked database: the next tick reads again.
      }
    }, this.opts.pollIntervalMs);
    this.pollTimer.unref();
  }

  private stopPoller(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  async close(): Promise<void> {
    if (!this.db) return;
    this.stopPoller();
    this.stopSweeper();
    this.fanout.failAll(storeClosed());
    const db = this.db;
    this.db = undefined;
    this.st = undefined;
    db.close();
  }
}
