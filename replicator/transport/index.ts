/**
 * The gateway's gRPC transport: the join port (TLS, Register) and the member port (mutual
 * TLS, Connect and Renew), member streams as `MemberStream`s whose cluster is the verified
 * client certificate's. Refusals go out through `toGrpcStatus` (apimachinery), the one table
 * from fedgate's failure reasons to gRPC status codes.
 *
 * ```ts
 * const server = new MemberServer({
 *   pki, store, handler: replicator.streamHandler,
 *   joinListen: { host: '127.0.0.1', port: 7443 }, memberListen: { host: '127.0.0.1', port: 7444 },
 *   memberCertificateLifetimeMs: 30 * 86_400_000,   // the default
 * });
 * await server.start();   // server.joinAddress, server.memberAddress
 * server.connectedCertificate('eu-west');   // { cluster, serial, fingerprint, notAfter, ... }
 * await server.stop();
 * ```
 */
export {
  MemberServer,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_STOP_GRACE_MS,
  KEEPALIVE_TIME_MS,
  KEEPALIVE_TIMEOUT_MS,
  type MemberServerOptions,
  type ListenAddress,
  type BoundPorts,
} from './member-server.js';
export { GrpcMemberStream } from './grpc-member-stream.js';
