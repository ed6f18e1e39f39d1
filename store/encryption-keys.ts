/**
 * The encryption key file: YAML (JSON is YAML too) with an ordered list of AES-256 keys.
 *
 * ```yaml
 * keys:
 *   - id: key-20250601-3fa2c1d0     # written into every value it encrypts
 *     secret: 9q0l...base64...=     # 32 random bytes
 *   - id: key-20240601-77b0e912     # older keys only decrypt
 *     secret: ...
 * ```
 *
 * The first key encrypts new writes; every key decrypts. The file is created with mode 0600
 * (`loadOrCreateEncryptionKeys`) and replaced atomically (`writeEncryptionKeys`).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { StatusError, StatusReason } from '../apimachinery/index.js';
import { ENCRYPTION_KEY_BYTES, checkEncryptionKeys, type EncryptionKey } from './encryption-envelope.js';

/** Mode of a key file this module writes: owner read/write only. */
export const KEY_FILE_MODE = 0o600;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const HEADER = `# fedgate encryption keys for values at rest (Secrets): docs/security/secrets-at-rest.md
# The first key encrypts new writes; every key listed decrypts. Keep this file mode 0600 and
# backed up apart from the data: without it the encrypted values cannot be read.
`;

/** The YAML library, loaded on first use: importing the store should not pay for it. */
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlModule;
}

/** A key file as loaded. */
export interface LoadedEncryptionKeys {
  /** Absolute path of the file. */
  path: string;
  /** The keys, in file order: the first encrypts. */
  keys: EncryptionKey[];
  /** True when `loadOrCreateEncryptionKeys` just created the file. */
  created: boolean;
  /** Problems worth logging that do not stop loading (a file readable by others). */
  warnings: string[];
}

function invalidFile(file: string, why: string): StatusError {
  return new StatusError(StatusReason.BadRequest, `invalid encryption key file ${file}: ${why}`);
}

/** A fresh random key; the id defaults to `key-<YYYYMMDD>-<8 hex>`. */
export function generateEncryptionKey(id?: string, now: Date = new Date()): EncryptionKey {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const key = { id: id ?? `key-${day}-${randomBytes(4).toString('hex')}`, secret: randomBytes(ENCRYPTION_KEY_BYTES) };
  checkEncryptionKeys([key], 'generated key');
  return key;
}

/** Parses key file text; `source` names it in errors. BadRequest for anything malformed. */
export function parseEncryptionKeys(text: string, source: string): EncryptionKey[] {
  const doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw invalidFile(source, `not YAML or JSON: ${doc.errors[0]!.message}`);
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalidFile(source, 'expected a mapping with "keys"');
  const unknownFields = Object.keys(data).filter((f) => f !== 'keys');
  if (unknownFields.length > 0) throw invalidFile(source, `unknown field "${unknownFields[0]}" (only "keys")`);
  const list = (data as { keys?: unknown }).keys;
  if (!Array.isArray(list) || list.length === 0) throw invalidFile(source, '"keys" must be a non-empty list');
  const keys = list.map((entry: unknown, i): EncryptionKey => {
    const where = `keys[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw invalidFile(source, `${where} must be a mapping with id and secret`);
    const extra = Object.keys(entry).filter((f) => f !== 'id' && f !== 'secret');
    if (extra.length > 0) throw invalidFile(source, `${where} has unknown field "${extra[0]}" (only id and secret)`);
    const { id, secret } = entry as { id?: unknown; secret?: unknown };
    if (typeof id !== 'string') throw invalidFile(source, `${where}.id must be a string`);
    if (typeof secret !== 'string' || !BASE64.test(secret.trim())) {
      throw invalidFile(source, `${where}.secret (key "${id}") must be base64 of ${ENCRYPTION_KEY_BYTES} bytes`);
    }
    const bytes = Buffer.from(secret.trim(), 'base64');
    if (bytes.length !== ENCRYPTION_KEY_BYTES) {
      throw invalidFile(source, `${where}.secret (key "${id}") is ${bytes.length} bytes; it must be ${ENCRYPTION_KEY_BYTES}`);
    }
    return { id, secret: bytes };
  });
  checkEncryptionKeys(keys, `encryption key file ${source}`);
  return keys;
}

/** The file text for `keys` (YAML with an explanatory header). */
export function formatEncryptionKeys(keys: readonly EncryptionKey[]): string {
  checkEncryptionKeys(keys);
  return HEADER + yaml().stringify({ keys: keys.map((k) => ({ id: k.id, secret: k.secret.toString('base64') })) });
}

function ioError(what: string, file: string, err: unknown): StatusError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : (err as Error).message;
  return new StatusError(StatusReason.InternalError, `cannot ${what} encryption key file ${file}: ${why}`, {}, { cause: err });
}

function modeWarnings(file: string, mode: number): string[] {
  if ((mode & 0o077) === 0) return [];
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return [`encryption key file ${file} is accessible to group or others (mode ${octal}); chmod 600 it`];
}

/** Loads an existing key file; InternalError when unreadable, BadRequest when malformed. */
export function loadEncryptionKeys(file: string): LoadedEncryptionKeys {
  const abs = path.resolve(file);
  let text: string;
  let mode: number;
  try {
    text = fs.readFileSync(abs, 'utf8');
    mode = fs.statSync(abs).mode;
  } catch (err) {
    throw ioError('read', abs, err);
  }
  return { path: abs, keys: parseEncryptionKeys(text, abs), created: false, warnings: modeWarnings(abs, mode) };
}

/** Writes `text` to a new 0600 file beside `abs`; returns its path. */
function writeTemp(abs: string, text: string): string {
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', KEY_FILE_MODE);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return tmp;
}

/** Makes a new directory entry durable (best effort: not every filesystem allows it). */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // The entry is still there; only its durability across a power loss is unproven.
  }
}

/**
 * Loads the key file, creating it with one fresh key (mode 0600, parent directories 0700)
 * when it does not exist. Two processes starting at once end up with the same file: the
 * file appears complete or not at all, and the one that loses the race loads the winner's.
 */
export function loadOrCreateEncryptionKeys(file: string): LoadedEncryptionKeys {
  const abs = path.resolve(file);
  if (fs.existsSync(abs)) return loadEncryptionKeys(abs);
  const keys = [generateEncryptionKey()];
  let tmp: string | undefined;
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
    tmp = writeTemp(abs, formatEncryptionKeys(keys));
    // link() fails when the name exists: an existing key file is never overwritten.
    fs.linkSync(tmp, abs);
    syncDir(path.dirname(abs));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadEncryptionKeys(abs);
    throw ioError('create', abs, err);
  } finally {
    if (tmp) fs.rmSync(tmp, { force: true });
  }
  return { path: abs, keys, created: true, warnings: [] };
}

/**
 * Replaces the key file with `keys` (mode 0600) atomically: readers see the old file or the
 * new one. Used to add a key in front (rotation) or drop an old one after `reencryptAll`.
 */
export function writeEncryptionKeys(file: string, keys: readonly EncryptionKey[]): void {
  const abs = path.resolve(file);
  const text = formatEncryptionKeys(keys);
  let tmp: string | undefined;
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
    tmp = writeTemp(abs, text);
    fs.renameSync(tmp, abs);
    tmp = undefined;
    syncDir(path.dirname(abs));
  } catch (err) {
    throw ioError('write', abs, err);
  } finally {
    if (tmp) fs.rmSync(tmp, { force: true });
  }
}
