/**
 * The storage migration step of key rotation (kube-apiserver's "rewrite all secrets":
 * `kubectl get secrets -A -o json | kubectl replace -f -`): every value under the given
 * prefixes is written again in the form the store writes now — sealed with the primary key
 * under an encrypted prefix, plaintext elsewhere. Each rewrite is a compare-and-swap on the
 * revision that was read, so a concurrent write is never lost; values already in the current
 * form are left alone, so running it twice rewrites nothing the second time.
 */
import { isConflict, isNotFound } from '../apimachinery/index.js';
import type { EncryptingStore } from './encrypting-store.js';
import { EnvelopeCipher } from './encryption-envelope.js';
import { compareKeys } from './key-range.js';

/** Keys listed per page while rewriting. */
export const DEFAULT_REWRITE_PAGE_SIZE = 500;
/** Compare-and-swap attempts per key before it is reported as failed. */
const MAX_ATTEMPTS = 5;

/** A value `reencryptAll` could not rewrite. */
export interface ReencryptFailure {
  key: string;
  message: string;
}

/** What `reencryptAll` did. Remove an old key only when `failed` is empty. */
export interface ReencryptResult {
  /** Values found under the prefixes. */
  scanned: number;
  /** Values written again in the current form. */
  rewritten: number;
  /** Values already in the current form, left alone. */
  current: number;
  /** Keys deleted by someone else before they could be rewritten. */
  vanished: number;
  /** Values that could not be decrypted, or kept changing under every attempt. */
  failed: ReencryptFailure[];
  /**
   * How the scanned values were stored before any rewrite: count per key id, `plaintext`
   * for values not encrypted, `unknown` for an encrypted form this store does not know.
   */
  byKey: Record<string, number>;
}

/** Options of `reencryptAll`. */
export interface ReencryptOptions {
  pageSize?: number;
  /**
   * Only look: count in `rewritten` the values a rewrite would change, and in `failed` those
   * that cannot be decrypted, without writing anything (the check before an old key is
   * removed).
   */
  dryRun?: boolean;
}

/** The prefixes without any that another one already covers. */
function outermost(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort(compareKeys);
  return sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(q)));
}

/**
 * Rewrites every value under `prefixes` (default: the store's encrypted prefixes) that is
 * not in the store's current form. Values that cannot be decrypted are reported in
 * `failed`, not thrown, so one bad value does not stop the rest.
 */
export async function reencryptAll(
  store: EncryptingStore,
  prefixes: readonly string[] = store.prefixes,
  options: ReencryptOptions = {},
): Promise<ReencryptResult> {
  const pageSize = Math.max(1, options.pageSize ?? DEFAULT_REWRITE_PAGE_SIZE);
  const result: ReencryptResult = { scanned: 0, rewritten: 0, current: 0, vanished: 0, failed: [], byKey: {} };
  for (const prefix of outermost(prefixes)) {
    let continueKey: string | undefined;
    do {
      // The backend's own list: the stored form tells what needs rewriting.
      const page = await store.backend.list(prefix, { limit: pageSize, continueKey });
      for (const kv of page.items) {
        result.scanned++;
        const form = EnvelopeCipher.formOf(kv.value);
        const by = form.encrypted ? (form.keyId ?? 'unknown') : 'plaintext';
        result.byKey[by] = (result.byKey[by] ?? 0) + 1;
        if (options.dryRun) checkOne(store, kv.key, kv.value, result);
        else await rewriteOne(store, kv.key, kv.value, kv.modRevision, result);
      }
      continueKey = page.nextKey;
    } while (continueKey !== undefined);
  }
  return result;
}

function checkOne(store: EncryptingStore, key: string, stored: string, result: ReencryptResult): void {
  if (store.isStoredCurrent(key, stored)) {
    result.current++;
    return;
  }
  try {
    store.decryptStored(key, stored);
    result.rewritten++;
  } catch (err) {
    result.failed.push({ key, message: err instanceof Error ? err.message : String(err) });
  }
}

async function rewriteOne(store: EncryptingStore, key: string, stored: string, modRevision: number, result: ReencryptResult): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (store.isStoredCurrent(key, stored)) {
      result.current++;
      return;
    }
    try {
      await store.update(key, store.decryptStored(key, stored), modRevision);
      result.rewritten++;
      return;
    } catch (err) {
      if (isNotFound(err)) {
        result.vanished++;
        return;
      }
      if (!isConflict(err) || attempt >= MAX_ATTEMPTS) {
        result.failed.push({ key, message: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
    // Written meanwhile: look again at what is stored now.
    const now = await store.backend.get(key);
    if (!now) {
      result.vanished++;
      return;
    }
    stored = now.value;
    modRevision = now.modRevision;
  }
}
