/**
 * Bearer tokens the gateway issues to people and scripts. A token is `<id>.<secret>`: the
 * id (12 × [a-z0-9]) names the Secret `user-token-<id>` of type `fedgate.io/user-token` in
 * `fedgate-system`; the secret (32 random bytes, base64url) is never stored — the Secret
 * holds the SHA-256 of the whole token, the user, the groups and the expiration. Revoking a
 * token is deleting its Secret. After kubeadm's bootstrap tokens (public id, secret part
 * compared in constant time), with a hash instead of the secret at rest.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  badRequest,
  isAlreadyExists,
  isNotFound,
  storeKey,
  SYSTEM_MASTERS,
  SYSTEM_NAMESPACE,
  type KubeObject,
} from '../apimachinery/index.js';
import type { Store } from '../store/index.js';
import { createStoredObject, ensureSystemNamespace, formatTimestamp, resourceOfKind } from './stored-objects.js';

/** Secret type of user tokens. */
export const USER_TOKEN_SECRET_TYPE = 'fedgate.io/user-token';
/** Name prefix of user-token Secrets: `user-token-<id>`. */
export const USER_TOKEN_SECRET_PREFIX = 'user-token-';
/** The token format, with the id and the secret as groups. */
export const USER_TOKEN_PATTERN = /^([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;
/** File of the admin token in an API server's data directory (a gateway's or a member's). */
export const ADMIN_TOKEN_FILE = 'admin.token';
/** User name of the admin token. */
export const ADMIN_USER = 'admin';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 12;

/** Options of `issueUserToken`. */
export interface IssueUserTokenOptions {
  /** The user name the token authenticates as. */
  user: string;
  /** Groups besides `system:authenticated` (which every authenticated user has). */
  groups?: string[];
  /** Lifetime in seconds; absent: the token never expires. */
  ttlSeconds?: number;
  description?: string;
  /** Issue time (expiration = now + ttl); the system clock by default. */
  now?: Date;
}

/** An issued token. `token` is shown once: only its hash is stored. */
export interface UserToken {
  id: string;
  token: string;
  user: string;
  groups: string[];
  expiration?: Date;
  /** Name of its Secret in `fedgate-system`. */
  secretName: string;
}

/** What a user-token Secret says about its token. */
export interface UserTokenRecord {
  id: string;
  /** SHA-256 of the whole token. */
  hash: Buffer;
  user: string;
  groups: string[];
  /** Milliseconds since the epoch; undefined: never expires. */
  expiresAt?: number;
}

/** Name of the Secret of token `id`. */
export function userTokenSecretName(id: string): string {
  return `${USER_TOKEN_SECRET_PREFIX}${id}`;
}

/** SHA-256 of a token, the form in which it is stored and cached. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The id of a token in user-token format, else undefined. */
export function userTokenId(token: string): string | undefined {
  return USER_TOKEN_PATTERN.exec(token)?.[1];
}

/** True when `token` hashes to `hash`, compared in constant time. */
export function tokenMatches(token: string, hash: Buffer): boolean {
  const computed = hashToken(token);
  return hash.length === computed.length && timingSafeEqual(hash, computed);
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function field(data: Record<string, unknown>, name: string): string | undefined {
  const v = data[name];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

/** Reads a user-token Secret; undefined when it is not one or is malformed (such a Secret authenticates nobody). */
export function parseUserTokenSecret(secret: Readonly<KubeObject>): UserTokenRecord | undefined {
  if (secret['type'] !== USER_TOKEN_SECRET_TYPE) return undefined;
  const data = secret['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  const id = field(d, 'token-id');
  const hashHex = field(d, 'token-hash');
  const user = field(d, 'user');
  if (!id || !hashHex || !/^[0-9a-f]{64}$/.test(hashHex) || !user) return undefined;
  if (secret.metadata.name !== userTokenSecretName(id)) return undefined;
  const groups = (field(d, 'groups') ?? '').split(',').filter((g) => g !== '');
  const record: UserTokenRecord = { id, hash: Buffer.from(hashHex, 'hex'), user, groups };
  const expiration = field(d, 'expiration');
  if (expiration !== undefined) {
    const at = Date.parse(expiration);
    // An unreadable expiration counts as already expired: the token must not live forever by accident.
    record.expiresAt = Number.isFinite(at) ? at : 0;
  }
  return record;
}

function checkOptions(o: IssueUserTokenOptions): void {
  if (typeof o.user !== 'string' || o.user.trim() === '') throw badRequest('a user token needs a user name');
  for (const g of o.groups ?? []) {
    if (typeof g !== 'string' || g === '' || g.includes(',')) throw badRequest(`invalid group ${JSON.stringify(g)}: group names are non-empty and contain no comma`);
  }
  if (o.ttlSeconds !== undefined && (!Number.isFinite(o.ttlSeconds) || o.ttlSeconds <= 0)) {
    throw badRequest(`token ttl must be a positive number of seconds, got ${o.ttlSeconds}`);
  }
}

function newId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** The Secret that records `token` (no server-owned metadata). */
export function userTokenSecret(t: Omit<UserToken, 'secretName'>, description?: string): KubeObject {
  const data: Record<string, string> = {
    'token-id': b64(t.id),
    'token-hash': b64(hashToken(t.token).toString('hex')),
    user: b64(t.user),
    groups: b64(t.groups.join(',')),
  };
  if (t.expiration) data['expiration'] = b64(formatTimestamp(t.expiration));
  if (description) data['description'] = b64(description);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: userTokenSecretName(t.id), namespace: SYSTEM_NAMESPACE },
    type: USER_TOKEN_SECRET_TYPE,
    data,
  };
}

/**
 * Issues a token for `user` in `groups`: a random id and secret (CSPRNG), its Secret
 * created in `fedgate-system` (and the namespace if missing). BadRequest for a missing user,
 * a group with a comma, or a ttl that is not a positive number.
 */
export async function issueUserToken(store: Store, options: IssueUserTokenOptions): Promise<UserToken> {
  checkOptions(options);
  const now = options.now ?? new Date();
  await ensureSystemNamespace(store, now);
  const groups = [...new Set(options.groups ?? [])];
  const expiration = options.ttlSeconds === undefined ? undefined : new Date(now.getTime() + options.ttlSeconds * 1000);
  for (let attempt = 0; ; attempt++) {
    const id = newId();
    const token = `${id}.${randomBytes(32).toString('base64url')}`;
    const t: UserToken = { id, token, user: options.user, groups, secretName: userTokenSecretName(id) };
    if (expiration) t.expiration = expiration;
    try {
      await createStoredObject(store, resourceOfKind('Secret'), userTokenSecret(t, options.description), now);
      return t;
    } catch (err) {
      // 36^12 ids: a collision is all but impossible, and just draws again.
      if (!isAlreadyExists(err) || attempt >= 5) throw err;
    }
  }
}

/** Revokes a token (given as the token or its id) by deleting its Secret; false when it did not exist. */
export async function revokeUserToken(store: Store, tokenOrId: string): Promise<boolean> {
  const id = userTokenId(tokenOrId) ?? tokenOrId;
  if (!/^[a-z0-9]{12}$/.test(id)) throw badRequest(`${JSON.stringify(tokenOrId)} is neither a user token nor a token id`);
  try {
    await store.delete(storeKey(resourceOfKind('Secret'), SYSTEM_NAMESPACE, userTokenSecretName(id)));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** True when `token` is a user token whose Secret is in the store, matches, and has not expired at `now`. */
export async function userTokenIsValid(store: Store, token: string, now: Date = new Date()): Promise<boolean> {
  const id = userTokenId(token);
  if (!id) return false;
  const kv = await store.get(storeKey(resourceOfKind('Secret'), SYSTEM_NAMESPACE, userTokenSecretName(id)));
  if (!kv) return false;
  let record: UserTokenRecord | undefined;
  try {
    record = parseUserTokenSecret(JSON.parse(kv.value) as KubeObject);
  } catch {
    return false;
  }
  if (!record || !tokenMatches(token, record.hash)) return false;
  return record.expiresAt === undefined || now.getTime() < record.expiresAt;
}

/** Writes `content` to `path` with mode 0600, atomically: readers see the old file or the whole new one. */
async function writePrivateFile(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    // The umask may have narrowed the mode further but never widens it; make it exact.
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * The admin's token (user `admin`, group `system:masters`, no expiry), kept in
 * `DATA/admin.token` (mode 0600). Created at first start; on later starts the file's token
 * is returned as long as the store still knows it, else (a new store, a revoked token) a new
 * one replaces it.
 */
export async function ensureAdminToken(store: Store, dataDir: string, now: Date = new Date()): Promise<string> {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  let existing: string | undefined;
  try {
    existing = (await readFile(path, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing && (await userTokenIsValid(store, existing, now))) {
    await chmod(path, 0o600);
    return existing;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const issued = await issueUserToken(store, { user: ADMIN_USER, groups: [SYSTEM_MASTERS], description: 'admin token of this API server (admin.token in its data directory)', now });
  await writePrivateFile(path, `${issued.token}\n`);
  return issued.token;
}
