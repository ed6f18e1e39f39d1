/**
 * The gateway's gRPC transport: the join port (TLS, Register) and the member port (mutual
 * TLS, Connect), member streams as `MemberStream`s, and the one table from fedgate's
 * failure reasons to gRPC status codes.
 *
 * ```ts
 * const server = new MemberServer({
 *   pki, store, handler: { attach: (stream) => replicator.attach(stream) },
 *   joinListen: { host: '127.0.0.1', port: 7443 }, memberListen: { host: '127.0.0.1', port: 7444 },
 * });
 * await server.start();   // server.joinAddress, server.memberAddress
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
