/**
 * The encrypted form of a stored value, after kube-apiserver's `aesgcm` provider
 * (k8s.io/apiserver `pkg/storage/value/encrypt/aes`, `EncryptionConfiguration`):
 *
 *   k8s:enc:aesgcm:v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>
 *
 * AES-256-GCM with a fresh random 12-byte nonce per write and a 16-byte tag. The store key is
 * the additional authenticated data, so a value copied under another key fails to decrypt.
 * Store values are strings (SQLite TEXT, UTF-8 in etcd), hence base64 where Kubernetes writes
 * raw bytes; the layout is otherwise the same. Pure: no I/O, the keys come in.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { StatusError, StatusReason } from '../apimachinery/index.js';
import { DecryptionError } from './store-errors.js';

/** Every encrypted value starts with this; no plaintext fedgate writes (JSON) can. */
export const ENCRYPTED_VALUE_MARK = 'k8s:enc:';
/** The header of values this module writes, followed by `<key id>:`. */
export const AESGCM_V1_PREFIX = 'k8s:enc:aesgcm:v1:';
/** Bytes of an encryption key (AES-256). */
export const ENCRYPTION_KEY_BYTES = 32;
/** Bytes of the random nonce in front of each ciphertext. */
export const NONCE_BYTES = 12;
/** Bytes of the GCM authentication tag after each ciphertext. */
export const TAG_BYTES = 16;
/** What a key id may look like: it is written into every value, so no `:` and nothing odd. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Nonces drawn per call to the random source: one call per ~340 writes instead of one per write. */
const NONCE_POOL_BYTES = 4096 - (4096 % NONCE_BYTES);
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

/** A fresh random nonce. Each pool is a new buffer filled by the CSPRNG; no byte is handed out twice. */
function nextNonce(): Buffer {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomFillSync(Buffer.allocUnsafe(NONCE_POOL_BYTES));
    nonceOffset = 0;
  }
  const nonce = noncePool.subarray(nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

function notBase64(storeKey: string, keyId: string): DecryptionError {
  return new DecryptionError(storeKey, keyId, 'malformed encrypted value: the payload is not base64');
}

/** One AES-256 key and the id that names it in the values it encrypted. */
export interface EncryptionKey {
  /** Written into each value's header; matches `KEY_ID_PATTERN`. */
  readonly id: string;
  /** 32 random bytes. */
  readonly secret: Buffer;
}

/** BadRequest for keys that cannot be used; `where` names their source (a file, an option). */
export function checkEncryptionKeys(keys: readonly EncryptionKey[], where = 'encryption keys'): void {
  const bad = (why: string): StatusError => new StatusError(StatusReason.BadRequest, `invalid ${where}: ${why}`);
  if (!Array.isArray(keys) || keys.length === 0) throw bad('at least one key is required');
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    if (typeof k?.id !== 'string' || !KEY_ID_PATTERN.test(k.id)) {
      throw bad(`keys[${i}].id ${JSON.stringify(k?.id)} must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    }
    if (seen.has(k.id)) throw bad(`key id "${k.id}" appears twice`);
    seen.add(k.id);
    if (!Buffer.isBuffer(k.secret) || k.secret.length !== ENCRYPTION_KEY_BYTES) {
      const got = Buffer.isBuffer(k.secret) ? `${k.secret.length} bytes` : typeof k.secret;
      throw bad(`key "${k.id}" must be ${ENCRYPTION_KEY_BYTES} bytes (got ${got})`);
    }
  });
}

/** What the envelope says about a stored value without decrypting it. */
export type StoredForm =
  | { encrypted: false }
  | { encrypted: true; keyId: string | undefined };

/** Seals and opens values with an ordered key list: the first key seals, every key opens. */
export class EnvelopeCipher {
  private readonly primary: EncryptionKey;
  private readonly byId: ReadonlyMap<string, EncryptionKey>;

  /** BadRequest for an empty list, a malformed id, a duplicate id or a key of the wrong size. */
  constructor(keys: readonly EncryptionKey[]) {
    checkEncryptionKeys(keys);
    // Copies: the caller's buffers may be zeroed or reused without affecting this cipher.
    const own = keys.map((k) => ({ id: k.id, secret: Buffer.from(k.secret) }));
    this.primary = own[0]!;
    this.byId = new Map(own.map((k) => [k.id, k]));
  }

  /** The id of the key new values are sealed with. */
  get primaryKeyId(): string {
    return this.primary.id;
  }

  /** Every key id, the primary first. */
  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  /** The encrypted form of `plaintext` stored under `storeKey`. */
  seal(storeKey: string, plaintext: string): string {
    const nonce = nextNonce();
    const cipher = createCipheriv('aes-256-gcm', this.primary.secret, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(storeKey, 'utf8'));
    const body = Buffer.concat([nonce, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${AESGCM_V1_PREFIX}${this.primary.id}:${body.toString('base64')}`;
  }

  /** Whether a stored value is encrypted, and with which key id (undefined when unreadable). */
  static formOf(stored: string): StoredForm {
    if (!stored.startsWith(ENCRYPTED_VALUE_MARK)) return { encrypted: false };
    if (!stored.startsWith(AESGCM_V1_PREFIX)) return { encrypted: true, keyId: undefined };
    const end = stored.indexOf(':', AESGCM_V1_PREFIX.length);
    return { encrypted: true, keyId: end > AESGCM_V1_PREFIX.length ? stored.slice(AESGCM_V1_PREFIX.length, end) : undefined };
  }

  /** True when `stored` is sealed with the primary key (a rewrite would change nothing but the nonce). */
  isSealedWithPrimary(stored: string): boolean {
    const form = EnvelopeCipher.formOf(stored);
    return form.encrypted && form.keyId === this.primary.id;
  }

  /**
   * The plaintext of a value read from `storeKey`. A value without the mark was written
   * before encryption was turned on and is returned as it is; anything marked either
   * decrypts and authenticates or throws a `DecryptionError` — never the ciphertext.
   */
  open(storeKey: string, stored: string): string {
    if (!stored.startsWith(ENCRYPTED_VALUE_MARK)) return stored;
    if (!stored.startsWith(AESGCM_V1_PREFIX)) {
      const provider = stored.slice(ENCRYPTED_VALUE_MARK.length).split(':', 1)[0];
      throw new DecryptionError(storeKey, undefined, `unsupported encryption format "${ENCRYPTED_VALUE_MARK}${provider}" (only aesgcm v1 is known)`);
    }
    const end = stored.indexOf(':', AESGCM_V1_PREFIX.length);
    if (end <= AESGCM_V1_PREFIX.length) throw new DecryptionError(storeKey, undefined, 'malformed encrypted value: no key id');
    const keyId = stored.slice(AESGCM_V1_PREFIX.length, end);
    const key = this.byId.get(keyId);
    if (!key) {
      throw new DecryptionError(
        storeKey,
        keyId,
        `no such encryption key is configured (configured: ${this.keyIds.map((id) => `"${id}"`).join(', ')})`,
      );
    }
    const payload = stored.slice(end + 1);
    const body = Buffer.from(payload, 'base64');
    if (body.length < NONCE_BYTES + TAG_BYTES) {
      if (!BASE64.test(payload)) throw notBase64(storeKey, keyId);
      throw new DecryptionError(storeKey, keyId, `malformed encrypted value: ${body.length} bytes is shorter than nonce and tag`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.secret, body.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(storeKey, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // Checked only now, off the hot path: base64 decoding skips bad characters, and GCM
      // would reject the result anyway; this just says so more precisely.
      if (!BASE64.test(payload)) throw notBase64(storeKey, keyId);
      throw new DecryptionError(
        storeKey,
        keyId,
        'authentication failed: the value was altered, was copied from another store key, or the key material under this id changed',
      );
    }
  }
}
