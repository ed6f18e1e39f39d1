/**
 * Who is asking and what they may do: the vocabulary shared by the authenticators and the
 * RBAC authorizer (auth/), the API server that calls them (gateway/) and the audit log.
 * Semantics follow Kubernetes (k8s.io/apiserver/pkg/authentication/user and
 * pkg/authorization/authorizer).
 */

/** An authenticated caller. */
export interface UserInfo {
  /** `alice`, `system:serviceaccount:shop:deployer`, `system:anonymous`. */
  username: string;
  uid?: string;
  /** Always includes `system:authenticated` for authenticated users (`system:unauthenticated` for anonymous). */
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Well-known users and groups. */
export const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** What an authenticator sees of a request. */
export interface AuthnRequest {
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The verified TLS client certificate's subject, when the client presented one the CA signed. */
  clientCertificate?: { commonName: string; organizations: string[]; serialNumber?: string; notAfter?: string };
  /**
   * Audiences a token must be meant for (one of them); the API server's own when absent.
   * A TokenReview passes its `spec.audiences` here.
   */
  audiences?: string[];
}

/**
 * The outcome of authentication: a user, or a reason the credentials were refused. A user
 * from an audience-bound token (service account JWT) carries the audiences it matched.
 */
export type AuthnResult = { user: UserInfo; audiences?: string[] } | { error: string } | null;

/** Finds the user of a request; `null` when the request carries no credentials of its kind. */
export interface Authenticator {
  authenticate(req: AuthnRequest): Promise<AuthnResult>;
}

/** The verbs of RBAC rules (HTTP methods map to them as in Kubernetes). */
export type AuthzVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'impersonate' | 'bind' | 'escalate' | string;

/** One request as the authorizer judges it (Kubernetes' authorizer.Attributes). */
export interface AuthzAttributes {
  user: UserInfo;
  verb: AuthzVerb;
  /** True for `/api/...` and `/apis/...` object paths; false for `/healthz`, `/version`, ... */
  resourceRequest: boolean;
  /** API group ('' for core). */
  apiGroup?: string;
  apiVersion?: string;
  /** Plural resource, e.g. `deployments`. */
  resource?: string;
  /** `status`, `log`, `scale`, ... */
  subresource?: string;
  /** Undefined for cluster-scoped resources and for lists across all namespaces. */
  namespace?: string;
  name?: string;
  /** URL path, for non-resource requests. */
  path?: string;
}

/** The authorizer's answer; `reason` says which binding allowed it or why nothing did. */
export interface AuthzDecision {
  allowed: boolean;
  reason: string;
  /** An explicit deny that no later authorizer may override (RBAC never sets it: it allows or has no opinion). */
  denied?: boolean;
}

/** Decides whether a request is allowed. */
export interface Authorizer {
  authorize(attrs: AuthzAttributes): AuthzDecision;
}

/** Who a refused request was, kept beside the error (never serialized into the response). */
const refusedUsers = new WeakMap<object, { user: UserInfo; impersonator?: UserInfo }>();

/**
 * Marks a refusal (a 403 thrown after authentication) with the user it refused and, for an
 * impersonated request, who asked: the audit log names them without authenticating again.
 */
export function markRefusedUser<E extends object>(err: E, user: UserInfo, impersonator?: UserInfo): E {
  refusedUsers.set(err, impersonator ? { user, impersonator } : { user });
  return err;
}

/** The user (and impersonator) `markRefusedUser` recorded on an error. */
export function refusedUserOf(err: unknown): { user: UserInfo; impersonator?: UserInfo } | undefined {
  return typeof err === 'object' && err !== null ? refusedUsers.get(err) : undefined;
}

/**
 * The verb of a request from its HTTP method alone (kube-apiserver's RequestInfoFactory):
 * GET/HEAD get, POST create, PUT update, PATCH patch, DELETE delete, anything else the
 * method in lower case. Collections (list, deletecollection) and watches refine it elsewhere.
 */
export function verbOfMethod(method: string): string {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}
