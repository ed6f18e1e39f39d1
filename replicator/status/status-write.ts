/**
 * Read–modify–write of one stored object's status with compare-and-swap, retried on
 * Conflict by re-reading. The replicator writes the store directly (beside the gateway, in
 * the same process), so the object's spec and generation are carried over untouched.
 */
import { conflict, isConflict, isNotFound, type KubeObject } from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';

/** Attempts before a contended write gives up with Conflict (the caller retries later). */
export const STATUS_WRITE_ATTEMPTS = 5;

/**
 * Applies `mutate` to a fresh copy of the object at `key` and writes it with CAS. `mutate`
 * returns false when nothing needs writing: then nothing is written, which is what keeps a
 * controller that watches its own writes from looping. Returns the new revision, or
 * undefined when the object is gone or nothing changed.
 */
export async function writeObjectStatus<T extends KubeObject>(store: Store, key: string, mutate: (obj: T) => boolean): Promise<number | undefined> {
  for (let attempt = 0; attempt < STATUS_WRITE_ATTEMPTS; attempt++) {
    const kv = await store.get(key);
    if (!kv) return undefined;
    const obj = JSON.parse(kv.value) as T;
    if (!mutate(obj)) return undefined;
    delete obj.metadata.resourceVersion; // the revision lives in the KV, never in the value
    try {
      return await store.update(key, JSON.stringify(obj), kv.modRevision);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (!isConflict(err)) throw err;
    }
  }
  throw conflict({ resource: key.split('/')[3] ?? 'objects', name: key.slice(key.lastIndexOf('/') + 1) }, `still contended after ${STATUS_WRITE_ATTEMPTS} attempts`);
}

/** Structural equality of JSON-shaped values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
