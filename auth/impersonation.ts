/**
 * User impersonation (`kubectl --as USER --as-group GROUP --as-uid UID`), as kube-apiserver's
 * WithImpersonation filter does it: the `Impersonate-User`, `Impersonate-Group`,
 * `Impersonate-Uid` and `Impersonate-Extra-<key>` headers name another user; the requester
 * must be allowed the `impersonate` verb on each part —
 *
 *   users/NAME                       (core group, cluster scope)
 *   serviceaccounts/NAME in NS       (for `system:serviceaccount:NS:NAME`)
 *   groups/NAME                      (core group, cluster scope)
 *   uids/UID                         (authentication.k8s.io)
 *   userextras/KEY named VALUE       (authentication.k8s.io, subresource KEY)
 *
 * — and the request is then authenticated as that user: its groups as given (a service
 * account also gets `system:serviceaccounts` and `system:serviceaccounts:NS` when no group
 * is given), plus `system:authenticated` (`system:unauthenticated` for `system:anonymous`).
 */
import {
  StatusError,
  StatusReason,
  SYSTEM_AUTHENTICATED,
  SYSTEM_UNAUTHENTICATED,
  type Authorizer,
  type AuthnRequest,
  type AuthzAttributes,
  type UserInfo,
} from '../apimachinery/index.js';
import { forbidden } from './errors.js';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_HEADER_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const ANONYMOUS = 'system:anonymous';

/** Values of a header Node may have joined with ", " (repeated headers) or kept as an array. */
function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** True when the request asks to act as someone else. */
export function wantsImpersonation(headers: AuthnRequest['headers']): boolean {
  for (const name of Object.keys(headers)) if (name.startsWith('impersonate-')) return true;
  return false;
}

function badRequest(message: string): StatusError {
  return new StatusError(StatusReason.BadRequest, message);
}

/**
 * The user `requester` asks to act as, once `authorizer` allows every part; throws 400 for
 * malformed headers (a group, uid or extra without a user) and 403 for a part not allowed.
 */
export function impersonate(requester: UserInfo, headers: AuthnRequest['headers'], authorizer: Authorizer): UserInfo {
  const users = headerValues(headers[USER_HEADER]);
  const groups = headerValues(headers[GROUP_HEADER]);
  const uids = headerValues(headers[UID_HEADER]);
  const extra: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(EXTRA_HEADER_PREFIX)) continue;
    let key: string;
    try {
      key = decodeURIComponent(name.slice(EXTRA_HEADER_PREFIX.length)).toLowerCase();
    } catch {
      throw badRequest(`invalid impersonation extra header ${JSON.stringify(name)}: the key is not percent-encoded UTF-8`);
    }
    if (key === '') throw badRequest(`invalid impersonation extra header ${JSON.stringify(name)}: no key`);
    extra[key] = [...(extra[key] ?? []), ...headerValues(value)];
  }
  if (users.length === 0) {
    const asked = [...groups.map((g) => `group ${g}`), ...uids.map((u) => `uid ${u}`), ...Object.keys(extra).map((k) => `extra ${k}`)];
    throw badRequest(`requested [${asked.join(', ')}] without impersonating a user`);
  }
  if (users.length > 1) throw badRequest(`only one user may be impersonated, got ${users.length}`);
  if (uids.length > 1) throw badRequest(`only one uid may be impersonated, got ${uids.length}`);
  const username = users[0]!;

  const check = (attrs: Omit<AuthzAttributes, 'user' | 'verb' | 'resourceRequest'>): void => {
    const full: AuthzAttributes = { user: requester, verb: 'impersonate', resourceRequest: true, ...attrs };
    const decision = authorizer.authorize(full);
    if (!decision.allowed) throw forbidden(full, decision.reason);
  };

  const resultGroups: string[] = [];
  if (username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw badRequest(`invalid service account user name ${JSON.stringify(username)}`);
    const [namespace, name] = parts as [string, string];
    check({ apiGroup: '', apiVersion: 'v1', resource: 'serviceaccounts', namespace, name });
    if (groups.length === 0) resultGroups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  } else {
    check({ apiGroup: '', apiVersion: 'v1', resource: 'users', name: username });
  }
  for (const group of groups) {
    check({ apiGroup: '', apiVersion: 'v1', resource: 'groups', name: group });
    if (!resultGroups.includes(group)) resultGroups.push(group);
  }
  for (const uid of uids) check({ apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'uids', name: uid });
  for (const [key, values] of Object.entries(extra)) {
    for (const value of values) check({ apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'userextras', subresource: key, name: value });
  }

  const implied = username === ANONYMOUS ? SYSTEM_UNAUTHENTICATED : SYSTEM_AUTHENTICATED;
  if (!resultGroups.includes(implied)) resultGroups.push(implied);
  return {
    username,
    groups: resultGroups,
    ...(uids.length === 1 ? { uid: uids[0] } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
