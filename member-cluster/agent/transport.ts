/**
 * The member's transport to the gateway: joining (bootstrap token + CSR → credentials in
 * `<dataDir>/pki/`) and the long-lived Connect stream with reconnects.
 *
 * ```ts
 * await joinGateway({ gatewayJoinAddress: '127.0.0.1:7443', token, caHash, clusterName: 'eu-west', dataDir });
 * const credentials = loadMemberCredentials(dataDir);
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
  memberPkiPaths,
  commonNameOf,
  saveMemberCredentials,
  hasMemberCredentials,
  loadMemberCredentials,
} from './credentials.js';
export {
  joinGateway,
  discoverCa,
  createMemberCsr,
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
  INITIAL_BACKOFF_MS,
  MAX_BACKOFF_MS,
  BACKOFF_JITTER,
  CLIENT_KEEPALIVE_TIME_MS,
  CLIENT_KEEPALIVE_TIMEOUT_MS,
  type GatewayConnectionOptions,
} from './connection.js';
