/**
 * The gRPC side of the gateway that members dial, on two ports:
 *
 * - the join port, server-authenticated TLS: `Register` only (a new member has no client
 *   certificate yet; it proves itself with a bootstrap token);
 * - the member port, mutual TLS: `Connect`. The cluster is the client certificate's CN
 *   (checked again by `clusterNameOf`: our CA, clientAuth, `O=fedgate:members`); the first
 *   message must be `Hello` naming that same cluster, and the cluster must still be joined
 *   (its `Cluster` object exists and names this certificate).
 *
 * An accepted stream gets response headers at once (the member's signal that the gateway
 * took it), then goes to `handler.attach(stream)`; the Hello is the first message its
 * `onMessage` handler receives (and is on `stream.hello`). One stream per cluster: a newer
 * accepted stream closes the older one (ABORTED).
 */
import { Metadata, Server, ServerCredentials, type ServerDuplexStream, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { StatusError, StatusReason, type Cluster, toGrpcStatus } from '../../apimachinery/index.js';
import { stderrLogger, systemClock, type Clock, type Logger } from '../../controller/index.js';
import { federationService, type fedgate, type GatewayMessage, type MemberMessage, type RegisterRequest, type RegisterResponse } from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { CLIENT_CERTIFICATE_ANNOTATION, clusterKey, RegisterHandler } from '../join/index.js';
import type { MemberStreamHandler } from '../member-stream.js';
import { certificateFingerprint, type GatewayPki } from '../pki/index.js';
import { GrpcMemberStream } from './grpc-member-stream.js';

/** How long a new stream may take to say Hello. */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** How long `stop()` waits for calls to finish before cutting them. */
export const DEFAULT_STOP_GRACE_MS = 5_000;
/** Server keepalive: ping an idle member connection this often, so a dead member is noticed. */
export const KEEPALIVE_TIME_MS = 20_000;
/** Server keepalive: a ping unanswered this long closes the connection. */
export const KEEPALIVE_TIMEOUT_MS = 10_000;

/** A host and port to listen on; port 0 picks a free one. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Options of `MemberServer`. */
export interface MemberServerOptions {
  pki: GatewayPki;
  store: Store;
  /** Receives every accepted member stream. */
  handler: MemberStreamHandler;
  joinListen: ListenAddress;
  memberListen: ListenAddress;
  logger?: Logger;
  clock?: Clock;
  /** Serves Register; a `RegisterHandler` over `store` and `pki` by default. */
  register?: Pick<RegisterHandler, 'handle'>;
  helloTimeoutMs?: number;
  stopGraceMs?: number;
  /** The member address Register tells members to connect to; the bound member address by default. */
  advertiseMemberAddress?: string;
}

/** Bound ports of a started server. */
export interface BoundPorts {
  join: number;
  member: number;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, creds, (err, port) => (err ? reject(err) : resolve(port))));
}

/** The join and member gRPC servers of the gateway. */
export class MemberServer {
  private joinServer: Server | undefined;
  private memberServer: Server | undefined;
  private ports: BoundPorts | undefined;
  private readonly streams = new Map<string, GrpcMemberStream>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly register: Pick<RegisterHandler, 'handle'>;
  private stopping = false;

  constructor(private readonly options: MemberServerOptions) {
    this.logger = options.logger ?? stderrLogger;
    this.clock = options.clock ?? systemClock;
    this.register = options.register ?? new RegisterHandler({ store: options.store, pki: options.pki });
  }

  /** `host:port` of the join port (after `start`). */
  get joinAddress(): string {
    if (!this.ports) throw new Error('MemberServer is not started');
    return hostPort(this.options.joinListen.host, this.ports.join);
  }

  /** `host:port` of the member port (after `start`). */
  get memberAddress(): string {
    if (!this.ports) throw new Error('MemberServer is not started');
    return hostPort(this.options.memberListen.host, this.ports.member);
  }

  /** Clusters with an accepted stream right now. */
  connectedClusters(): string[] {
    return [...this.streams.keys()].sort();
  }

  /** Binds both ports and starts serving; returns the bound ports. */
  async start(): Promise<BoundPorts> {
    if (this.ports) return this.ports;
    const { pki } = this.options;
    const keyCertPairs = [{ cert_chain: Buffer.from(pki.serverChainPem), private_key: Buffer.from(pki.serverKeyPem) }];
    const serverOptions = { 'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS, 'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS };

    const join = new Server(serverOptions);
    join.addService(federationService, {
      register: (call: ServerUnaryCall<RegisterRequest, RegisterResponse>, callback: sendUnaryData<RegisterResponse>) => this.handleRegister(call, callback),
      connect: (call: ServerDuplexStream<MemberMessage, GatewayMessage>) =>
        refuseCall(call, new StatusError(StatusReason.Unauthorized, 'Connect needs a client certificate: dial the member port, not the join port')),
    });
    const member = new Server(serverOptions);
    member.addService(federationService, {
      register: (_call: ServerUnaryCall<RegisterRequest, RegisterResponse>, callback: sendUnaryData<RegisterResponse>) =>
        callback(toGrpcStatus(new StatusError(StatusReason.MethodNotAllowed, 'Register is served on the join port'))),
      connect: (call: ServerDuplexStream<MemberMessage, GatewayMessage>) => void this.handleConnect(call),
    });
    try {
      const joinPort = await bind(join, hostPort(this.options.joinListen.host, this.options.joinListen.port), ServerCredentials.createSsl(null, keyCertPairs, false));
      const memberPort = await bind(
        member,
        hostPort(this.options.memberListen.host, this.options.memberListen.port),
        ServerCredentials.createSsl(Buffer.from(pki.caPem), keyCertPairs, true),
      );
      this.joinServer = join;
      this.memberServer = member;
      this.ports = { join: joinPort, member: memberPort };
    } catch (err) {
      join.forceShutdown();
      member.forceShutdown();
      throw err;
    }
    this.stopping = false;
    this.logger.info({ join: this.joinAddress, member: this.memberAddress }, 'member server listening');
    return this.ports;
  }

  /**
   * Closes every member stream (UNAVAILABLE: members reconnect elsewhere or later), then
   * shuts both servers down, waiting up to the grace period before cutting connections.
   */
  async stop(): Promise<void> {
    const servers = [this.joinServer, this.memberServer].filter((s): s is Server => s !== undefined);
    this.joinServer = undefined;
    this.memberServer = undefined;
    this.ports = undefined;
    this.stopping = true;
    for (const stream of [...this.streams.values()]) stream.close(new StatusError(StatusReason.ServiceUnavailable, 'the gateway is shutting down'));
    this.streams.clear();
    const grace = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            const timer = this.clock.setTimeout(() => {
              server.forceShutdown();
              resolve();
            }, grace);
            server.tryShutdown(() => {
              this.clock.clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }

  /** Closes the stream of `cluster`, if any (the cluster was unjoined). */
  disconnect(cluster: string, reason = `cluster ${cluster} was unjoined`): void {
    this.streams.get(cluster)?.close(new StatusError(StatusReason.Forbidden, reason));
  }

  private handleRegister(call: ServerUnaryCall<RegisterRequest, RegisterResponse>, callback: sendUnaryData<RegisterResponse>): void {
    const name = call.request.clusterName;
    this.register.handle(call.request).then(
      (res) => {
        this.logger.info({ cluster: name, peer: call.getPeer() }, 'member registered');
        const memberAddress = res.memberAddress || this.options.advertiseMemberAddress || this.memberAddress;
        callback(null, { ...res, memberAddress } as RegisterResponse);
      },
      (err: unknown) => {
        const status = toGrpcStatus(err);
        this.logger.warn({ cluster: name, peer: call.getPeer(), code: status.code, err: status.details }, 'register refused');
        callback(status);
      },
    );
  }

  private async handleConnect(call: ServerDuplexStream<MemberMessage, GatewayMessage>): Promise<void> {
    const peer = call.getPeer();
    const cluster = this.options.pki.clusterNameOf(call.getAuthContext().sslPeerCertificate);
    if (!cluster) {
      this.logger.warn({ peer }, 'connect refused: no valid member certificate');
      refuseCall(call, new StatusError(StatusReason.Unauthorized, 'a member client certificate issued by this gateway is required'));
      return;
    }
    const stream = new GrpcMemberStream(cluster, call);
    try {
      const hello = await this.awaitHello(stream);
      const certificate = call.getAuthContext().sslPeerCertificate?.raw;
      await this.checkJoined(cluster, certificate);
      if (stream.isClosed) return;
      if (this.stopping) throw new StatusError(StatusReason.ServiceUnavailable, 'the gateway is shutting down');
      stream.hello = hello;
    } catch (err) {
      const status = toGrpcStatus(err);
      this.logger.warn({ cluster, peer, code: status.code, err: status.details }, 'connect refused');
      stream.close(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const previous = this.streams.get(cluster);
    this.streams.set(cluster, stream);
    stream.onClose((err) => {
      if (this.streams.get(cluster) === stream) this.streams.delete(cluster);
      this.logger.info({ cluster, peer, err: err?.message }, 'member stream closed');
    });
    previous?.close(new StatusError(StatusReason.Conflict, `replaced by a newer stream of cluster ${cluster}`));
    // Headers now: the member learns the gateway accepted its Hello before any work arrives.
    call.sendMetadata(new Metadata());
    this.logger.info({ cluster, peer }, 'member connected');
    this.options.handler.attach(stream);
  }

  private awaitHello(stream: GrpcMemberStream): Promise<fedgate.v1.IHello> {
    const timeoutMs = this.options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(
        () => reject(new StatusError(StatusReason.Timeout, `no Hello within ${timeoutMs} ms`)),
        timeoutMs,
      );
      stream.firstMessage().then(
        (first) => {
          this.clock.clearTimeout(timer);
          if (first.body !== 'hello' || !first.hello) {
            reject(new StatusError(StatusReason.BadRequest, `the first message must be Hello, got ${first.body ?? 'an empty message'}`));
            return;
          }
          const claimed = first.hello.clusterName ?? '';
          if (claimed !== stream.cluster) {
            reject(new StatusError(StatusReason.Forbidden, `certificate is for cluster ${stream.cluster}, not ${claimed}`));
            return;
          }
          resolve(first.hello);
        },
        (err: unknown) => {
          this.clock.clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  /** The cluster must still be joined, and by this very certificate (a later join replaces it). */
  private async checkJoined(cluster: string, certificate: Buffer | undefined): Promise<void> {
    const kv = await this.options.store.get(clusterKey(cluster));
    if (!kv) throw new StatusError(StatusReason.Forbidden, `cluster ${cluster} is not joined (no Cluster object); join it again`);
    const obj = JSON.parse(kv.value) as Cluster;
    const pinned = obj.metadata.annotations?.[CLIENT_CERTIFICATE_ANNOTATION];
    if (pinned && certificate && pinned !== certificateFingerprint(certificate)) {
      throw new StatusError(StatusReason.Forbidden, `this certificate of cluster ${cluster} was superseded by a later join`);
    }
  }
}

function refuseCall(call: ServerDuplexStream<MemberMessage, GatewayMessage>, err: StatusError): void {
  const status = toGrpcStatus(err);
  call.emit('error', { code: status.code, details: status.details, metadata: status.metadata });
}
