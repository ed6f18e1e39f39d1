/**
 * Checks of the RBAC kinds and the review kinds that a schema cannot express, after
 * k8s.io/kubernetes/pkg/apis/rbac/validation, pkg/apis/authorization/validation and
 * pkg/apis/authentication/validation (messages kept word for word). Like the other
 * semantic checks they read defensively: wrong types are the schema's to report.
 */
import type { StatusCause } from './errors.js';
import { childPath, fieldInvalid, fieldNotSupported, fieldRequired, indexPath } from './field-causes.js';
import { validateLabelSelectorObject } from './label-selector.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from './names.js';
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP } from './auth-review-types.js';
import { RBAC_GROUP } from './rbac-types.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Shortest TokenRequest lifetime Kubernetes accepts (10 minutes). */
export const MIN_TOKEN_REQUEST_SECONDS = 600;
/** Longest TokenRequest lifetime Kubernetes accepts (2^32 s). */
export const MAX_TOKEN_REQUEST_SECONDS = 2 ** 32;

/** ValidatePolicyRule: verbs always; either non-resource URLs (cluster roles only) or apiGroups + resources. */
function checkPolicyRule(rule: unknown, namespaced: boolean, path: string): StatusCause[] {
  if (!isObj(rule)) return [];
  const causes: StatusCause[] = [];
  if (list(rule['verbs']).length === 0) causes.push(fieldRequired(childPath(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = list(rule['nonResourceURLs']);
  if (urls.length > 0) {
    if (namespaced) causes.push(fieldInvalid(childPath(path, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (list(rule['apiGroups']).length > 0 || list(rule['resources']).length > 0 || list(rule['resourceNames']).length > 0) {
      causes.push(fieldInvalid(childPath(path, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (list(rule['apiGroups']).length === 0) causes.push(fieldRequired(childPath(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (list(rule['resources']).length === 0) causes.push(fieldRequired(childPath(path, 'resources'), 'resource rules must supply at least one resource'));
  return causes;
}

function checkRules(obj: Obj, namespaced: boolean): StatusCause[] {
  return list(obj['rules']).flatMap((r, i) => checkPolicyRule(r, namespaced, indexPath('rules', i)));
}

/** ClusterRole: its rules, and an aggregation rule with at least one valid selector. */
function checkClusterRole(obj: Obj): StatusCause[] {
  const causes = checkRules(obj, false);
  const agg = obj['aggregationRule'];
  if (isObj(agg)) {
    const selectors = list(agg['clusterRoleSelectors']);
    if (selectors.length === 0) {
      causes.push(fieldRequired('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    selectors.forEach((s, i) => causes.push(...validateLabelSelectorObject(s, indexPath('aggregationRule.clusterRoleSelectors', i))));
  }
  return causes;
}

/** ValidateRoleBindingSubject. User and Group subjects may leave apiGroup empty (v1 defaults it). */
function checkSubject(subject: unknown, namespaced: boolean, path: string): StatusCause[] {
  if (!isObj(subject)) return [];
  const causes: StatusCause[] = [];
  const name = str(subject['name']);
  const apiGroup = str(subject['apiGroup']);
  if (name === '') causes.push(fieldRequired(childPath(path, 'name'), ''));
  switch (subject['kind']) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) causes.push(fieldInvalid(childPath(path, 'name'), name, msg));
      if (apiGroup !== '') causes.push(fieldNotSupported(childPath(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && str(subject['namespace']) === '') causes.push(fieldRequired(childPath(path, 'namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== '' && apiGroup !== RBAC_GROUP) causes.push(fieldNotSupported(childPath(path, 'apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      causes.push(fieldNotSupported(childPath(path, 'kind'), subject['kind'], ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

/** RoleBinding / ClusterRoleBinding: a roleRef to an RBAC role of an allowed kind, and valid subjects. */
function checkBinding(obj: Obj, namespaced: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const ref = obj['roleRef'];
  if (isObj(ref)) {
    const apiGroup = str(ref['apiGroup']);
    if (apiGroup !== RBAC_GROUP) causes.push(fieldNotSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(str(ref['kind']))) causes.push(fieldNotSupported('roleRef.kind', ref['kind'], kinds));
    const name = str(ref['name']);
    if (name === '') causes.push(fieldRequired('roleRef.name', ''));
    else for (const msg of isValidPathSegmentName(name)) causes.push(fieldInvalid('roleRef.name', name, msg));
  }
  list(obj['subjects']).forEach((s, i) => causes.push(...checkSubject(s, namespaced, indexPath('subjects', i))));
  return causes;
}

/** SelfSubjectAccessReview: exactly one of resourceAttributes and nonResourceAttributes. */
function checkSelfSubjectAccessReview(obj: Obj): StatusCause[] {
  const spec = isObj(obj['spec']) ? obj['spec'] : {};
  const resource = spec['resourceAttributes'];
  const nonResource = spec['nonResourceAttributes'];
  const has = (v: unknown): boolean => v !== undefined && v !== null;
  if (has(resource) && has(nonResource)) {
    return [fieldInvalid('spec.nonResourceAttributes', nonResource, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!has(resource) && !has(nonResource)) {
    return [fieldInvalid('spec.resourceAttributes', nonResource ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

/** TokenRequest: a lifetime between 10 minutes and 2^32 seconds when given. */
function checkTokenRequest(obj: Obj): StatusCause[] {
  const spec = isObj(obj['spec']) ? obj['spec'] : {};
  const seconds = spec['expirationSeconds'];
  if (typeof seconds !== 'number') return [];
  if (seconds < MIN_TOKEN_REQUEST_SECONDS) return [fieldInvalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')];
  if (seconds > MAX_TOKEN_REQUEST_SECONDS) return [fieldInvalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

/** Semantic checks of the RBAC and review kinds, by `group/Kind`. */
export const rbacSemanticChecks: ReadonlyMap<string, (obj: Obj) => StatusCause[]> = new Map([
  [`${RBAC_GROUP}/Role`, (o: Obj) => checkRules(o, true)],
  [`${RBAC_GROUP}/ClusterRole`, checkClusterRole],
  [`${RBAC_GROUP}/RoleBinding`, (o: Obj) => checkBinding(o, true)],
  [`${RBAC_GROUP}/ClusterRoleBinding`, (o: Obj) => checkBinding(o, false)],
  [`${AUTHORIZATION_GROUP}/SelfSubjectAccessReview`, checkSelfSubjectAccessReview],
  [`${AUTHENTICATION_GROUP}/TokenRequest`, checkTokenRequest],
]);

/** RoleBinding / ClusterRoleBinding updates: the roleRef never changes (delete and re-create instead). */
function checkBindingUpdate(oldObj: Obj, newObj: Obj): StatusCause[] {
  const a = isObj(oldObj['roleRef']) ? oldObj['roleRef'] : {};
  const b = isObj(newObj['roleRef']) ? newObj['roleRef'] : {};
  const same = str(a['apiGroup']) === str(b['apiGroup']) && str(a['kind']) === str(b['kind']) && str(a['name']) === str(b['name']);
  return same ? [] : [fieldInvalid('roleRef', newObj['roleRef'], 'cannot change roleRef')];
}

/** Checks that compare an update with the stored object, by `group/Kind`. */
export const rbacUpdateChecks: ReadonlyMap<string, (oldObj: Obj, newObj: Obj) => StatusCause[]> = new Map([
  [`${RBAC_GROUP}/RoleBinding`, checkBindingUpdate],
  [`${RBAC_GROUP}/ClusterRoleBinding`, checkBindingUpdate],
]);
