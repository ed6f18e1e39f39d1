/**
 * The member's long-lived Connect stream to the gateway: dial the member port with mutual
 * TLS (the gateway's certificate verified against the CA from the join), say Hello, and
 * hand the stream to `onStream` once the gateway accepted it (its response headers arrive).
 * Any break — refusal, network, gateway restart — leads to Backoff and a new dial after an
 * exponentially growing, jittered delay (100 ms doubling to 5 s; reset once connected).
 *
 * States (grpc-js connectivity-state style, guarded transitions):
 *   Idle → Connecting → Connected → Backoff → Connecting → …; any state → Stopped (final).
 */
import { credentials as grpcCredentials, status as GrpcStatus, type ClientDuplexStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { stderrLogger, systemClock, type Clock, type Logger, type RandomSource, type TimerHandle } from '../../controller/index.js';
import { FederationClient, GrpcMessageStream, type DuplexCall, type fedgate, type GatewayMessage, type MemberMessage } from '../../proto/index.js';
import type { MemberCredentials } from './credentials.js';
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
  /** Name to verify the gateway certificate against, when it differs from the dialled host. */
  serverName?: string;
  /** Observes every state change. */
  onStateChange?: (state: ConnectionState, previous: ConnectionState) => void;
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

/** Keeps one Connect stream to the gateway up, reconnecting with backoff. */
export class GatewayConnection {
  private stateValue = ConnectionState.Idle;
  private client: InstanceType<typeof FederationClient> | undefined;
  private current: GrpcGatewayStream | undefined;
  private timer: TimerHandle | undefined;
  private failures = 0;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: RandomSource;

  constructor(private readonly options: GatewayConnectionOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Consecutive failed attempts since the last accepted stream. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Starts dialling. */
  start(): void {
    if (this.stateValue !== ConnectionState.Idle) return;
    const { credentials: c, serverName } = this.options;
    const channelOptions: Record<string, string | number> = {
      'grpc.keepalive_time_ms': CLIENT_KEEPALIVE_TIME_MS,
      'grpc.keepalive_timeout_ms': CLIENT_KEEPALIVE_TIMEOUT_MS,
      // The channel's own reconnect backoff stays short: ours paces the attempts.
      'grpc.initial_reconnect_backoff_ms': INITIAL_BACKOFF_MS,
      'grpc.max_reconnect_backoff_ms': MAX_BACKOFF_MS,
    };
    if (serverName) channelOptions['grpc.ssl_target_name_override'] = serverName;
    this.client = new FederationClient(
      this.options.memberAddress,
      grpcCredentials.createSsl(Buffer.from(c.caPem), Buffer.from(c.keyPem), Buffer.from(c.certPem)),
      channelOptions,
    );
    this.dial();
  }

  /** Closes the stream and stops reconnecting; final. */
  stop(): void {
    if (this.stateValue === ConnectionState.Stopped) return;
    this.transition(ConnectionState.Stopped);
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.current?.close();
    this.current = undefined;
    this.client?.close();
    this.client = undefined;
  }

  private transition(to: ConnectionState): void {
    const from = this.stateValue;
    if (!canTransition(from, to)) throw new Error(`gateway connection: illegal transition ${from} → ${to}`);
    this.stateValue = to;
    this.options.onStateChange?.(to, from);
  }

  private dial(): void {
    const client = this.client;
    if (!client) return;
    this.transition(ConnectionState.Connecting);
    const call = (client['connect'] as () => ClientDuplexStream<MemberMessage, GatewayMessage>).call(client);
    const stream = new GrpcGatewayStream(call, this.options.memberAddress);
    this.current = stream;
    call.on('metadata', () => {
      if (this.current !== stream || this.stateValue !== ConnectionState.Connecting || stream.isClosed) return;
      this.transition(ConnectionState.Connected);
      this.failures = 0;
      this.logger.info({ gateway: this.options.memberAddress, cluster: this.options.clusterName }, 'connected to the gateway');
      this.options.onStream(stream);
    });
    stream.onClose((err) => {
      if (this.current !== stream || this.stateValue === ConnectionState.Stopped) return;
      this.current = undefined;
      this.scheduleReconnect(err);
    });
    stream.send({
      hello: {
        clusterName: this.options.clusterName,
        lastAppliedSeq: this.options.lastAppliedSeq?.() ?? 0,
        version: this.options.version ?? '',
      },
    });
  }

  private scheduleReconnect(err: Error | undefined): void {
    this.transition(ConnectionState.Backoff);
    const delay = backoffDelay(this.failures, this.random);
    this.failures++;
    this.logger.warn(
      { gateway: this.options.memberAddress, cluster: this.options.clusterName, err: err?.message ?? 'stream ended', retryInMs: Math.round(delay) },
      'gateway stream closed; reconnecting',
    );
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stateValue === ConnectionState.Backoff) this.dial();
    }, delay);
  }
}
