/**
 * The dispatcher: receives every authenticated member stream (`MemberStreamHandler`) and
 * runs one `MemberSession` per cluster. Sessions are keyed by the stream's authenticated
 * cluster (its certificate's), so a member only ever gets its own cluster's work. A newer
 * stream of the same cluster replaces the older one. Streams of clusters that are not (or
 * no longer) joined are refused: resyncing them against an empty desired set would prune
 * everything they run. An unjoin closes the cluster's stream with PERMISSION_DENIED.
 */
import { StatusError, StatusReason } from '../../apimachinery/index.js';
import { systemClock, silentLogger, type Clock, type Logger } from '../../controller/index.js';
import type { MemberStream, MemberStreamHandler } from '../member-stream.js';
import type { DesiredState } from './desired-state.js';
import { DEFAULT_PURGE_DEADLINE_MS, MemberSession, SessionState, type MemberSessionEvents } from './member-session.js';

/** Options of a Dispatcher. */
export interface DispatcherOptions {
  desired: DesiredState;
  clock?: Clock;
  logger?: Logger;
  /** Whether `cluster` is joined (a Cluster object exists); other streams are closed. Default: all are. */
  isJoined?: (cluster: string) => boolean;
  /** Resolves when the desired state is complete; a resync waits for it. */
  ready?: () => Promise<void>;
  pingIntervalMs?: number;
  events?: MemberSessionEvents;
}

/** Runs one member session per connected cluster. */
export class Dispatcher implements MemberStreamHandler {
  private readonly options: DispatcherOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly sessions = new Map<string, MemberSession>();
  /** Epochs are unique per process; seeded from the clock so a restarted gateway does not repeat recent ones. */
  private epoch: number;
  private stopped = false;
  /** The desired state was complete once (the cluster list is trustworthy from then on). */
  private isReady: boolean;

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.epoch = Math.floor(this.clock.now() / 1000) % 0x7fffffff;
    this.isReady = options.ready === undefined;
  }

  /** Takes a member's stream; the member's Hello starts its resync. */
  attach(stream: MemberStream): void {
    if (this.stopped) {
      stream.close(new Error('the gateway is shutting down'));
      return;
    }
    // Before the desired state is complete the cluster list may be too: the check runs again
    // before the resync (see `admitted`).
    if (this.isReady && this.options.isJoined && !this.options.isJoined(stream.cluster)) {
      this.logger.warn({ cluster: stream.cluster }, 'refusing the stream of a cluster that is not joined');
      stream.close(new StatusError(StatusReason.Forbidden, `cluster ${stream.cluster} is not joined`));
      return;
    }
    const old = this.sessions.get(stream.cluster);
    const events = this.options.events ?? {};
    this.epoch = (this.epoch + 1) >>> 0 || 1;
    const session = new MemberSession({
      stream,
      desired: this.options.desired,
      clock: this.clock,
      logger: this.logger,
      epoch: this.epoch,
      ready: () => this.admitted(stream.cluster),
      pingIntervalMs: this.options.pingIntervalMs,
      events: {
        ...events,
        onHello: (cluster, hello) => {
          if (this.sessions.get(cluster) === session) events.onHello?.(cluster, hello);
        },
        onClosed: (cluster, err) => {
          // A stream replaced by a newer one of the same cluster is no news about the cluster.
          if (this.sessions.get(cluster) !== session) return;
          this.sessions.delete(cluster);
          events.onClosed?.(cluster, err);
        },
      },
    });
    this.sessions.set(stream.cluster, session);
    if (old) old.close(new StatusError(StatusReason.Conflict, `replaced by a newer stream of cluster ${stream.cluster}`));
    session.start();
  }

  /** Resolves when the desired state is complete and `cluster` is joined; rejects otherwise. */
  private async admitted(cluster: string): Promise<void> {
    await this.options.ready?.();
    this.isReady = true;
    if (this.options.isJoined && !this.options.isJoined(cluster)) throw new StatusError(StatusReason.Forbidden, `cluster ${cluster} is not joined`);
  }

  /** The live session of `cluster`, if connected. */
  session(cluster: string): MemberSession | undefined {
    return this.sessions.get(cluster);
  }

  /** Clusters with an open stream. */
  connected(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * Ends a cluster's membership here. Orphan (default): close its stream, send nothing, so
   * its workloads keep running. Purge: Delete every managed object first (best effort within
   * `deadlineMs`), then close.
   */
  async unjoin(cluster: string, opts: { purge?: boolean; deadlineMs?: number } = {}): Promise<void> {
    const session = this.sessions.get(cluster);
    if (!session) return;
    // The member learns it was removed (PERMISSION_DENIED), not that something broke.
    const removed = new StatusError(StatusReason.Forbidden, `cluster ${cluster} was unjoined; its member certificates are revoked`);
    if (opts.purge && session.state !== SessionState.Closed) {
      await session.purge(opts.deadlineMs ?? DEFAULT_PURGE_DEADLINE_MS, removed);
    } else {
      session.close(removed);
    }
    this.sessions.delete(cluster);
  }

  /** Closes every stream (members keep their workloads and reconnect elsewhere or later). */
  stop(): void {
    this.stopped = true;
    for (const session of [...this.sessions.values()]) session.close(new Error('the gateway is shutting down'));
    this.sessions.clear();
  }
}
