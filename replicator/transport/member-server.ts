/**
 * The gRPC side of the gateway that members dial, on two ports:
 *
 * - the join port, server-authenticated TLS: `Register` only (a new member has no client
 *   certificate yet; it proves itself with a bootstrap token);
 * - the member port, mutual TLS: `Connect` and `Renew`. The cluster is the client
 *   certificate's CN (checked again by `memberCertificateOf`: our CA, valid now, clientAuth,
 *   `O=fedgate:members`) and nothing else: a Hello naming another cluster, or a renewal CSR
 *   naming one, is refused with PERMISSION_DENIED. The cluster must still be joined and
 *   accept this very certificate (its `Cluster` records the current one, and the previous
 *   one during a rotation; `../join/cluster-certificates.ts`).
 *
 * An accepted stream gets response headers at once (the member's signal that the gateway
 * took it), then goes to `handler.attach(stream)`; the Hello is the first message its
 * `onMessage` handler receives (and is on `stream.hello`). One stream per cluster: a newer
 * accepted stream closes the older one (ABORTED). A stream opened with the cluster's current
 * certificate retires the previous one; a stream is closed (UNAUTHENTICATED) when the
 * certificate it was opened with expires, since TLS checks it only at the handshake.
 */
import { Metadata, Server, ServerCredentials, type ServerDuplexStream, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { StatusError, StatusReason, toGrpcStatus } from '../../apimachinery/index.js';
import { stderrLogger, systemClock, type Clock, type Logger, type TimerHandle } from '../../controller/index.js';
import {
  federationService,
  type fedgate,
  type GatewayMessage,
  type MemberMessage,
  type RegisterRequest,
  type RegisterResponse,
  type RenewRequest,
  type RenewResponse,
} from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { checkMemberCertificate, recordMemberApi, RegisterHandler, RenewHandler, retirePreviousCertificate, type CertificateStanding } from '../join/index.js';
import type { MemberStreamHandler } from '../member-stream.js';
import { certificateSerial, MIN_MEMBER_CERTIFICATE_LIFETIME_MS, type GatewayPki, type MemberCertificate } from '../pki/index.js';
import { GrpcMemberStream } from './grpc-member-stream.js';

/** How long a new stream may take to say Hello. */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** How long `stop()` waits for calls to finish before cutting them. */
export const DEFAULT_STOP_GRACE_MS = 5_000;
/** Server keepalive: ping an idle member connection this often, so a dead member is noticed. */
export const KEEPALIVE_TIME_MS = 20_000;
/** Server keepalive: a ping unanswered this long closes the connection. */
export const KEEPALIVE_TIMEOUT_MS = 10_000;
/** Longest delay a Node timer takes (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  /** Serves Renew for authenticated members; a `RenewHandler` over `store` and `pki` by default. */
  renew?: Pick<RenewHandler, 'handle'>;
  /** Lifetime of member certificates issued by Register and Renew, ms (default 30 days). */
  memberCertificateLifetimeMs?: number;
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
  private readonly renew: Pick<RenewHandler, 'handle'>;
  private stopping = false;

  constructor(private readonly options: MemberServerOptions) {
    this.logger = options.logger ?? stderrLogger;
    this.clock = options.clock ?? systemClock;
    const lifetimeMs = options.memberCertificateLifetimeMs;
    if (lifetimeMs !== undefined && !(Number.isFinite(lifetimeMs) && lifetimeMs >= MIN_MEMBER_CERTIFICATE_LIFETIME_MS)) {
      throw new RangeError(`memberCertificateLifetimeMs must be at least ${MIN_MEMBER_CERTIFICATE_LIFETIME_MS} ms, got ${lifetimeMs}`);
    }
    const lifetime = { memberCertificateLifetimeMs: lifetimeMs };
    this.register = options.register ?? new RegisterHandler({ store: options.store, pki: options.pki, ...lifetime });
    this.renew = options.renew ?? new RenewHandler({ store: options.store, pki: options.pki, ...lifetime });
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

  /** The certificate the accepted stream of `cluster` was opened with, if connected. */
  connectedCertificate(cluster: string): Readonly<MemberCertificate> | undefined {
    return this.streams.get(cluster)?.certificate;
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
      renew: (_call: ServerUnaryCall<RenewRequest, RenewResponse>, callback: sendUnaryData<RenewResponse>) =>
        callback(toGrpcStatus(new StatusError(StatusReason.Unauthorized, 'Renew needs the member certificate: call it on the member port, not the join port'))),
    });
    const member = new Server(serverOptions);
    member.addService(federationService, {
      register: (_call: ServerUnaryCall<RegisterRequest, RegisterResponse>, callback: sendUnaryData<RegisterResponse>) =>
        callback(toGrpcStatus(new StatusError(StatusReason.MethodNotAllowed, 'Register is served on the join port'))),
      connect: (call: ServerDuplexStream<MemberMessage, GatewayMessage>) => void this.handleConnect(call),
      renew: (call: ServerUnaryCall<RenewRequest, RenewResponse>, callback: sendUnaryData<RenewResponse>) => this.handleRenew(call, callback),
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

  private handleRenew(call: ServerUnaryCall<RenewRequest, RenewResponse>, callback: sendUnaryData<RenewResponse>): void {
    const peer = call.getPeer();
    const identity = this.options.pki.memberCertificateOf(call.getAuthContext().sslPeerCertificate);
    if (!identity) {
      this.logger.warn({ peer }, 'renew refused: no valid member certificate');
      callback(toGrpcStatus(new StatusError(StatusReason.Unauthorized, 'a member client certificate issued by this gateway is required')));
      return;
    }
    const { cluster, serial } = identity;
    this.renew.handle(identity, call.request).then(
      (res) => {
        this.logger.info({ cluster, peer, serial, renewedSerial: certificateSerial(res.certificatePem ?? '') }, 'member certificate renewed');
        callback(null, res as RenewResponse);
      },
      (err: unknown) => {
        const status = toGrpcStatus(err);
        this.logger.warn({ cluster, peer, serial, code: status.code, err: status.details }, 'renew refused');
        callback(status);
      },
    );
  }

  private async handleConnect(call: ServerDuplexStream<MemberMessage, GatewayMessage>): Promise<void> {
    const peer = call.getPeer();
    const certificate = this.options.pki.memberCertificateOf(call.getAuthContext().sslPeerCertificate);
    if (!certificate) {
      this.logger.warn({ peer }, 'connect refused: no valid member certificate');
      refuseCall(call, new StatusError(StatusReason.Unauthorized, 'a member client certificate issued by this gateway is required'));
      return;
    }
    const { cluster, serial } = certificate;
    const stream = new GrpcMemberStream(cluster, call, certificate);
    let standing: CertificateStanding;
    try {
      const hello = await this.awaitHello(stream);
      standing = await checkMemberCertificate(this.options.store, cluster, certificate.fingerprint);
      if (stream.isClosed) return;
      if (this.stopping) throw new StatusError(StatusReason.ServiceUnavailable, 'the gateway is shutting down');
      stream.hello = hello;
    } catch (err) {
      const status = toGrpcStatus(err);
      this.logger.warn({ cluster, peer, serial, code: status.code, err: status.details }, 'connect refused');
      stream.close(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const replaced = this.streams.get(cluster);
    this.streams.set(cluster, stream);
    let expiry: { cancel(): void } | undefined;
    stream.onClose((err) => {
      expiry?.cancel();
      if (this.streams.get(cluster) === stream) this.streams.delete(cluster);
      this.logger.info({ cluster, peer, err: err?.message }, 'member stream closed');
    });
    expiry = this.closeAtExpiry(stream);
    // Headers now: the member learns the gateway accepted its Hello before any work arrives.
    call.sendMetadata(new Metadata());
    this.logger.info({ cluster, peer, serial, certificate: standing }, 'member connected');
    if (standing === 'current') {
      // The member holds its current certificate: the one it renewed with is done.
      retirePreviousCertificate(this.options.store, cluster, certificate.fingerprint).then(
        (retired) => retired && this.logger.info({ cluster, current: serial }, 'previous member certificate retired'),
        (err: unknown) => this.logger.warn({ cluster, err }, 'retiring the previous member certificate failed; the next connect retries'),
      );
    }
    // Its local API as it reports it now (a new port, a rotated CA): what clusters/proxy dials.
    recordMemberApi(this.options.store, cluster, stream.hello ?? {}).then(
      (updated) => updated && this.logger.info({ cluster, apiEndpoint: stream.hello?.apiEndpoint }, 'member API recorded on its Cluster'),
      (err: unknown) => this.logger.warn({ cluster, err }, 'the member reported an API that cannot be recorded; its Cluster keeps the previous one'),
    );
    // The handler takes the new stream before the old one closes, so the switch is no news
    // about the cluster (a certificate rotation does not make it NotReady).
    this.options.handler.attach(stream);
    replaced?.close(new StatusError(StatusReason.Conflict, `replaced by a newer stream of cluster ${cluster}`));
  }

  /** Closes `stream` when its certificate expires; long waits are re-armed in steps. */
  private closeAtExpiry(stream: GrpcMemberStream): { cancel(): void } {
    let timer: TimerHandle | undefined;
    const arm = (): void => {
      const left = stream.certificate.notAfter - this.clock.now();
      if (left <= 0) {
        timer = undefined;
        stream.close(new StatusError(StatusReason.Unauthorized, `the member certificate of cluster ${stream.cluster} expired; the member must renew before expiry or join again`));
        return;
      }
      timer = this.clock.setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
    return {
      cancel: () => {
        if (timer !== undefined) this.clock.clearTimeout(timer);
        timer = undefined;
      },
    };
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

}

function refuseCall(call: ServerDuplexStream<MemberMessage, GatewayMessage>, err: StatusError): void {
  const status = toGrpcStatus(err);
  call.emit('error', { code: status.code, details: status.details, metadata: status.metadata });
}
