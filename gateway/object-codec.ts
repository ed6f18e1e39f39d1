/**
 * Stored values ⇄ API objects. The store holds JSON without `metadata.resourceVersion`;
 * on the way out every object gets the key's modRevision as its resourceVersion, so the
 * version a client sees is always the revision of the write that produced it.
 */
import { internalError, type KubeObject } from '../apimachinery/index.js';
import type { KV } from '../store/index.js';
import { withoutResourceVersion } from './object-strategy.js';

/** The API object of a stored key-value, stamped with its modRevision. */
export function decodeObject(kv: Pick<KV, 'key' | 'value' | 'modRevision'>): KubeObject {
  let obj: KubeObject;
  try {
    obj = JSON.parse(kv.value) as KubeObject;
  } catch (err) {
    throw internalError(`stored value of ${kv.key} is not JSON`, err);
  }
  if (typeof obj !== 'object' || obj === null || typeof obj.metadata !== 'object' || obj.metadata === null) {
    throw internalError(`stored value of ${kv.key} is not an object`);
  }
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The stored text of an object (its resourceVersion dropped). */
export function encodeObject(obj: KubeObject): string {
  return JSON.stringify(withoutResourceVersion(obj));
}

/** Parses a client-sent resourceVersion; undefined when absent or empty. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) return NaN;
  return Number(rv);
}
