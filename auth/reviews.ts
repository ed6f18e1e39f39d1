/**
 * The review kinds, answered not stored (after pkg/registry/authorization/* and
 * pkg/registry/authentication/* of kube-apiserver): the API server validates the posted
 * object, calls one of these with the caller, and returns the object with its `status`
 * filled in (201 Created, no uid, no resourceVersion).
 *
 * - SelfSubjectAccessReview (`kubectl auth can-i`): may the caller do this?
 * - SelfSubjectRulesReview (`kubectl auth can-i --list`): what may the caller do in a namespace?
 * - SelfSubjectReview (`kubectl auth whoami`): who is the caller?
 * - TokenReview: is this token valid, and whose is it (for components that accept tokens)?
 */
import {
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
  badRequest,
  fieldRequired,
  invalid,
  reviewResources,
  validateObject,
  type Authenticator,
  type Authorizer,
  type AuthzAttributes,
  type ResourceInfo,
  type ReviewUserInfo,
  type SelfSubjectAccessReview,
  type SelfSubjectAccessReviewSpec,
  type NonResourceRule,
  type PolicyRule,
  type ResourceRule,
  type SelfSubjectReview,
  type SelfSubjectRulesReview,
  type SubjectAccessReviewStatus,
  type TokenReview,
  type UserInfo,
} from '../apimachinery/index.js';

function reviewResource(kind: string): ResourceInfo {
  const r = reviewResources.find((x) => x.kind === kind);
  if (!r) throw new Error(`review kind ${kind} is not registered`);
  return r;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a posted review; Invalid with field causes otherwise. */
function checkReview(kind: string, body: unknown): Record<string, unknown> {
  const r = reviewResource(kind);
  const causes = validateObject(r, body);
  if (causes.length > 0) {
    const name = isObject(body) && isObject(body['metadata']) && typeof body['metadata']['name'] === 'string' ? body['metadata']['name'] : '';
    throw invalid(kind, name, causes, r.group);
  }
  return body as Record<string, unknown>;
}

/** The attributes a review spec describes, for `user` (ResourceAttributesFrom / NonResourceAttributesFrom). */
export function reviewAttributes(user: UserInfo, spec: SelfSubjectAccessReviewSpec): AuthzAttributes {
  const res = spec.resourceAttributes;
  if (res) {
    const out: AuthzAttributes = {
      user,
      verb: res.verb ?? '',
      resourceRequest: true,
      apiGroup: res.group ?? '',
      // An empty version means any version, as Kubernetes reads it.
      apiVersion: res.version || '*',
      resource: res.resource ?? '',
    };
    if (res.subresource) out.subresource = res.subresource;
    if (res.namespace) out.namespace = res.namespace;
    if (res.name) out.name = res.name;
    return out;
  }
  const non = spec.nonResourceAttributes ?? {};
  return { user, verb: non.verb ?? '', resourceRequest: false, path: non.path ?? '' };
}

/**
 * Whether `user` may do what `spec` describes, as a SubjectAccessReview status:
 * `{allowed, reason}` (and `denied` when an authorizer denied explicitly; `evaluationError`
 * when it failed).
 */
export function subjectAccessReview(authorizer: Authorizer, user: UserInfo, spec: SelfSubjectAccessReviewSpec): SubjectAccessReviewStatus {
  try {
    const decision = authorizer.authorize(reviewAttributes(user, spec));
    const status: SubjectAccessReviewStatus = { allowed: decision.allowed };
    if (decision.denied) status.denied = true;
    if (decision.reason) status.reason = decision.reason;
    return status;
  } catch (err) {
    return { allowed: false, evaluationError: err instanceof Error ? err.message : String(err) };
  }
}

/** Answers a posted SelfSubjectAccessReview for the caller; Invalid unless exactly one attribute set is given. */
export function selfSubjectAccessReview(authorizer: Authorizer, user: UserInfo, body: unknown): SelfSubjectAccessReview {
  const review = checkReview('SelfSubjectAccessReview', body) as unknown as SelfSubjectAccessReview;
  return {
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    kind: 'SelfSubjectAccessReview',
    metadata: isObject(review.metadata) ? { ...review.metadata } : {},
    spec: review.spec,
    status: subjectAccessReview(authorizer, user, review.spec),
  };
}

/** What answers a rules review: every rule that applies to a user in a namespace, and what could not be read. */
export interface RulesSource {
  rulesFor(user: UserInfo, namespace?: string): { rules: { rule: Readonly<PolicyRule> }[]; errors: string[] };
}

/**
 * Answers a posted SelfSubjectRulesReview: the caller's rules in `spec.namespace` (cluster-wide
 * bindings included), split into resource and non-resource rules as Kubernetes lists them;
 * `incomplete` with `evaluationError` when a binding names a missing role. Invalid without a
 * namespace.
 */
export function selfSubjectRulesReview(source: RulesSource, user: UserInfo, body: unknown): SelfSubjectRulesReview {
  const review = checkReview('SelfSubjectRulesReview', body) as unknown as SelfSubjectRulesReview;
  const namespace = review.spec?.namespace ?? '';
  if (namespace === '') {
    throw invalid('SelfSubjectRulesReview', '', [fieldRequired('spec.namespace', 'no namespace on request')], AUTHORIZATION_GROUP);
  }
  const { rules, errors } = source.rulesFor(user, namespace);
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  for (const { rule } of rules) {
    if (rule.nonResourceURLs && rule.nonResourceURLs.length > 0) {
      nonResourceRules.push({ verbs: [...rule.verbs], nonResourceURLs: [...rule.nonResourceURLs] });
    }
    if (rule.resources && rule.resources.length > 0) {
      resourceRules.push({
        verbs: [...rule.verbs],
        apiGroups: [...(rule.apiGroups ?? [])],
        resources: [...rule.resources],
        ...(rule.resourceNames && rule.resourceNames.length > 0 ? { resourceNames: [...rule.resourceNames] } : {}),
      });
    }
  }
  return {
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    kind: 'SelfSubjectRulesReview',
    metadata: isObject(review.metadata) ? { ...review.metadata } : {},
    spec: { namespace },
    status: { resourceRules, nonResourceRules, incomplete: errors.length > 0, ...(errors.length > 0 ? { evaluationError: errors.join('; ') } : {}) },
  };
}

/** The user as reviews show it. */
export function reviewUserInfo(user: UserInfo): ReviewUserInfo {
  const out: ReviewUserInfo = { username: user.username, groups: [...user.groups] };
  if (user.uid) out.uid = user.uid;
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = user.extra;
  return out;
}

/** Answers a posted SelfSubjectReview: the caller's user info. */
export function selfSubjectReview(user: UserInfo, body: unknown = { apiVersion: `${AUTHENTICATION_GROUP}/v1`, kind: 'SelfSubjectReview' }): SelfSubjectReview {
  const review = checkReview('SelfSubjectReview', body);
  return {
    apiVersion: `${AUTHENTICATION_GROUP}/v1`,
    kind: 'SelfSubjectReview',
    metadata: isObject(review['metadata']) ? { ...(review['metadata'] as Record<string, unknown>) } : {},
    status: { userInfo: reviewUserInfo(user) },
  };
}

/** Options of `tokenReview`. */
export interface TokenReviewOptions {
  /** The API server's audiences: what audience-agnostic tokens (user tokens) are good for. */
  apiAudiences: string[];
}

/**
 * Answers a posted TokenReview with `authenticator` (token authenticators only: no client
 * certificates, no anonymous). BadRequest without `spec.token`. A token valid for none of
 * `spec.audiences` is not authenticated.
 */
export async function tokenReview(authenticator: Authenticator, body: unknown, options: TokenReviewOptions): Promise<TokenReview> {
  const review = checkReview('TokenReview', body) as unknown as TokenReview;
  const token = review.spec.token ?? '';
  if (token === '') throw badRequest('token is required for TokenReview in authentication');
  const wanted = review.spec.audiences ?? [];
  const out: TokenReview = {
    apiVersion: `${AUTHENTICATION_GROUP}/v1`,
    kind: 'TokenReview',
    metadata: isObject(review.metadata) ? { ...review.metadata } : {},
    spec: { ...review.spec },
    status: { authenticated: false },
  };
  const req = wanted.length > 0 ? { headers: { authorization: `Bearer ${token}` }, audiences: wanted } : { headers: { authorization: `Bearer ${token}` } };
  const result = await authenticator.authenticate(req);
  if (result === null) return out;
  if ('error' in result) {
    out.status = { authenticated: false, error: result.error };
    return out;
  }
  // Audience-agnostic tokens are good for the API server's own audiences only.
  const audiences = result.audiences ?? (wanted.length > 0 ? wanted.filter((a) => options.apiAudiences.includes(a)) : [...options.apiAudiences]);
  if (wanted.length > 0 && audiences.length === 0) {
    out.status = { authenticated: false, error: `token audiences ${JSON.stringify(options.apiAudiences)} is invalid for the target audiences ${JSON.stringify(wanted)}` };
    return out;
  }
  out.status = { authenticated: true, user: reviewUserInfo(result.user), audiences };
  return out;
}
