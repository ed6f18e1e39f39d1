/**
 * Service account tokens: JWTs shaped like Kubernetes' bound service account tokens
 * (pkg/serviceaccount/claims.go) — `iss`, `sub` = `system:serviceaccount:NS:NAME`, `aud`,
 * `exp`, `iat`, `nbf`, `jti`, and `kubernetes.io: {namespace, serviceaccount: {name, uid}}`
 * — signed with the gateway's service account key. What `POST
 * /api/v1/namespaces/NS/serviceaccounts/NAME/token` (a TokenRequest, `kubectl create
 * token`) answers with.
 */
import { randomUUID } from 'node:crypto';
import {
  AUTHENTICATION_GROUP,
  badRequest,
  invalid,
  validateObject,
  type ResourceInfo,
  type ServiceAccount,
  type TokenRequest,
} from '../apimachinery/index.js';
import { signJwt } from './jwt.js';
import { serviceAccountUsername } from './rbac-authorizer.js';
import type { ServiceAccountKey } from './service-account-key.js';
import { formatTimestamp } from './stored-objects.js';

/** The issuer (and default audience) of service account tokens. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://fedgate.default.svc';
/** Lifetime of a token when the request names none (Kubernetes' default: one hour). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** The `kubernetes.io` claim of a service account token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: { name: string; uid: string };
}

/** The claims of a service account token. */
export interface ServiceAccountTokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

/** Options of `issueServiceAccountToken`. */
export interface ServiceAccountTokenOptions {
  key: ServiceAccountKey;
  issuer?: string;
  /** Who the token is for; the issuer when absent. */
  audiences?: string[];
  expirationSeconds?: number;
  /** Issue time; the system clock by default. */
  now?: Date;
}

/** What a TokenRequest's status carries. */
export interface IssuedServiceAccountToken {
  token: string;
  expirationTimestamp: string;
}

/**
 * A signed token for `serviceAccount` (which must have a namespace, name and uid: the uid
 * ties the token to this object, so a re-created account of the same name does not inherit
 * it). BadRequest when one is missing or the lifetime is not a positive whole number.
 */
export function issueServiceAccountToken(serviceAccount: Pick<ServiceAccount, 'metadata'>, options: ServiceAccountTokenOptions): IssuedServiceAccountToken {
  const { namespace, name, uid } = serviceAccount.metadata;
  if (!namespace || !name || !uid) throw badRequest('a service account token needs the account’s namespace, name and uid');
  const seconds = options.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  if (!Number.isInteger(seconds) || seconds <= 0) throw badRequest(`token lifetime must be a positive whole number of seconds, got ${seconds}`);
  const issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const exp = now + seconds;
  const claims: ServiceAccountTokenClaims = {
    iss: issuer,
    sub: serviceAccountUsername(namespace, name),
    aud: options.audiences && options.audiences.length > 0 ? [...options.audiences] : [issuer],
    exp,
    iat: now,
    nbf: now,
    jti: randomUUID(),
    'kubernetes.io': { namespace, serviceaccount: { name, uid } },
  };
  const token = signJwt(claims as unknown as Record<string, unknown>, options.key.privateKey, options.key.keyId);
  return { token, expirationTimestamp: formatTimestamp(new Date(exp * 1000)) };
}

/** The TokenRequest kind, to validate request bodies (a subresource body: answered, never stored). */
export const tokenRequestResource: ResourceInfo = {
  group: AUTHENTICATION_GROUP,
  version: 'v1',
  kind: 'TokenRequest',
  listKind: 'TokenRequestList',
  plural: 'tokenrequests',
  singular: 'tokenrequest',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  generationFields: [],
  verbs: ['create'],
  createOnly: true,
};

/** Options of `serviceAccountTokenRequest`. */
export interface TokenRequestOptions {
  key: ServiceAccountKey;
  issuer?: string;
  /** Audiences of a request that names none: the API server's (the issuer by default). */
  apiAudiences?: string[];
  now?: Date;
}

/**
 * Answers a TokenRequest for `serviceAccount`: validates the body (Invalid with field
 * causes, e.g. a lifetime under 10 minutes; `boundObjectRef` is not supported), issues the
 * token and returns the request with `status.token` and `status.expirationTimestamp`.
 */
export function serviceAccountTokenRequest(serviceAccount: Pick<ServiceAccount, 'metadata'>, body: unknown, options: TokenRequestOptions): TokenRequest {
  const causes = validateObject(tokenRequestResource, body);
  const req = body as TokenRequest;
  const spec = (typeof req?.spec === 'object' && req.spec !== null ? req.spec : {}) as TokenRequest['spec'];
  if (spec.boundObjectRef !== undefined && spec.boundObjectRef !== null) {
    causes.push({ reason: 'FieldValueNotSupported', field: 'spec.boundObjectRef', message: 'Unsupported value: tokens cannot be bound to objects here' });
  }
  if (causes.length > 0) throw invalid('TokenRequest', serviceAccount.metadata.name, causes, AUTHENTICATION_GROUP);
  const issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
  const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : (options.apiAudiences ?? [issuer]);
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  const issued = issueServiceAccountToken(serviceAccount, { key: options.key, issuer, audiences, expirationSeconds, ...(options.now ? { now: options.now } : {}) });
  const now = options.now ?? new Date();
  return {
    apiVersion: `${AUTHENTICATION_GROUP}/v1`,
    kind: 'TokenRequest',
    metadata: { name: serviceAccount.metadata.name ?? '', namespace: serviceAccount.metadata.namespace ?? '', creationTimestamp: formatTimestamp(now) },
    spec: { audiences: [...audiences], expirationSeconds, boundObjectRef: null },
    status: issued,
  };
}
