/**
 * Key ranges: a prefix is the half-open range [prefix, prefixEnd(prefix)) in the byte order
 * both backends use (SQLite's BINARY collation and etcd compare UTF-8 bytes; UTF-8 byte
 * order equals Unicode code point order).
 */

/** Largest Unicode code point; a prefix ending in it cannot be incremented in place. */
const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest key greater than every key starting with `prefix` (after etcd's
 * `GetPrefixRangeEnd`), or undefined when there is none (the empty prefix: every key).
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < MAX_CODE_POINT) {
      let next = last + 1;
      // Surrogate code points cannot stand alone in a string; skip past them.
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** Compares keys by code point (UTF-8 byte order), as the backends sort them. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      // UTF-16 units order code points correctly except surrogates (U+10000 and above),
      // which must sort after U+E000..U+FFFF.
      const sa = ca >= 0xd800 && ca <= 0xdfff;
      const sb = cb >= 0xd800 && cb <= 0xdfff;
      if (sa !== sb) return sa ? 1 : -1;
      return ca - cb;
    }
  }
  return a.length - b.length;
}
