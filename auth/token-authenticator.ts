/**
 * Authenticates the gateway's user tokens (user-tokens.ts) against the user-token Secrets
 * of `fedgate-system`, read through an informer: issuing a token is in effect when its
 * Secret's watch event arrives, revoking (deleting the Secret) likewise.
 *
 * Results are cached by the token's SHA-256 (never the token) in node-cache, positive and
 * negative alike. A positive entry never outlives the token's expiration; every entry of a
 * token id is dropped when that id's Secret is added, changed or deleted, so a revocation
 * is not hidden by the cache and a token used a moment before its Secret arrived is not
 * refused for long. Expiry is judged on the injected clock, so tests drive it by hand.
 */
import NodeCache from 'node-cache';
import { SYSTEM_NAMESPACE, type AuthnRequest, type AuthnResult, type Authenticator, type KubeObject, type UserInfo } from '../apimachinery/index.js';
import { Informer, systemClock, type Clock } from '../controller/index.js';
import type { Store } from '../store/index.js';
import { bearerToken } from './bearer-token.js';
import { resourceOfKind } from './stored-objects.js';
import { hashToken, parseUserTokenSecret, tokenMatches, USER_TOKEN_SECRET_PREFIX, userTokenId, userTokenSecretName } from './user-tokens.js';

/** How long a valid token's lookup is cached, ms (bounded further by the token's expiration). */
export const DEFAULT_TOKEN_CACHE_TTL_MS = 10_000;
/** How long a refused token's lookup is cached, ms. */
export const DEFAULT_NEGATIVE_TOKEN_CACHE_TTL_MS = 2_000;
/** Most cached lookups; past it lookups are simply not cached (random tokens cannot grow memory). */
export const DEFAULT_TOKEN_CACHE_MAX_ENTRIES = 10_000;
/** The one message every refused user token gets: it must not tell which part was wrong. */
export const USER_TOKEN_INVALID_MESSAGE = 'invalid bearer token: unknown, revoked or expired user token';
/** The `extra` key naming the credential a request used, as Kubernetes' audit log records it. */
export const CREDENTIAL_ID_EXTRA = 'authentication.kubernetes.io/credential-id';

/** Options of TokenAuthenticator. */
export interface TokenAuthenticatorOptions {
  clock?: Clock;
  cacheTtlMs?: number;
  negativeCacheTtlMs?: number;
  maxCacheEntries?: number;
}

type CacheEntry = { id: string; expiresAt: number } & ({ user: UserInfo } | { refused: true });

/** The informer of the Secrets user tokens live in (`fedgate-system` only, so other Secrets are never held). */
export function userTokenSecretInformer(store: Store, clock?: Clock): Informer<KubeObject> {
  return new Informer<KubeObject>(store, resourceOfKind('Secret'), clock ? { namespace: SYSTEM_NAMESPACE, clock } : { namespace: SYSTEM_NAMESPACE });
}

/** Authenticates `Authorization: Bearer <id>.<secret>` user tokens. */
export class TokenAuthenticator implements Authenticator {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly cache: NodeCache;
  private readonly removeHandler: () => void;

  /** Watches `secrets` (see `userTokenSecretInformer`) for user-token changes; the informer's owner starts it. */
  constructor(
    private readonly secrets: Informer<KubeObject>,
    options: TokenAuthenticatorOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_TOKEN_CACHE_TTL_MS;
    this.negativeTtlMs = options.negativeCacheTtlMs ?? DEFAULT_NEGATIVE_TOKEN_CACHE_TTL_MS;
    // useClones off: entries are never mutated; checkperiod sweeps what nobody asks for again.
    this.cache = new NodeCache({ useClones: false, checkperiod: 60, maxKeys: options.maxCacheEntries ?? DEFAULT_TOKEN_CACHE_MAX_ENTRIES });
    const changed = (obj: Readonly<KubeObject>): void => {
      const name = obj.metadata.name ?? '';
      if (name.startsWith(USER_TOKEN_SECRET_PREFIX)) this.forget(name.slice(USER_TOKEN_SECRET_PREFIX.length));
    };
    this.removeHandler = secrets.addEventHandler({ onAdd: changed, onUpdate: (_old, obj) => changed(obj), onDelete: changed });
  }

  /** Number of cached lookups (for tests and metrics). */
  cachedEntries(): number {
    return this.cache.keys().length;
  }

  /** Stops following Secret changes and empties the cache. */
  close(): void {
    this.removeHandler();
    this.cache.flushAll();
    this.cache.close();
  }

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const token = bearerToken(req);
    if (token === undefined) return null;
    const id = userTokenId(token);
    if (id === undefined) return null;
    if (!this.secrets.hasSynced()) return { error: 'user tokens cannot be checked yet: the token cache is not synced' };

    const key = hashToken(token).toString('hex');
    const now = this.clock.now();
    const cached = this.cache.get<CacheEntry>(key);
    if (cached && cached.expiresAt > now) return 'user' in cached ? { user: cached.user } : { error: USER_TOKEN_INVALID_MESSAGE };

    const secret = this.secrets.getByName(SYSTEM_NAMESPACE, userTokenSecretName(id));
    const record = secret ? parseUserTokenSecret(secret) : undefined;
    const valid = record !== undefined && tokenMatches(token, record.hash) && (record.expiresAt === undefined || now < record.expiresAt);
    if (!valid || !record) {
      this.remember(key, { id, refused: true, expiresAt: now + this.negativeTtlMs });
      return { error: USER_TOKEN_INVALID_MESSAGE };
    }
    const user: UserInfo = { username: record.user, groups: [...record.groups], extra: { [CREDENTIAL_ID_EXTRA]: [`token-id=${id}`] } };
    this.remember(key, { id, user, expiresAt: Math.min(now + this.ttlMs, record.expiresAt ?? Number.POSITIVE_INFINITY) });
    return { user };
  }

  private remember(key: string, entry: CacheEntry): void {
    const ttlMs = entry.expiresAt - this.clock.now();
    // node-cache reads 0 as "forever"; an entry that would live no time is not stored.
    if (!(ttlMs > 0)) return;
    try {
      this.cache.set(key, entry, ttlMs / 1000);
    } catch {
      // ECACHEFULL: serve this lookup uncached.
    }
  }

  /** Drops every cached lookup of token `id`. */
  private forget(id: string): void {
    for (const key of this.cache.keys()) {
      const entry = this.cache.get<CacheEntry>(key);
      if (entry?.id === id) this.cache.del(key);
    }
  }
}
