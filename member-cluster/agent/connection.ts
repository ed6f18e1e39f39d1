/**
 * The member's long-lived Connect stream to the gateway: dial the member port with mutual
 * TLS (the gateway's certificate verified against the CA from the join), say Hello, and
 * hand the stream to `onStream` once the gateway accepted it (its response headers arrive).
 * Any break — network, gateway restart — leads to Backoff and a new dial after an
 * exponentially growing, jittered delay (100 ms doubling to 5 s; reset once connected).
 * A refusal (PERMISSION_DENIED or UNAUTHENTICATED: the cluster was unjoined, the certificate
 * revoked or expired) is logged as an error saying what to do, and retried far less often
 * (5 s doubling to 5 min): only an operator can fix it.
 *
 * Certificate rotation (ADR 013): with credentials kept in a data directory, the connection
 * renews its certificate at 2/3 of its validity (`CertificateRenewer`), stores the new pair
 * there atomically, and moves to a channel with the new certificate make-before-break: a
 * second stream is opened and, once the gateway accepted it (which closes the old one), it
 * replaces the old stream. The cluster stays connected throughout.
 *
 * States (grpc-js connectivity-state style, guarded transitions):
 *   Idle → Connecting → Connected → Backoff → Connecting → …; any state → Stopped (final).
 * A switch of certificates happens inside Connected.
 */
import { credentials as grpcCredentials, status as GrpcStatus, type ClientDuplexStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { StatusError, StatusReason } from '../../apimachinery/index.js';
import { stderrLogger, systemClock, type Clock, type Logger, type RandomSource, type TimerHandle } from '../../controller/index.js';
import { FederationClient, GrpcMessageStream, type DuplexCall, type fedgate, type GatewayMessage, type MemberMessage } from '../../proto/index.js';
import { CertificateRenewer, requestRenewedCertificate } from './certificate-renewal.js';
import { certificateValidity, memberPkiPaths, saveRenewedCredentials, type CertificateValidity, type MemberCredentials } from './credentials.js';
import type { GatewayStream } from './gateway-stream.js';
import { statusFromGrpcError } from './join.js';

/** First reconnect delay. */
export const INITIAL_BACKOFF_MS = 100;
/** Longest reconnect delay. */
export const MAX_BACKOFF_MS = 5_000;
/** A delay is drawn from [d·(1−jitter), d]: members that lost the gateway together spread out. */
export const BACKOFF_JITTER = 0.2;
/** Client keepalive: ping the gateway this often so a dead connection is noticed. */
export const CLIENT_KEEPALIVE_TIME_MS = 20_000;
/** Client keepalive: an unanswered ping closes the connection after this long. */
export const CLIENT_KEEPALIVE_TIMEOUT_MS = 10_000;
/** First retry after the gateway refused this member (unjoined, revoked, expired). */
export const REFUSED_INITIAL_BACKOFF_MS = 5_000;
/** Longest wait between retries while the gateway keeps refusing this member. */
export const REFUSED_MAX_BACKOFF_MS = 5 * 60_000;

/** Where the connection is. */
export enum ConnectionState {
  Idle = 'Idle',
  Connecting = 'Connecting',
  Connected = 'Connected',
  Backoff = 'Backoff',
  Stopped = 'Stopped',
}

/** Allowed transitions; anything else is a programming error. */
const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  [ConnectionState.Idle]: [ConnectionState.Connecting, ConnectionState.Stopped],
  [ConnectionState.Connecting]: [ConnectionState.Connected, ConnectionState.Backoff, ConnectionState.Stopped],
  [ConnectionState.Connected]: [ConnectionState.Backoff, ConnectionState.Stopped],
  [ConnectionState.Backoff]: [ConnectionState.Connecting, ConnectionState.Stopped],
  [ConnectionState.Stopped]: [],
};

/** True when the state machine allows `from → to`. */
export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Delay before reconnect attempt `failures` (0-based count of consecutive failures). */
export function backoffDelay(failures: number, random: RandomSource, initialMs = INITIAL_BACKOFF_MS, maxMs = MAX_BACKOFF_MS, jitter = BACKOFF_JITTER): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30));
  return base * (1 - jitter * random());
}

/** Options of `GatewayConnection`. */
export interface GatewayConnectionOptions {
  /** `host:port` of the gateway's member port. */
  memberAddress: string;
  clusterName: string;
  credentials: MemberCredentials;
  /** Called with each stream the gateway accepted; the previous one has closed by then. */
  onStream: (stream: GatewayStream) => void;
  logger?: Logger;
  clock?: Clock;
  random?: RandomSource;
  /** Sent in Hello: the last sequence number applied (0 when unknown: a full resync follows anyway). */
  lastAppliedSeq?: () => number;
  /** Sent in Hello. */
  version?: string;
  /** Sent in Hello: the member's local API and the PEM CA bundle of its serving certificate (the gateway records them on the Cluster). */
  api?: { endpoint: string; caBundle?: string };
  /** Name to verify the gateway certificate against, when it differs from the dialled host. */
  serverName?: string;
  /** Observes every state change. */
  onStateChange?: (state: ConnectionState, previous: ConnectionState) => void;
  /**
   * Renew the certificate in band before it expires (default: on when `credentials.dataDir`
   * is set, where renewed certificates are stored; a renewal kept only in memory would be
   * lost, with the cluster's access, on restart).
   */
  rotateCertificate?: boolean;
  /** Renewal point as a fraction of the certificate's validity (default 2/3). */
  renewAtFraction?: number;
  /** Called after each renewal was stored, with the new certificate's validity. */
  onCertificateRenewed?: (validity: CertificateValidity) => void;
}

/** True for the gateway's refusals that only an operator can lift (revoked, unjoined, expired). */
export function isRefusal(err: Error | undefined): boolean {
  return err instanceof StatusError && (err.reason === StatusReason.Forbidden || err.reason === StatusReason.Unauthorized);
}

/**
 * A grpc-js client Connect call as a `GatewayStream`: messages are kept until a listener is
 * set, `send` passes write() backpressure through, `onClose` runs once.
 */
export class GrpcGatewayStream extends GrpcMessageStream<GatewayMessage, MemberMessage> implements GatewayStream {
  constructor(
    private readonly clientCall: ClientDuplexStream<MemberMessage, GatewayMessage>,
    address: string,
  ) {
    super(clientCall as unknown as DuplexCall<MemberMessage>);
    clientCall.on('error', (err: ServiceError) => this.finish(statusFromGrpcError(err, address)));
    clientCall.on('status', (s: StatusObject) => {
      if (s.code === GrpcStatus.OK) this.finish(undefined);
    });
    clientCall.on('end', () => this.finish(undefined));
  }

  override send(message: fedgate.v1.IMemberMessage): boolean {
    return super.send(message as MemberMessage);
  }

  close(): void {
    this.finish(undefined, () => this.clientCall.cancel());
  }
}

/** Keeps one Connect stream to the gateway up, reconnecting with backoff and renewing its certificate. */
export class GatewayConnection {
  private stateValue = ConnectionState.Idle;
  private client: InstanceType<typeof FederationClient> | undefined;
  private current: GrpcGatewayStream | undefined;
  /** A stream on a newer certificate, opened while `current` still serves (make-before-break). */
  private next: GrpcGatewayStream | undefined;
  private timer: TimerHandle | undefined;
  private failures = 0;
  private creds: MemberCredentials;
  private renewer: CertificateRenewer | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: RandomSource;

  constructor(private readonly options: GatewayConnectionOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.creds = options.credentials;
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Consecutive failed attempts since the last accepted stream. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The credentials in use (renewed ones once a renewal succeeded). */
  get credentials(): Readonly<MemberCredentials> {
    return this.creds;
  }

  /** Starts dialling (and the renewal schedule). */
  start(): void {
    if (this.stateValue !== ConnectionState.Idle) return;
    const rotate = this.options.rotateCertificate ?? this.creds.dataDir !== undefined;
    if (rotate && !this.creds.dataDir) throw new Error('certificate rotation needs credentials loaded from a data directory (loadMemberCredentials)');
    this.client = this.newClient(this.creds);
    if (rotate) {
      this.renewer = new CertificateRenewer({
        clock: this.clock,
        logger: this.logger,
        clusterName: this.options.clusterName,
        renewAtFraction: this.options.renewAtFraction,
        renew: () => this.renewCertificate(),
      });
      this.renewer.start(certificateValidity(this.creds.certPem));
    }
    this.dial();
  }

  /** Closes the stream and stops reconnecting and renewing; final. */
  stop(): void {
    if (this.stateValue === ConnectionState.Stopped) return;
    this.transition(ConnectionState.Stopped);
    this.renewer?.stop();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.next?.close();
    this.next = undefined;
    this.current?.close();
    this.current = undefined;
    this.client?.close();
    this.client = undefined;
  }

  /** Resolves when no certificate renewal is running. */
  async renewalIdle(): Promise<void> {
    await this.renewer?.idle();
  }

  private newClient(creds: MemberCredentials): InstanceType<typeof FederationClient> {
    const channelOptions: Record<string, string | number> = {
      'grpc.keepalive_time_ms': CLIENT_KEEPALIVE_TIME_MS,
      'grpc.keepalive_timeout_ms': CLIENT_KEEPALIVE_TIMEOUT_MS,
      // The channel's own reconnect backoff stays short: ours paces the attempts.
      'grpc.initial_reconnect_backoff_ms': INITIAL_BACKOFF_MS,
      'grpc.max_reconnect_backoff_ms': MAX_BACKOFF_MS,
    };
    if (this.options.serverName) channelOptions['grpc.ssl_target_name_override'] = this.options.serverName;
    return new FederationClient(
      this.options.memberAddress,
      grpcCredentials.createSsl(Buffer.from(creds.caPem), Buffer.from(creds.keyPem), Buffer.from(creds.certPem)),
      channelOptions,
    );
  }

  private transition(to: ConnectionState): void {
    const from = this.stateValue;
    if (!canTransition(from, to)) throw new Error(`gateway connection: illegal transition ${from} → ${to}`);
    this.stateValue = to;
    this.options.onStateChange?.(to, from);
  }

  /** Opens a Connect stream on `client` and says Hello; closes `client` when the stream ends on a retired channel. */
  private open(client: InstanceType<typeof FederationClient>): GrpcGatewayStream {
    const call = (client['connect'] as () => ClientDuplexStream<MemberMessage, GatewayMessage>).call(client);
    const stream = new GrpcGatewayStream(call, this.options.memberAddress);
    call.on('metadata', () => this.accepted(stream, client));
    stream.onClose((err) => {
      if (client !== this.client) client.close();
      this.ended(stream, err);
    });
    stream.send({
      hello: {
        clusterName: this.options.clusterName,
        lastAppliedSeq: this.options.lastAppliedSeq?.() ?? 0,
        version: this.options.version ?? '',
        apiEndpoint: this.options.api?.endpoint ?? '',
        apiCaBundle: this.options.api?.caBundle ?? '',
      },
    });
    return stream;
  }

  private dial(): void {
    const client = this.client;
    if (!client) return;
    this.transition(ConnectionState.Connecting);
    this.current = this.open(client);
  }

  /** The gateway took `stream` (its response headers arrived). */
  private accepted(stream: GrpcGatewayStream, client: InstanceType<typeof FederationClient>): void {
    if (stream.isClosed || this.stateValue === ConnectionState.Stopped) return;
    if (stream === this.next) {
      // The switch to the renewed certificate is done; the gateway closes the old stream.
      const old = this.current;
      this.next = undefined;
      this.current = stream;
      this.failures = 0;
      old?.close();
      this.logger.info({ gateway: this.options.memberAddress, cluster: this.options.clusterName, serial: certificateValidity(this.creds.certPem).serial }, 'connected to the gateway with the renewed certificate');
      this.options.onStream(stream);
      // Renewed again while this switch was under way: move on to the newest.
      if (client !== this.client) this.switchStream();
      return;
    }
    if (this.current !== stream || this.stateValue !== ConnectionState.Connecting) return;
    this.transition(ConnectionState.Connected);
    this.failures = 0;
    this.logger.info({ gateway: this.options.memberAddress, cluster: this.options.clusterName }, 'connected to the gateway');
    this.options.onStream(stream);
    // Dialled on a channel whose certificate was renewed meanwhile: move over at once.
    if (client !== this.client) this.switchStream();
  }

  private ended(stream: GrpcGatewayStream, err: Error | undefined): void {
    if (this.stateValue === ConnectionState.Stopped) return;
    if (stream === this.next) {
      this.next = undefined;
      if (this.current === undefined) this.scheduleReconnect(err);
      else this.logger.warn({ cluster: this.options.clusterName, err: err?.message }, 'the stream with the renewed certificate was not accepted; the next reconnect uses it');
      return;
    }
    if (this.current !== stream) return;
    this.current = undefined;
    // Replaced by the pending switch (the gateway keeps one stream per cluster): wait for it.
    if (this.next) return;
    this.scheduleReconnect(err);
  }

  /** Opens a stream on the current channel beside the serving one (make-before-break). */
  private switchStream(): void {
    if (!this.client || this.next || this.stateValue !== ConnectionState.Connected) return;
    this.next = this.open(this.client);
  }

  /** One renewal: request, store in the data directory, use. */
  private async renewCertificate(): Promise<CertificateValidity> {
    const client = this.client;
    const dataDir = this.creds.dataDir;
    if (!client || !dataDir) throw new Error('the connection is stopped');
    const renewed = await requestRenewedCertificate(client, this.creds, this.options.memberAddress);
    // Stored even when the connection stopped meanwhile: the gateway already made it current.
    saveRenewedCredentials(dataDir, renewed.keyPem, renewed.certPem);
    const validity = certificateValidity(renewed.certPem);
    this.logger.info(
      { cluster: this.options.clusterName, serial: validity.serial, notAfter: new Date(validity.notAfter).toISOString(), stored: memberPkiPaths(dataDir).cert },
      'member certificate renewed',
    );
    this.creds = { ...this.creds, keyPem: renewed.keyPem, certPem: renewed.certPem };
    if (this.stateValue === ConnectionState.Stopped) return validity;
    const old = client;
    this.client = this.newClient(this.creds);
    if (this.stateValue === ConnectionState.Connected) this.switchStream();
    // No stream runs on the old channel in Backoff; one that does closes it when it ends.
    else if (this.stateValue === ConnectionState.Backoff) old.close();
    this.options.onCertificateRenewed?.(validity);
    return validity;
  }

  private scheduleReconnect(err: Error | undefined): void {
    this.transition(ConnectionState.Backoff);
    const expired = this.clock.now() >= certificateValidity(this.creds.certPem).notAfter;
    const refused = expired || isRefusal(err);
    const delay = refused ? backoffDelay(this.failures, this.random, REFUSED_INITIAL_BACKOFF_MS, REFUSED_MAX_BACKOFF_MS) : backoffDelay(this.failures, this.random);
    this.failures++;
    const fields = { gateway: this.options.memberAddress, cluster: this.options.clusterName, err: err?.message ?? 'stream ended', retryInMs: Math.round(delay) };
    if (refused) {
      const pki = this.creds.dataDir ? memberPkiPaths(this.creds.dataDir).dir : 'the member pki directory';
      this.logger.error(
        { ...fields, expired },
        `the gateway refused this member: it was unjoined, or its certificate was revoked or has expired. ` +
          `To come back, remove ${pki} and join again with a new bootstrap token; retrying rarely until then`,
      );
    } else {
      this.logger.warn(fields, 'gateway stream closed; reconnecting');
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stateValue === ConnectionState.Backoff) this.dial();
    }, delay);
  }
}
