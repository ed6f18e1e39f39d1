/**
 * The member's transport to the gateway: joining (bootstrap token + CSR → credentials in
 * `<dataDir>/pki/`), the long-lived Connect stream with reconnects, and in-band renewal of
 * the member certificate (a new key pair and CSR at 2/3 of its lifetime, stored atomically
 * in `<dataDir>/pki/`, used make-before-break).
 *
 * ```ts
 * await joinGateway({ gatewayJoinAddress: '127.0.0.1:7443', token, caHash, clusterName: 'eu-west', dataDir });
 * const credentials = loadMemberCredentials(dataDir);   // credentials.dataDir set: rotation on
 * const connection = new GatewayConnection({
 *   memberAddress: '127.0.0.1:7444', clusterName: credentials.clusterName, credentials,
 *   onStream: (stream) => agent.attach(stream),   // a GatewayStream; Hello was already sent
 * });
 * connection.start();
 * connection.stop();
 * ```
 */
export {
  type MemberCredentials,
  type CertificateValidity,
  memberPkiPaths,
  commonNameOf,
  certificateValidity,
  keyMatchesCertificate,
  saveMemberCredentials,
  saveRenewedCredentials,
  hasMemberCredentials,
  loadMemberCredentials,
} from './credentials.js';
export {
  CertificateRenewer,
  requestRenewedCertificate,
  renewalTime,
  validRenewFraction,
  DEFAULT_RENEW_AT_FRACTION,
  MIN_RENEW_DELAY_MS,
  RENEW_RETRY_INITIAL_MS,
  RENEW_RETRY_MAX_MS,
  RENEW_TIMEOUT_MS,
  type CertificateRenewerOptions,
  type RenewedCertificate,
} from './certificate-renewal.js';
export {
  joinGateway,
  discoverCa,
  createMemberCsr,
  verifyIssuedCertificate,
  statusFromGrpcError,
  DEFAULT_JOIN_TIMEOUT_MS,
  CA_HASH_PATTERN,
  type JoinOptions,
  type JoinResult,
} from './join.js';
export {
  GatewayConnection,
  GrpcGatewayStream,
  ConnectionState,
  canTransition,
  backoffDelay,
  isRefusal,
  REFUSED_INITIAL_BACKOFF_MS,
  REFUSED_MAX_BACKOFF_MS,
  INITIAL_BACKOFF_MS,
  MAX_BACKOFF_MS,
  BACKOFF_JITTER,
  CLIENT_KEEPALIVE_TIME_MS,
  CLIENT_KEEPALIVE_TIMEOUT_MS,
  type GatewayConnectionOptions,
} from './connection.js';
