/**
 * Tries authenticators in order, after kube-apiserver's authenticator chain (union, the
 * `system:authenticated` group adder, anonymous with fail-on-error):
 *
 * - the first that recognizes a user wins, and the user gets `system:authenticated`;
 * - when none does but some refused the credentials (an expired token, a bad signature),
 *   the result is that error: a 401, never a fall back to anonymous;
 * - a bearer token no authenticator recognizes is an error too (`invalid bearer token`);
 * - a request without credentials is `system:anonymous` in `system:unauthenticated`, which
 *   the API server answers with 401 except on the health paths (see `allowsAnonymous`).
 */
import {
  ANONYMOUS_USER,
  SYSTEM_AUTHENTICATED,
  SYSTEM_UNAUTHENTICATED,
  type AuthnRequest,
  type AuthnResult,
  type Authenticator,
  type UserInfo,
} from '../apimachinery/index.js';
import { bearerToken } from './bearer-token.js';

/** Paths an anonymous request may reach: liveness and readiness probes carry no credentials. */
export const ANONYMOUS_PATHS: readonly string[] = ['/healthz', '/livez', '/readyz'];

/** True when an anonymous request to `path` is served (`/healthz`, `/livez`, `/readyz` and their checks). */
export function allowsAnonymous(path: string): boolean {
  return ANONYMOUS_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** The anonymous user. */
export function anonymousUser(): UserInfo {
  return { username: ANONYMOUS_USER, groups: [SYSTEM_UNAUTHENTICATED] };
}

/** True for the anonymous user (by name or by its group). */
export function isAnonymous(user: UserInfo): boolean {
  return user.username === ANONYMOUS_USER || user.groups.includes(SYSTEM_UNAUTHENTICATED);
}

/** Options of UnionAuthenticator. */
export interface UnionAuthenticatorOptions {
  /** Answer requests without credentials with the anonymous user (true by default); else null. */
  anonymous?: boolean;
}

/** A fresh copy of the user with `system:authenticated` added once. */
function authenticated(user: UserInfo): UserInfo {
  const out: UserInfo = { username: user.username, groups: [...user.groups] };
  if (user.uid !== undefined) out.uid = user.uid;
  if (user.extra !== undefined) out.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
  if (!out.groups.includes(SYSTEM_AUTHENTICATED)) out.groups.push(SYSTEM_AUTHENTICATED);
  return out;
}

/** Tries each authenticator in order; see the module doc for the outcome. */
export class UnionAuthenticator implements Authenticator {
  private readonly authenticators: readonly Authenticator[];
  private readonly anonymous: boolean;

  constructor(authenticators: readonly Authenticator[], options: UnionAuthenticatorOptions = {}) {
    this.authenticators = [...authenticators];
    this.anonymous = options.anonymous ?? true;
  }

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const errors: string[] = [];
    for (const a of this.authenticators) {
      let result: AuthnResult;
      try {
        result = await a.authenticate(req);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
        continue;
      }
      if (result === null) continue;
      if ('error' in result) {
        errors.push(result.error);
        continue;
      }
      return result.audiences ? { user: authenticated(result.user), audiences: [...result.audiences] } : { user: authenticated(result.user) };
    }
    if (errors.length > 0) return { error: errors.join('; ') };
    if (bearerToken(req) !== undefined) return { error: 'invalid bearer token' };
    return this.anonymous ? { user: anonymousUser() } : null;
  }
}
