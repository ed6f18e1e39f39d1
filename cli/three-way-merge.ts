/**
 * The patch `fedgate apply` sends to update an object (pure): a JSON merge patch (RFC 7386)
 * computed three ways, after kubectl's `CreateThreeWayJSONMergePatch`
 * (k8s.io/apimachinery/pkg/util/jsonmergepatch):
 *
 * - from the last applied configuration to the new manifest: fields the manifest dropped
 *   become `null` (deleted);
 * - from the live object to the new manifest: fields the manifest sets to something else
 *   are set; fields only the live object has (defaults, other writers) are left alone.
 *
 * An empty patch means the object already says what the manifest says: nothing to send.
 */

/** The annotation holding the last applied manifest; kubectl's, so both tools see the same history. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** `null` for every field of `original` that `modified` no longer has (recursively through maps). */
function deletions(original: Json, modified: Json): Json {
  const out: Json = {};
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) out[key] = null;
    else if (isMap(original[key]) && isMap(modified[key])) {
      const inner = deletions(original[key], modified[key]);
      if (Object.keys(inner).length > 0) out[key] = inner;
    }
  }
  return out;
}

/** The fields of `modified` that `current` lacks or has differently; fields only `current` has are ignored. */
function additions(current: Json, modified: Json): Json {
  const out: Json = {};
  for (const key of Object.keys(modified)) {
    const want = modified[key];
    if (!Object.hasOwn(current, key)) out[key] = want;
    else if (isMap(current[key]) && isMap(want)) {
      const inner = additions(current[key], want);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (!jsonEqual(current[key], want)) out[key] = want;
  }
  return out;
}

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const key of Object.keys(b)) out[key] = isMap(out[key]) && isMap(b[key]) ? merge(out[key], b[key]) : b[key];
  return out;
}

/**
 * The merge patch taking `current` to what `modified` says, deleting what `original` (the
 * last applied manifest, if any) had and `modified` dropped. `{}` when nothing changes.
 */
export function threeWayMergePatch(original: Json | undefined, modified: Json, current: Json): Json {
  return merge(original ? deletions(original, modified) : {}, additions(current, modified));
}

/** A copy with every object's keys in sorted order (what Go's encoding/json does with maps). */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isMap(v)) return v;
  const out: Json = {};
  for (const key of Object.keys(v).sort()) out[key] = sortedKeys(v[key]);
  return out;
}

/**
 * The annotation's text exactly as kubectl writes it (Go's encoding/json of the manifest:
 * keys sorted, `metadata.annotations` always present, HTML characters escaped, a final
 * newline), so an unchanged manifest reads as unchanged whichever tool applied it last.
 */
export function lastAppliedText(manifest: Json): string {
  const json = JSON.stringify(sortedKeys(manifest)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${json}\n`;
}

/** The manifest with the last-applied annotation set to the manifest itself (without that annotation). */
export function withLastApplied<T extends object>(manifest: T): T {
  const copy = structuredClone(manifest) as Json;
  const metadata = isMap(copy['metadata']) ? copy['metadata'] : {};
  const annotations: Json = { ...(isMap(metadata['annotations']) ? metadata['annotations'] : {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const bare = { ...copy, metadata: { ...metadata, annotations } };
  copy['metadata'] = { ...metadata, annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: lastAppliedText(bare) } };
  return copy as T;
}

/** The last applied manifest recorded on a live object, when there is a readable one. */
export function lastAppliedOf(live: object): Json | undefined {
  const annotations = (live as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations;
  const text = annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || !text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isMap(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
