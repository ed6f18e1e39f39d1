/**
 * One request through authentication and authorization, in kube-apiserver's filter order
 * (WithAuthentication, then WithAuthorization): the API server calls `checkRequest` once
 * per request, watches included, and lets the StatusError it throws become the response.
 */
import type { Authenticator, Authorizer, AuthnRequest, AuthzAttributes, AuthzDecision, UserInfo } from '../apimachinery/index.js';
import { forbidden, unauthorized } from './errors.js';
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
  user: UserInfo;
  attributes: AuthzAttributes;
  decision: AuthzDecision;
}

/**
 * Authenticates and authorizes a request. Throws 401 Unauthorized when credentials are
 * refused or missing (the authenticator's reason is the error's `cause`; anonymous requests are served only on `/healthz`, `/livez`, `/readyz`),
 * 403 Forbidden (Kubernetes' message) when the authorizer does not allow it. The health paths
 * skip authorization: probes must work before the role caches have synced.
 */
export async function checkRequest(authenticator: Authenticator, authorizer: Authorizer, req: CheckedRequest): Promise<RequestCheck> {
  const result = await authenticator.authenticate(req);
  if (result === null) throw unauthorized('no credentials');
  if ('error' in result) throw unauthorized(result.error);
  const user = result.user;
  const attributes = requestAttributes(req.method, req.path, req.query, user);
  if (allowsAnonymous(req.path) && !attributes.resourceRequest) {
    return { user, attributes, decision: { allowed: true, reason: 'health checks are open to everyone' } };
  }
  if (isAnonymous(user)) throw unauthorized('anonymous requests are not served here');
  const decision = authorizer.authorize(attributes);
  if (!decision.allowed) throw forbidden(attributes, decision.reason);
  return { user, attributes, decision };
}
