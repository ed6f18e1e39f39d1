/**
 * Joining a member cluster: single-use bootstrap tokens (Kubernetes' format, stored as
 * `bootstrap.kubernetes.io/token` Secrets in `fedgate-system`), the Register handler that
 * trades a token and a CSR for a client certificate and a `Cluster` object, the Renew handler
 * that trades a member's current certificate and a new CSR for its next certificate, and the
 * Cluster's record of which certificates it accepts (current, and previous during rotation).
 *
 * ```ts
 * const t = await createToken(store, { ttlSeconds: 3600 });   // t.token = 'abcdef.0123456789abcdef'
 * const register = new RegisterHandler({ store, pki });
 * const res = await register.handle(request);                  // StatusError on refusal
 * await checkMemberCertificate(store, 'eu-west', fingerprint);  // Forbidden unless accepted
 * await recordMemberApi(store, 'eu-west', hello);               // spec.apiEndpoint / apiCABundle from a Hello
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
export { systemNamespaceObject, clusterResource, clusterKey } from './stored-objects.js';
export {
  CLIENT_CERTIFICATE_ANNOTATION,
  PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION,
  CLIENT_CERTIFICATE_SERIAL_ANNOTATION,
  CLIENT_CERTIFICATE_NOT_AFTER_ANNOTATION,
  acceptedCertificates,
  certificateStanding,
  certificateAnnotations,
  checkMemberCertificate,
  recordRenewedCertificate,
  retirePreviousCertificate,
  notJoined,
  type AcceptedCertificates,
  type CertificateStanding,
} from './cluster-certificates.js';
export {
  MAX_API_CA_BUNDLE_BYTES,
  clusterApiCaBundle,
  encodeCaBundle,
  parseCaBundle,
  recordMemberApi,
  validateMemberApi,
  type MemberApiReport,
} from './member-api.js';
export { RenewHandler, type RenewCaller, type RenewHandlerOptions, type RenewInput, type RenewOutput } from './renew.js';
export {
  RegisterHandler,
  validateRegisterRequest,
  joinedCluster,
  MAX_CLUSTER_NAME_LENGTH,
  BOOTSTRAP_TOKEN_ID_ANNOTATION,
  type MemberCertificateIssuer,
  type RegisterHandlerOptions,
  type RegisterInput,
  type RegisterOutput,
} from './register.js';
