/**
 * The gateway's PKI: a CA in `<dataDir>/pki/`, the gRPC serving certificate, and member
 * client certificates issued from CSRs (`CN=<cluster>, O=fedgate:members`, clientAuth).
 *
 * ```ts
 * const pki = await GatewayPki.loadOrCreate('./data', { hosts: ['10.0.0.5', 'gw.example'] });
 * const certPem = await pki.signMemberCsr(csrPem, 'eu-west');
 * pki.clusterNameOf(call.getAuthContext().sslPeerCertificate); // 'eu-west' | undefined
 * pki.memberCertificateOf(peerCert);  // { cluster, fingerprint, serial, notAfter, ... } | undefined
 * pki.caHash; // 'sha256:…', what `fedgate join --ca-hash` pins
 *
 * // A member's local API: its own CA and serving certificate, apart from its join credentials.
 * const local = await GatewayPki.loadOrCreate(dataDir, { dir: `${dataDir}/api-pki`, hosts, caCommonName, serverCommonName, serverFileName: 'apiserver' });
 *
 * // The gateway's proxy identity towards member APIs, in memory only, renewed before expiry.
 * const identity = new RenewingClientIdentity({ issue: (s, ms) => pki.issueClientCertificate(s, ms), subject: { commonName: GATEWAY_PROXY_USER, organizations: [GATEWAY_PROXY_GROUP] } });
 * await identity.start();
 * identity.current(); // { certPem, keyPem }
 * ```
 */
export {
  GatewayPki,
  certificateFingerprint,
  certificateSerial,
  readCertificateRequest,
  type MemberCertificate,
  type VerifiedCertificateRequest,
  pkiPaths,
  writeKeyFile,
  writePublicFile,
  exportPrivateKey,
  type GatewayPkiOptions,
  type CertificateKeyPair,
  type ClientCertificateSubject,
  CA_COMMON_NAME,
  SERVER_COMMON_NAME,
  MEMBER_ORGANIZATION,
  CA_VALIDITY_DAYS,
  SERVER_VALIDITY_DAYS,
  SERVER_RENEW_BEFORE_DAYS,
  DEFAULT_MEMBER_VALIDITY_DAYS,
  DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS,
  MIN_MEMBER_CERTIFICATE_LIFETIME_MS,
  ALWAYS_SERVED_HOSTS,
} from './gateway-pki.js';
export { readCertificateAuthority, readCertificateChain, readServingCertificate, type ServingCertificate } from './operator-certificates.js';
export {
  RenewingClientIdentity,
  GATEWAY_PROXY_USER,
  GATEWAY_PROXY_GROUP,
  DEFAULT_CLIENT_IDENTITY_LIFETIME_MS,
  CLIENT_IDENTITY_RETRY_MS,
  type ClientCertificateIssuer,
  type RenewingClientIdentityOptions,
} from './client-identity.js';
export { x509, EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM } from './x509-crypto.js';
