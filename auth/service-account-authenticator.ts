/**
 * Authenticates service account JWTs (service-account-tokens.ts), after Kubernetes'
 * pkg/serviceaccount/jwt.go and claims.go: a token of another issuer is not ours (the next
 * authenticator may take it); one of ours must carry a valid signature of one of the
 * verification keys, be within its `nbf`..`exp` window, be meant for one of the accepted
 * audiences, and name a ServiceAccount that still exists with the uid the token was issued
 * for (read through an informer, so deleting the account revokes its tokens as soon as the
 * delete event arrives).
 *
 * The user is `system:serviceaccount:NS:NAME` in the groups `system:serviceaccounts` and
 * `system:serviceaccounts:NS`, with the account's uid and the token's `jti` as credential id.
 */
import { KeyObject } from 'node:crypto';
import NodeCache from 'node-cache';
import {
  SERVICE_ACCOUNTS_GROUP,
  type AuthnRequest,
  type AuthnResult,
  type Authenticator,
  type ServiceAccount,
} from '../apimachinery/index.js';
import { systemClock, type Clock, type Informer } from '../controller/index.js';
import { bearerToken } from './bearer-token.js';
import { decodeJwt, verifyJwtSignature, type DecodedJwt } from './jwt.js';
import { serviceAccountUsername } from './rbac-authorizer.js';
import type { ServiceAccountKey } from './service-account-key.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER } from './service-account-tokens.js';
import { CREDENTIAL_ID_EXTRA, DEFAULT_TOKEN_CACHE_MAX_ENTRIES } from './token-authenticator.js';
import { hashToken } from './user-tokens.js';

/** Options of ServiceAccountTokenAuthenticator. */
export interface ServiceAccountTokenAuthenticatorOptions {
  /** The ServiceAccounts informer (`factory.informerFor('serviceaccounts')`); its owner starts it. */
  serviceAccounts: Informer<ServiceAccount>;
  /** Keys whose signatures are accepted (the current key, and older ones while their tokens live). */
  keys: readonly (ServiceAccountKey | KeyObject)[];
  issuer?: string;
  /** Audiences accepted when the request names none; the issuer by default. */
  audiences?: string[];
  /** Allowed clock difference for `nbf` and `exp`, seconds (0 by default). */
  leewaySeconds?: number;
  /** Most remembered signature checks (0: verify every time). */
  maxCachedSignatures?: number;
  clock?: Clock;
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  return undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Authenticates `Authorization: Bearer <service account JWT>`. */
export class ServiceAccountTokenAuthenticator implements Authenticator {
  private readonly keys: KeyObject[];
  private readonly issuer: string;
  private readonly audiences: string[];
  private readonly leeway: number;
  private readonly clock: Clock;
  private readonly serviceAccounts: Informer<ServiceAccount>;
  /**
   * Tokens (by SHA-256) whose signature verified, until their `exp`: the signature is the
   * expensive part (an ECDSA or RSA verification) and cannot change for a given token and
   * key set. Everything else — expiry, audience, the account and its uid — is checked on
   * every request, so deleting the account still revokes at once.
   */
  private readonly verified: NodeCache;

  constructor(options: ServiceAccountTokenAuthenticatorOptions) {
    this.keys = options.keys.map((k) => (k instanceof KeyObject ? k : k.publicKey));
    this.issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
    this.audiences = options.audiences && options.audiences.length > 0 ? [...options.audiences] : [this.issuer];
    this.leeway = options.leewaySeconds ?? 0;
    this.clock = options.clock ?? systemClock;
    this.serviceAccounts = options.serviceAccounts;
    this.verified = new NodeCache({ useClones: false, checkperiod: 60, maxKeys: options.maxCachedSignatures ?? DEFAULT_TOKEN_CACHE_MAX_ENTRIES });
  }

  /** Forgets remembered signature checks. */
  close(): void {
    this.verified.flushAll();
    this.verified.close();
  }

  /** True when the token's signature verifies with one of the keys (remembered until the token's exp). */
  private signatureValid(token: string, jwt: DecodedJwt): boolean {
    const key = hashToken(token).toString('hex');
    if (this.verified.get<true>(key)) return true;
    if (!verifyJwtSignature(jwt, this.keys)) return false;
    const exp = jwt.payload['exp'];
    const ttlSeconds = typeof exp === 'number' ? exp + this.leeway - this.clock.now() / 1000 : 0;
    if (ttlSeconds > 0) {
      try {
        this.verified.set(key, true, ttlSeconds);
      } catch {
        // ECACHEFULL: verify again next time.
      }
    }
    return true;
  }

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const token = bearerToken(req);
    if (token === undefined) return null;
    const jwt = decodeJwt(token);
    // Not a JWT, or another issuer's: not ours to judge.
    if (!jwt || jwt.payload['iss'] !== this.issuer) return null;
    if (!this.signatureValid(token, jwt)) return { error: 'service account token could not be validated: invalid signature' };

    const claims = jwt.payload;
    const now = this.clock.now() / 1000;
    const exp = claims['exp'];
    const nbf = claims['nbf'];
    if (typeof exp !== 'number') return { error: 'service account token has no expiry' };
    if (now >= exp + this.leeway) return { error: 'service account token has expired' };
    if (typeof nbf === 'number' && now + this.leeway < nbf) return { error: 'service account token is not valid yet' };

    const tokenAudiences = stringList(claims['aud']) ?? [];
    const wanted = req.audiences && req.audiences.length > 0 ? req.audiences : this.audiences;
    const matched = wanted.filter((a) => tokenAudiences.includes(a));
    if (matched.length === 0) {
      return { error: `token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(wanted)}` };
    }

    const k8s = obj(claims['kubernetes.io']);
    const namespace = str(k8s['namespace']);
    const account = obj(k8s['serviceaccount']);
    const name = str(account['name']);
    const uid = str(account['uid']);
    if (namespace === '' || name === '' || uid === '') return { error: 'service account token lacks its kubernetes.io claims' };
    const username = serviceAccountUsername(namespace, name);
    if (claims['sub'] !== username) return { error: 'service account token subject does not match its kubernetes.io claims' };

    if (!this.serviceAccounts.hasSynced()) return { error: 'service account tokens cannot be checked yet: the service account cache is not synced' };
    const sa = this.serviceAccounts.getByName(namespace, name);
    if (!sa) return { error: `service account ${namespace}/${name} has been deleted` };
    if (sa.metadata.uid !== uid) return { error: `service account UID (${sa.metadata.uid ?? ''}) does not match claim (${uid})` };
    if (sa.metadata.deletionTimestamp) return { error: `service account ${namespace}/${name} is being deleted` };

    const extra: Record<string, string[]> = {};
    const jti = str(claims['jti']);
    if (jti !== '') extra[CREDENTIAL_ID_EXTRA] = [`JTI=${jti}`];
    return {
      user: { username, uid, groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`], extra },
      audiences: matched,
    };
  }
}
