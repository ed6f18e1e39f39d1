/**
 * store: the `Store` contract and its backends, chosen by URL (`sqlite:PATH`,
 * `etcd://HOST:PORT`), plus the watch cache that serves reads from memory.
 *
 * ```ts
 * import { openStore, WatchCache } from '../store/index.js';
 * const cache = new WatchCache(await openStore('sqlite:./data/fed.db'), { prefix: '/registry/' });
 * await cache.start();
 * const rev = await cache.create('/registry/core/configmaps/default/a', '{}');
 * const stop = cache.watch('/registry/', rev, (e) => console.log(e.type, e.kv.key), console.error);
 * ```
 *
 * Secrets at rest: `openStore(url, { encryption: { keys } })` wraps the backend in an
 * `EncryptingStore` (AES-256-GCM for values under `/registry/core/secrets/`); keys come from
 * `loadOrCreateEncryptionKeys(path)`, and `reencryptAll(store)` rewrites stored values after
 * a key rotation. See docs/security/secrets-at-rest.md.
 */
export type * from './types.js';
export { openStore, parseStoreUrl, type OpenStoreOptions, type StoreLocation } from './open-store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export type { SqliteSynchronous } from './sqlite-schema.js';
export { EtcdStore, type EtcdStoreOptions } from './etcd-store.js';
export { WatchCache, type WatchCacheOptions, DEFAULT_HISTORY_SIZE } from './watch-cache.js';
export { WatchFanout, WatchSubscription, watcherTooSlow, DEFAULT_MAX_BACKLOG } from './watch-fanout.js';
export type { OverflowPolicy, WatchSubscriptionOptions } from './watch-fanout.js';
export { compareKeys, prefixEnd } from './key-range.js';
export {
  EncryptingStore,
  DEFAULT_ENCRYPTED_PREFIXES,
  type EncryptingStoreOptions,
} from './encrypting-store.js';
export { AESGCM_V1_PREFIX, ENCRYPTED_VALUE_MARK, ENCRYPTION_KEY_BYTES, KEY_ID_PATTERN, type EncryptionKey } from './encryption-envelope.js';
export {
  KEY_FILE_MODE,
  formatEncryptionKeys,
  generateEncryptionKey,
  loadEncryptionKeys,
  loadOrCreateEncryptionKeys,
  parseEncryptionKeys,
  writeEncryptionKeys,
  type LoadedEncryptionKeys,
} from './encryption-keys.js';
export { reencryptAll, DEFAULT_REWRITE_PAGE_SIZE, type ReencryptFailure, type ReencryptOptions, type ReencryptResult } from './encryption-rewrite.js';
export { DecryptionError, isDecryptionError } from './store-errors.js';
