/**
 * One request through authentication and authorization, in kube-apiserver's filter order
 * (WithAuthentication, then WithAuthorization): the API server calls `checkRequest` once
 * per request, watches included, and lets the StatusError it throws become the response.
 */
import { markRefusedUser, type Authenticator, type Authorizer, type AuthnRequest, type AuthzAttributes, type AuthzDecision, type UserInfo } from '../apimachinery/index.js';
import { forbidden, unauthorized } from './errors.js';
import { impersonate, wantsImpersonation } from './impersonation.js';
import { requestAttributes, type RequestQuery } from './request-attributes.js';
import { allowsAnonymous, isAnonymous } from './union-authenticator.js';

/** What `checkRequest` needs of an HTTP request. */
export interface CheckedRequest extends AuthnRequest {
  method: string;
  /** The URL path, without the query string. */
  path: string;
  query?: RequestQuery;
}

/** A request let through: who made it, as what it was judged, and why it was allowed. */
export interface RequestCheck {
  /** The user the request acts as (the impersonated one, when it impersonates). */
  user: UserInfo;
  /** Who authenticated, when the request impersonates another user. */
  impersonator?: UserInfo;
  attributes: AuthzAttributes;
  decision: AuthzDecision;
}

/**
 * Authenticates and authorizes a request. Throws 401 Unauthorized when credentials are
 * refused or missing (the authenticator's reason is the error's `cause`; anonymous requests are served only on `/healthz`, `/livez`, `/readyz`),
 * 403 Forbidden (Kubernetes' message) when the authorizer does not allow it — the request, or
 * impersonating the user its `Impersonate-*` headers name (400 for malformed ones). The health paths
 * skip authorization: probes must work before the role caches have synced.
 */
export async function checkRequest(authenticator: Authenticator, authorizer: Authorizer, req: CheckedRequest): Promise<RequestCheck> {
  const result = await authenticator.authenticate(req);
  if (result === null) throw unauthorized('no credentials');
  if ('error' in result) throw unauthorized(result.error);
  const authenticated = result.user;
  if (allowsAnonymous(req.path)) {
    const attributes = requestAttributes(req.method, req.path, req.query, authenticated);
    if (!attributes.resourceRequest) return { user: authenticated, attributes, decision: { allowed: true, reason: 'health checks are open to everyone' } };
  }
  if (isAnonymous(authenticated)) throw unauthorized('anonymous requests are not served here');
  // Impersonation (kubectl --as) comes between authentication and authorization.
  const impersonating = wantsImpersonation(req.headers);
  let user = authenticated;
  if (impersonating) {
    try {
      user = impersonate(authenticated, req.headers, authorizer);
    } catch (err) {
      throw markRefusedUser(err as Error, authenticated);
    }
  }
  const attributes = requestAttributes(req.method, req.path, req.query, user);
  const decision = authorizer.authorize(attributes);
  if (!decision.allowed) throw markRefusedUser(forbidden(attributes, decision.reason), user, impersonating ? authenticated : undefined);
  return { user, ...(impersonating ? { impersonator: authenticated } : {}), attributes, decision };
}
