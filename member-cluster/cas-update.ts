/**
 * Read–modify–write of one stored object with compare-and-swap, retried on Conflict by
 * re-reading (the optimistic concurrency every member component uses to write the store).
 */
import { conflict, deepCopy, isConflict, isNotFound, type KubeObject } from '../apimachinery/index.js';
import type { Store } from '../store/index.js';

/** Attempts before a contended write gives up with Conflict (the caller's queue retries later). */
export const CAS_ATTEMPTS = 5;

/**
 * Applies `mutate` to the object at `key` and writes it with CAS. `mutate` gets a mutable
 * copy and returns the object to write, or undefined when nothing needs writing (then nothing
 * is written). `cached` (with its resourceVersion) saves the first read. Returns the object
 * written, or undefined when the key is gone or nothing changed.
 */
export async function casUpdate<T extends KubeObject>(
  store: Store,
  key: string,
  mutate: (obj: T) => T | undefined,
  cached?: Readonly<T>,
): Promise<T | undefined> {
  let current: { obj: T; rev: number } | undefined =
    cached?.metadata.resourceVersion !== undefined ? { obj: deepCopy(cached) as T, rev: Number(cached.metadata.resourceVersion) } : undefined;
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    if (!current) {
      const kv = await store.get(key);
      if (!kv) return undefined;
      current = { obj: JSON.parse(kv.value) as T, rev: kv.modRevision };
    }
    const next = mutate(current.obj);
    if (!next) return undefined;
    // The resourceVersion is the KV's revision, never part of the stored value.
    delete next.metadata.resourceVersion;
    try {
      const rev = await store.update(key, JSON.stringify(next), current.rev);
      next.metadata.resourceVersion = String(rev);
      return next;
    } catch (err) {
      if (isNotFound(err)) return undefined; // deleted since the read
      if (!isConflict(err)) throw err;
      current = undefined;
    }
  }
  throw conflict({ resource: key.split('/')[3] ?? 'objects', name: key.slice(key.lastIndexOf('/') + 1) }, `still contended after ${CAS_ATTEMPTS} attempts`);
}
