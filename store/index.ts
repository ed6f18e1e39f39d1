/**
 * store: the `Store` contract and its backends, chosen by URL (`sqlite:PATH`,
 * `etcd://HOST:PORT`), plus the watch cache that serves reads from memory.
 */
export type * from './types.js';
