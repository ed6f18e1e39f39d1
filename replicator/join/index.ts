/**
 * Joining a member cluster: single-use bootstrap tokens (Kubernetes' format, stored as
 * `bootstrap.kubernetes.io/token` Secrets in `fedgate-system`) and the Register handler that
 * trades a token and a CSR for a client certificate and a `Cluster` object.
 *
 * ```ts
 * const t = await createToken(store, { ttlSeconds: 3600 });   // t.token = 'abcdef.0123456789abcdef'
 * const register = new RegisterHandler({ store, pki });
 * const res = await register.handle(request);                  // StatusError on refusal
 * ```
 */
export {
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_PATTERN,
  TOKEN_INVALID_MESSAGE,
  TOKEN_USED_MESSAGE,
  generateToken,
  bootstrapTokenSecretName,
  bootstrapTokenKey,
  bootstrapTokenSecret,
  createToken,
  consumeToken,
  verifyToken,
  type VerifiedToken,
  type BootstrapToken,
  type CreateTokenOptions,
  type ConsumedToken,
} from './bootstrap-tokens.js';
export { systemNamespaceObject, clusterResource } from './stored-objects.js';
export {
  RegisterHandler,
  validateRegisterRequest,
  joinedCluster,
  clusterKey,
  MAX_CLUSTER_NAME_LENGTH,
  CLIENT_CERTIFICATE_ANNOTATION,
  BOOTSTRAP_TOKEN_ID_ANNOTATION,
  type MemberCertificateIssuer,
  type RegisterHandlerOptions,
  type RegisterInput,
  type RegisterOutput,
} from './register.js';
