/**
 * auth: who is asking and what they may do, with Kubernetes semantics — authenticators
 * (client certificates, the gateway's user tokens, service account JWTs, anonymous), the
 * RBAC authorizer over shared informers, the bootstrap policy, the HTTP → attributes
 * mapping, and the review kinds (SelfSubjectAccessReview, SelfSubjectReview, TokenReview,
 * TokenRequest). The API server uses it through the interfaces of apimachinery/auth.ts.
 *
 * ```ts
 * import { GatewayAuth, ensureAdminToken, loadOrCreateServiceAccountKey } from '../auth/index.js';
 *
 * const auth = new GatewayAuth({ store: watchCache, serviceAccountKey: await loadOrCreateServiceAccountKey(dataDir) });
 * await auth.start();                                   // bootstrap policy, informers synced
 * const adminToken = await ensureAdminToken(watchCache, dataDir); // DATA/admin.token, 0600
 *
 * // Per request (watches included), before routing; StatusErrors become 401/403 bodies:
 * const { user, attributes } = await auth.check({
 *   method: ctx.method, path: ctx.path, query: ctx.query, headers: ctx.headers,
 *   clientCertificate, // the verified TLS peer's CN and O, when there is one
 * });
 *
 * // Kinds that are answered, not stored:
 * auth.selfSubjectAccessReview(user, body); // POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews
 * auth.selfSubjectReview(user, body);       // POST /apis/authentication.k8s.io/v1/selfsubjectreviews
 * await auth.tokenReview(body);             // POST /apis/authentication.k8s.io/v1/tokenreviews
 * auth.tokenRequest(storedServiceAccount, body); // POST /api/v1/namespaces/NS/serviceaccounts/NAME/token
 *
 * // Before storing a Role, ClusterRole, RoleBinding or ClusterRoleBinding (create, update, patch):
 * auth.checkRbacWrite(user, objectToStore, 'update'); // 403 when it would grant what the user lacks
 * auth.stop();
 * ```
 */
export { requestAttributes, type RequestQuery } from './request-attributes.js';
export {
  apiGroupMatches,
  breakdownRule,
  nonResourceURLMatches,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  rulesCover,
  verbMatches,
} from './rbac-rules.js';
export { RbacAuthorizer, RBAC_SUBJECT_INDEX, serviceAccountUsername, type SourcedRule } from './rbac-authorizer.js';
export {
  AGGREGATE_TO_ADMIN,
  AGGREGATE_TO_EDIT,
  AGGREGATE_TO_VIEW,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  ensureBootstrapPolicy,
  type BootstrapPolicyOptions,
  type BootstrapPolicyResult,
} from './bootstrap-policy.js';
export { aggregatedRules, ClusterRoleAggregator, type ClusterRoleAggregatorOptions } from './cluster-role-aggregation.js';
export { bearerToken } from './bearer-token.js';
export {
  ADMIN_TOKEN_FILE,
  ADMIN_USER,
  ensureAdminToken,
  hashToken,
  issueUserToken,
  parseUserTokenSecret,
  revokeUserToken,
  USER_TOKEN_PATTERN,
  USER_TOKEN_SECRET_PREFIX,
  USER_TOKEN_SECRET_TYPE,
  userTokenId,
  userTokenIsValid,
  userTokenSecretName,
  type IssueUserTokenOptions,
  type UserToken,
  type UserTokenRecord,
} from './user-tokens.js';
export {
  CREDENTIAL_ID_EXTRA,
  DEFAULT_NEGATIVE_TOKEN_CACHE_TTL_MS,
  DEFAULT_TOKEN_CACHE_MAX_ENTRIES,
  DEFAULT_TOKEN_CACHE_TTL_MS,
  TokenAuthenticator,
  USER_TOKEN_INVALID_MESSAGE,
  userTokenSecretInformer,
  type TokenAuthenticatorOptions,
} from './token-authenticator.js';
export { algorithmOf, decodeJwt, signJwt, verifyJwtSignature, type DecodedJwt, type JwtAlgorithm } from './jwt.js';
export { loadOrCreateServiceAccountKey, SERVICE_ACCOUNT_KEY_FILE, serviceAccountKeyFromPem, type ServiceAccountKey } from './service-account-key.js';
export {
  DEFAULT_SERVICE_ACCOUNT_ISSUER,
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
  issueServiceAccountToken,
  serviceAccountTokenRequest,
  tokenRequestResource,
  type IssuedServiceAccountToken,
  type KubernetesClaim,
  type ServiceAccountTokenClaims,
  type ServiceAccountTokenOptions,
  type TokenRequestOptions,
} from './service-account-tokens.js';
export { ServiceAccountTokenAuthenticator, type ServiceAccountTokenAuthenticatorOptions } from './service-account-authenticator.js';
export { ClientCertificateAuthenticator } from './client-certificate-authenticator.js';
export {
  allowsAnonymous,
  ANONYMOUS_PATHS,
  anonymousUser,
  isAnonymous,
  UnionAuthenticator,
  type UnionAuthenticatorOptions,
} from './union-authenticator.js';
export { forbidden, forbiddenMessage, unauthorized } from './errors.js';
export {
  reviewAttributes,
  reviewUserInfo,
  selfSubjectAccessReview,
  selfSubjectReview,
  subjectAccessReview,
  tokenReview,
  type TokenReviewOptions,
} from './reviews.js';
export { checkRequest, type CheckedRequest, type RequestCheck } from './check-request.js';
export { checkRbacWrite, compactRuleString } from './escalation.js';
export { GatewayAuth, type GatewayAuthOptions } from './gateway-auth.js';
