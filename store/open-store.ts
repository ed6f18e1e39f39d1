/**
 * The backend registry: a store URL names its backend by scheme.
 *
 * - `sqlite:PATH` (relative or absolute; `sqlite:///abs/path` too), `sqlite::memory:`
 * - `etcd://HOST:PORT[,HOST:PORT...][?prefix=/fedgate]`
 */
import { StatusError, StatusReason } from '../apimachinery/index.js';
import { EncryptingStore, resolveEncryptingStoreOptions, type EncryptingStoreOptions } from './encrypting-store.js';
import { EtcdStore } from './etcd-store.js';
import type { SqliteSynchronous } from './sqlite-schema.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

/** Options of `openStore` that apply to one backend or the other. */
export interface OpenStoreOptions {
  /** SQLite: `synchronous` pragma (default FULL). */
  synchronous?: SqliteSynchronous;
  /** etcd: how long to wait for the first answer (default 3 s). */
  connectTimeoutMs?: number;
  /** Per-watcher queue bound of the backend's watches. */
  maxBacklog?: number;
  /** SQLite: clock for lease expiry. */
  now?: () => number;
  /**
   * Encrypt values at rest (Secrets by default): the backend is wrapped in an
   * `EncryptingStore` with these keys and prefixes. Put a `WatchCache` above the result.
   */
  encryption?: EncryptingStoreOptions;
}

/** A parsed store URL. */
export type StoreLocation =
  | { backend: 'sqlite'; path: string; synchronous?: SqliteSynchronous }
  | { backend: 'etcd'; hosts: string[]; prefix: string };

function bad(url: string, why: string): StatusError {
  return new StatusError(
    StatusReason.BadRequest,
    `invalid store URL "${url}": ${why} (expected sqlite:PATH, sqlite::memory: or etcd://HOST:PORT[,HOST:PORT][?prefix=/p])`,
  );
}

/** Parses a store URL; BadRequest for unknown schemes and malformed URLs. */
export function parseStoreUrl(url: string): StoreLocation {
  const colon = url.indexOf(':');
  if (colon <= 0) throw bad(url, 'no scheme');
  const scheme = url.slice(0, colon).toLowerCase();
  const rest = url.slice(colon + 1);
  const [body = '', query = ''] = splitOnce(rest, '?');
  const params = new URLSearchParams(query);
  if (scheme === 'sqlite') {
    if (body === ':memory:' || body === ':memory') return { backend: 'sqlite', path: ':memory:' };
    // sqlite:///abs/path and sqlite://rel are accepted as well as sqlite:path.
    const path = body.startsWith('//') ? body.slice(2) : body;
    if (path === '') throw bad(url, 'missing file path');
    const sync = params.get('synchronous')?.toUpperCase();
    if (sync !== undefined && sync !== 'FULL' && sync !== 'NORMAL') throw bad(url, `synchronous must be FULL or NORMAL, not ${sync}`);
    return sync ? { backend: 'sqlite', path, synchronous: sync } : { backend: 'sqlite', path };
  }
  if (scheme === 'etcd') {
    if (!body.startsWith('//')) throw bad(url, 'etcd URLs start with etcd://');
    const authority = body.slice(2).replace(/\/+$/, '');
    if (authority === '') throw bad(url, 'no etcd endpoint');
    const hosts = authority.split(',').map((h) => h.trim());
    for (const h of hosts) {
      const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(h);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw bad(url, `endpoint "${h}" is not HOST:PORT`);
    }
    const prefix = params.get('prefix') ?? '';
    return { backend: 'etcd', hosts, prefix };
  }
  throw bad(url, `unknown scheme "${scheme}"`);
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * Opens the backend a URL names, wrapped in an `EncryptingStore` when `opts.encryption` is
 * given (bad keys fail before the backend is opened). An unreachable etcd fails within the
 * connect timeout.
 */
export async function openStore(url: string, opts: OpenStoreOptions & { encryption: EncryptingStoreOptions }): Promise<EncryptingStore>;
export async function openStore(url: string, opts?: OpenStoreOptions): Promise<Store>;
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const loc = parseStoreUrl(url);
  if (opts.encryption === undefined) return openBackend(loc, opts);
  resolveEncryptingStoreOptions(opts.encryption);
  return new EncryptingStore(await openBackend(loc, opts), opts.encryption);
}

async function openBackend(loc: StoreLocation, opts: OpenStoreOptions): Promise<Store> {
  if (loc.backend === 'sqlite') {
    const sqliteOptions = { path: loc.path, synchronous: opts.synchronous ?? loc.synchronous };
    return SqliteStore.open({
      ...sqliteOptions,
      ...(opts.maxBacklog !== undefined && { maxBacklog: opts.maxBacklog }),
      ...(opts.now !== undefined && { now: opts.now }),
    });
  }
  return EtcdStore.open({
    hosts: loc.hosts,
    prefix: loc.prefix,
    ...(opts.connectTimeoutMs !== undefined && { connectTimeoutMs: opts.connectTimeoutMs }),
    ...(opts.maxBacklog !== undefined && { maxBacklog: opts.maxBacklog }),
  });
}
