/**
 * Bootstrap tokens in Kubernetes' format and storage (after kubeadm's bootstrap tokens and
 * `k8s.io/cluster-bootstrap/token/api`): `<id>.<secret>` = `[a-z0-9]{6}.[a-z0-9]{16}`, kept
 * as a Secret `bootstrap-token-<id>` of type `bootstrap.kubernetes.io/token` in
 * `fedgate-system`. The id is public (it names the Secret); the secret part authenticates.
 *
 * fedgate tokens are single use: a join consumes its token by deleting the Secret with
 * compare-and-swap on the revision it read, so two joins racing with one token cannot both
 * win — the store lets exactly one delete succeed.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import {
  isAlreadyExists,
  isConflict,
  isNotFound,
  StatusError,
  StatusReason,
  storeKey,
  SYSTEM_NAMESPACE,
  type KubeObject,
} from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';
import { createStoredObject, ensureSystemNamespace, formatTimestamp, secretResource } from './stored-objects.js';

/** Secret type of bootstrap tokens. */
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
/** Name prefix of bootstrap-token Secrets: `bootstrap-token-<id>`. */
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
/** The token format, with the id and the secret as groups. */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
/** Message of every refusal that must not reveal which part was wrong. */
export const TOKEN_INVALID_MESSAGE = 'bootstrap token is invalid or has expired';
/** Message when another join consumed the token first. */
export const TOKEN_USED_MESSAGE = 'bootstrap token was already used';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A bootstrap token as created. */
export interface BootstrapToken {
  id: string;
  secret: string;
  /** `<id>.<secret>`: what the joining member presents. */
  token: string;
  expiration: Date;
  description?: string;
}

/** Options of `createToken`. */
export interface CreateTokenOptions {
  ttlSeconds: number;
  description?: string;
  /** Creation time (expiration = now + ttl); the system clock by default. */
  now?: Date;
}

/** What a successful `consumeToken` learned about the token. */
export interface ConsumedToken {
  id: string;
  description?: string;
}

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A fresh random token (CSPRNG, uniform over the alphabet) expiring `ttlSeconds` after `now`. */
export function generateToken(ttlSeconds: number, now: Date, description?: string): BootstrapToken {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`token ttl must be a positive number of seconds, got ${ttlSeconds}`);
  const id = randomString(6);
  const secret = randomString(16);
  const t: BootstrapToken = { id, secret, token: `${id}.${secret}`, expiration: new Date(now.getTime() + ttlSeconds * 1000) };
  if (description !== undefined) t.description = description;
  return t;
}

/** Name of the Secret that holds token `id`. */
export function bootstrapTokenSecretName(id: string): string {
  return `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`;
}

/** Store key of the Secret that holds token `id`. */
export function bootstrapTokenKey(id: string): string {
  return storeKey(secretResource, SYSTEM_NAMESPACE, bootstrapTokenSecretName(id));
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/**
 * The Secret of a token, as a client posts it (no server-owned metadata); the one shape
 * both `createToken` and `fedgate token create` (through the REST API) write.
 */
export function bootstrapTokenSecret(t: Pick<BootstrapToken, 'id' | 'secret' | 'expiration' | 'description'>): KubeObject {
  const data: Record<string, string> = {
    'token-id': b64(t.id),
    'token-secret': b64(t.secret),
    expiration: b64(formatTimestamp(t.expiration)),
    'usage-bootstrap-authentication': b64('true'),
  };
  if (t.description) data['description'] = b64(t.description);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapTokenSecretName(t.id), namespace: SYSTEM_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    data,
  };
}

/** Creates a token and its Secret (and the `fedgate-system` namespace if missing). */
export async function createToken(store: Store, options: CreateTokenOptions): Promise<BootstrapToken> {
  const now = options.now ?? new Date();
  await ensureSystemNamespace(store, now);
  // A 6-character id collides rarely (36^6 ids); a collision just draws again.
  for (let attempt = 0; ; attempt++) {
    const t = generateToken(options.ttlSeconds, now, options.description);
    try {
      await createStoredObject(store, secretResource, bootstrapTokenSecret(t), now);
      return t;
    } catch (err) {
      if (!isAlreadyExists(err) || attempt >= 5) throw err;
    }
  }
}

function refuse(message: string): StatusError {
  return new StatusError(StatusReason.Unauthorized, message);
}

function field(data: Record<string, unknown>, name: string): string | undefined {
  const v = data[name];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Lengths are public (the format fixes them); only the content is compared in constant time.
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A token that checked out, with where its Secret is and at which revision it was read. */
export interface VerifiedToken extends ConsumedToken {
  key: string;
  modRevision: number;
}

/**
 * Checks `token` without using it up: the id must name a bootstrap-token Secret whose
 * secret matches (constant-time), with authentication usage, not expired at `now`.
 * Unauthorized `bootstrap token is invalid or has expired` otherwise (one message whichever
 * part was wrong). An expired token's Secret is deleted on the way.
 */
export async function verifyToken(store: Store, token: string, now: Date): Promise<VerifiedToken> {
  const match = BOOTSTRAP_TOKEN_PATTERN.exec(token.trim());
  if (!match) throw refuse(`${TOKEN_INVALID_MESSAGE} (expected the format [a-z0-9]{6}.[a-z0-9]{16})`);
  const id = match[1] ?? '';
  const secret = match[2] ?? '';
  const key = bootstrapTokenKey(id);
  const kv = await store.get(key);
  if (!kv) throw refuse(TOKEN_INVALID_MESSAGE);
  let obj: KubeObject;
  try {
    obj = JSON.parse(kv.value) as KubeObject;
  } catch {
    throw refuse(TOKEN_INVALID_MESSAGE);
  }
  const data = (obj['data'] ?? {}) as Record<string, unknown>;
  const valid =
    obj['type'] === BOOTSTRAP_TOKEN_SECRET_TYPE &&
    field(data, 'token-id') === id &&
    sameSecret(field(data, 'token-secret') ?? '', secret) &&
    field(data, 'usage-bootstrap-authentication') === 'true';
  if (!valid) throw refuse(TOKEN_INVALID_MESSAGE);
  const expiration = Date.parse(field(data, 'expiration') ?? '');
  if (!Number.isFinite(expiration) || now.getTime() >= expiration) {
    // An expired token is useless to everyone: clean it up (whoever gets there first).
    await store.delete(key, kv.modRevision).catch(() => undefined);
    throw refuse(TOKEN_INVALID_MESSAGE);
  }
  const description = field(data, 'description');
  const out: VerifiedToken = { id, key, modRevision: kv.modRevision };
  if (description !== undefined) out.description = description;
  return out;
}

/**
 * Checks `token` (see `verifyToken`) and uses it up: its Secret is deleted at the revision
 * read, so of two racing joins exactly one wins; the other gets Unauthorized `bootstrap
 * token was already used`. A token consumed earlier no longer exists and reads as invalid.
 */
export async function consumeToken(store: Store, token: string, now: Date): Promise<ConsumedToken> {
  const verified = await verifyToken(store, token, now);
  try {
    await store.delete(verified.key, verified.modRevision);
  } catch (err) {
    if (isConflict(err) || isNotFound(err)) throw refuse(TOKEN_USED_MESSAGE);
    throw err;
  }
  return verified.description === undefined ? { id: verified.id } : { id: verified.id, description: verified.description };
}
