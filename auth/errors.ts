/**
 * The two refusals of the auth layer as `StatusError`s, worded as kube-apiserver words them
 * (endpoints/handlers/responsewriters/errors.go): 401 `Unauthorized` (the reason an
 * authenticator gave goes to the log, never to the client) and 403 with the forbidden
 * message kubectl users know.
 */
import { StatusError, StatusReason, type AuthzAttributes } from '../apimachinery/index.js';

/**
 * 401 Unauthorized. The body says only `Unauthorized`, whatever failed; `why` (an
 * authenticator's reason) is kept as the error's `cause` for the log.
 */
export function unauthorized(why?: string): StatusError {
  return new StatusError(StatusReason.Unauthorized, 'Unauthorized', {}, why === undefined ? undefined : { cause: new Error(why) });
}

/**
 * forbiddenMessage: `User "bob" cannot create resource "deployments" in API group "apps"
 * in the namespace "shop"`, `... at the cluster scope`, or `User "x" cannot get path "/metrics"`.
 */
export function forbiddenMessage(attrs: AuthzAttributes): string {
  const user = JSON.stringify(attrs.user.username);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${JSON.stringify(attrs.path ?? '')}`;
  const resource = attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : (attrs.resource ?? '');
  const where = attrs.namespace ? `in the namespace ${JSON.stringify(attrs.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup ?? '')} ${where}`;
}

/**
 * 403 Forbidden for a denied request: `deployments.apps "web" is forbidden: User "bob"
 * cannot delete resource "deployments" in API group "apps" in the namespace "shop"`, with
 * `: <reason>` when the authorizer gave one; `forbidden: ...` for non-resource paths.
 */
export function forbidden(attrs: AuthzAttributes, reason = ''): StatusError {
  const detail = reason === '' ? forbiddenMessage(attrs) : `${forbiddenMessage(attrs)}: ${reason}`;
  if (!attrs.resourceRequest || !attrs.resource) return new StatusError(StatusReason.Forbidden, `forbidden: ${detail}`);
  const group = attrs.apiGroup ?? '';
  const qualified = group === '' ? attrs.resource : `${attrs.resource}.${group}`;
  const message = attrs.name ? `${qualified} ${JSON.stringify(attrs.name)} is forbidden: ${detail}` : `${qualified} is forbidden: ${detail}`;
  const details: { name?: string; group?: string; kind: string } = { kind: attrs.resource };
  if (attrs.name) details.name = attrs.name;
  if (group !== '') details.group = group;
  return new StatusError(StatusReason.Forbidden, message, details);
}
