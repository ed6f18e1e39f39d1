/**
 * Encryption at rest as a `Store` wrapper (after kube-apiserver's `EncryptionConfiguration`
 * and its value transformers): values of keys under the configured prefixes — Secrets by
 * default — are written in the `k8s:enc:aesgcm:v1:` envelope, and every read, list and
 * watch event (kv and prevKv) comes back as plaintext. Revisions, compare-and-swap, leases,
 * compaction and errors are the backend's own: only values change form.
 *
 * It goes under the watch cache (`new WatchCache(new EncryptingStore(backend, ...))`), so
 * plaintext lives only in the gateway's memory and never in the SQLite file, its WAL or etcd.
 */
import { StatusError, StatusReason, resourcePrefix } from '../apimachinery/index.js';
import { EnvelopeCipher, ENCRYPTED_VALUE_MARK, type EncryptionKey } from './encryption-envelope.js';
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

/**
 * What is encrypted when no prefixes are given: every Secret, `/registry/core/secrets/`
 * (kube-apiserver's usual `resources: [secrets]`), as the registry lays its keys out.
 */
export const DEFAULT_ENCRYPTED_PREFIXES: readonly string[] = Object.freeze([resourcePrefix({ group: '', plural: 'secrets' })]);

/** Options of an `EncryptingStore` (and `openStore`'s `encryption`). */
export interface EncryptingStoreOptions {
  /** Ordered keys: the first encrypts new writes, all decrypt. At least one. */
  keys: readonly EncryptionKey[];
  /**
   * Values of keys starting with one of these are encrypted on write. Default
   * `DEFAULT_ENCRYPTED_PREFIXES`. An empty list encrypts nothing new but still decrypts what
   * is stored: the first step of turning encryption off.
   */
  prefixes?: readonly string[];
}

/** `EncryptingStoreOptions` checked, with the keys ready to use. */
export interface ResolvedEncryptingStoreOptions {
  cipher: EnvelopeCipher;
  prefixes: readonly string[];
}

/** Checks the options once; BadRequest for unusable keys or prefixes. */
export function resolveEncryptingStoreOptions(options: EncryptingStoreOptions): ResolvedEncryptingStoreOptions {
  const cipher = new EnvelopeCipher(options.keys);
  const prefixes = options.prefixes ?? DEFAULT_ENCRYPTED_PREFIXES;
  if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== 'string')) {
    throw new StatusError(StatusReason.BadRequest, 'invalid encryption prefixes: expected a list of key prefixes');
  }
  return { cipher, prefixes: Object.freeze([...prefixes]) };
}

/** A `Store` that encrypts the values of chosen key prefixes in the store below it. */
export class EncryptingStore implements Store {
  /** The store below, which holds the encrypted form. */
  readonly backend: Store;
  /** The prefixes whose values are encrypted on write. */
  readonly prefixes: readonly string[];
  private readonly cipher: EnvelopeCipher;

  /** Does no I/O; BadRequest for unusable keys or prefixes. */
  constructor(backend: Store, options: EncryptingStoreOptions) {
    const resolved = resolveEncryptingStoreOptions(options);
    this.cipher = resolved.cipher;
    this.prefixes = resolved.prefixes;
    this.backend = backend;
  }

  /** The id of the key new values are encrypted with. */
  get primaryKeyId(): string {
    return this.cipher.primaryKeyId;
  }

  /** Every configured key id, the primary first. */
  get keyIds(): string[] {
    return this.cipher.keyIds;
  }

  /** True when writes of `key` are encrypted. */
  encrypts(key: string): boolean {
    return this.prefixes.some((p) => key.startsWith(p));
  }

  /**
   * The form a write of `value` under `key` takes in the backend. A plaintext that itself
   * starts with the envelope mark is sealed wherever it goes, so no read mistakes it for one.
   */
  private toStored(key: string, value: string): string {
    return this.encrypts(key) || value.startsWith(ENCRYPTED_VALUE_MARK) ? this.cipher.seal(key, value) : value;
  }

  /** Plaintext of a value as the backend holds it; `DecryptionError` when it cannot be had. */
  decryptStored(key: string, stored: string): string {
    return this.cipher.open(key, stored);
  }

  /**
   * True when a value as the backend holds it is already in the form a write would give it
   * now: sealed with the primary key under an encrypted prefix, plaintext elsewhere.
   */
  isStoredCurrent(key: string, stored: string): boolean {
    if (this.encrypts(key)) return this.cipher.isSealedWithPrimary(stored);
    return !stored.startsWith(ENCRYPTED_VALUE_MARK);
  }

  private plain(kv: KV): KV {
    return kv.value.startsWith(ENCRYPTED_VALUE_MARK) ? { ...kv, value: this.cipher.open(kv.key, kv.value) } : kv;
  }

  private plainEvent(event: StoreEvent): StoreEvent {
    const kv = this.plain(event.kv);
    const prevKv = event.prevKv && this.plain(event.prevKv);
    if (kv === event.kv && prevKv === event.prevKv) return event;
    return prevKv ? { ...event, kv, prevKv } : { ...event, kv };
  }

  async get(key: string): Promise<KV | undefined> {
    const kv = await this.backend.get(key);
    return kv && this.plain(kv);
  }

  /** A value that cannot be decrypted fails the whole list (with the store key in the message). */
  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    const res = await this.backend.list(prefix, opts);
    return { ...res, items: res.items.map((kv) => this.plain(kv)) };
  }

  create(key: string, value: string, opts?: CreateOptions): Promise<number> {
    return this.backend.create(key, this.toStored(key, value), opts);
  }

  update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return this.backend.update(key, this.toStored(key, value), expectedModRevision);
  }

  /** Never reads the value, so a key whose value cannot be decrypted can still be deleted. */
  delete(key: string, expectedModRevision?: number): Promise<number> {
    return this.backend.delete(key, expectedModRevision);
  }

  /**
   * Events come decrypted. An event that cannot be decrypted ends the watch with its
   * `DecryptionError` (delivering it without its value, or skipping it, would leave the
   * watcher with a state that differs from the store's).
   */
  watch(prefix: string, afterRevision: number, onEvent: WatchHandler, onError: WatchErrorHandler): Unsubscribe {
    let ended = false;
    let inner: Unsubscribe | undefined;
    const end = (): void => {
      ended = true;
      inner?.();
    };
    inner = this.backend.watch(
      prefix,
      afterRevision,
      (event) => {
        if (ended) return undefined;
        let plain: StoreEvent;
        try {
          plain = this.plainEvent(event);
        } catch (err) {
          end();
          queueMicrotask(() => onError(err as Error));
          return undefined;
        }
        return onEvent(plain);
      },
      (err) => {
        if (ended) return;
        ended = true;
        onError(err);
      },
    );
    // A backend that delivered (and failed) synchronously inside `watch` ended before `inner` was known.
    if (ended) inner();
    return end;
  }

  currentRevision(): Promise<number> {
    return this.backend.currentRevision();
  }

  compact(revision: number): Promise<void> {
    return this.backend.compact(revision);
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    return this.backend.grantLease(ttlSeconds);
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
