/**
 * Cluster health: turns each member's stream events and heartbeats into `Cluster.status`
 * (capacity, allocatable, available, nodes, per-service ready endpoints, last heartbeat and
 * the Ready condition) through one readiness state machine per cluster.
 *
 * Writes are rate-limited per cluster: at most one every `statusWriteIntervalMs` (default
 * 1 s), coalesced to the latest heartbeat, except that a readiness change is written at
 * once. Writes of one cluster never overlap.
 */
import {
  ClusterConditions,
  storeKey,
  type Cluster,
  type ClusterStatus,
  type FederationCondition,
  type ResourceInfo,
  type ResourceRegistry,
} from '../../apimachinery/index.js';
import { systemClock, silentLogger, type Clock, type Logger, type TimerHandle } from '../../controller/index.js';
import type { HeartbeatMessage } from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { writeObjectStatus } from '../status/status-write.js';
import { ClusterReadiness, Readiness, ReadinessReasons, type ReadinessOptions, type ReadinessTransition } from './readiness.js';

/** Default minimum time between two heartbeat-driven status writes of one cluster, ms. */
export const DEFAULT_STATUS_WRITE_INTERVAL_MS = 1_000;

/** Options of ClusterHealth. */
export interface ClusterHealthOptions {
  store: Store;
  registry: ResourceRegistry;
  clock?: Clock;
  logger?: Logger;
  readiness?: ReadinessOptions;
  statusWriteIntervalMs?: number;
  /** Called after every readiness transition (before it is written). */
  onReadinessChange?: (cluster: string, transition: ReadinessTransition) => void;
}

interface Tracked {
  readiness: ClusterReadiness;
  heartbeat?: HeartbeatMessage;
  connectedOnce: boolean;
  timeoutTimer?: TimerHandle;
  writeTimer?: TimerHandle;
  lastWriteAt: number;
  writing?: Promise<void>;
  /** A write was asked for while one was running (undefined: none; true: a readiness change). */
  again?: boolean;
}

/** Heartbeats → Cluster.status, with a readiness state machine per cluster. */
export class ClusterHealth {
  private readonly options: ClusterHealthOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly clusterResource: ResourceInfo;
  private readonly tracked = new Map<string, Tracked>();
  private readonly intervalMs: number;
  private stopped = false;

  constructor(options: ClusterHealthOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.intervalMs = options.statusWriteIntervalMs ?? DEFAULT_STATUS_WRITE_INTERVAL_MS;
    const r = options.registry.resolve('clusters.cluster.fedgate.io');
    if (!r) throw new Error('the registry has no clusters.cluster.fedgate.io');
    this.clusterResource = r;
  }

  /** Readiness of `cluster` as this gateway saw it (Unknown before anything was heard). */
  readiness(cluster: string): Readiness {
    return this.tracked.get(cluster)?.readiness.state ?? Readiness.Unknown;
  }

  /**
   * Starts tracking a joined cluster. One that does not connect within the heartbeat timeout
   * becomes NotReady (a gateway restart does not trust a stale Ready condition for long).
   */
  track(cluster: string): void {
    if (this.tracked.has(cluster) || this.stopped) return;
    const t = this.entry(cluster);
    const since = this.clock.now();
    const timeout = this.options.readiness?.heartbeatTimeoutMs ?? 1_500;
    t.timeoutTimer = this.clock.setTimeout(() => {
      t.timeoutTimer = undefined;
      this.apply(cluster, t.readiness.neverConnected(since, this.clock.now()));
    }, timeout);
  }

  /** Stops tracking a cluster that left (unjoined). */
  forget(cluster: string): void {
    const t = this.tracked.get(cluster);
    if (!t) return;
    this.clearTimers(t);
    this.tracked.delete(cluster);
  }

  /** The member's stream is up. */
  streamOpened(cluster: string): void {
    const t = this.entry(cluster);
    t.connectedOnce = true;
    this.apply(cluster, t.readiness.streamOpened(this.clock.now()));
    this.armTimeout(cluster, t);
  }

  /** The member's stream ended: NotReady at once. */
  streamClosed(cluster: string): void {
    const t = this.tracked.get(cluster);
    if (!t) return;
    this.apply(cluster, t.readiness.streamClosed(this.clock.now()));
    this.armTimeout(cluster, t);
  }

  /** A heartbeat arrived. */
  heartbeat(cluster: string, hb: HeartbeatMessage): void {
    const t = this.entry(cluster);
    t.heartbeat = hb;
    const transition = t.readiness.heartbeat(this.clock.now());
    this.armTimeout(cluster, t);
    if (transition) this.apply(cluster, transition);
    else this.requestWrite(cluster, t, false);
  }

  /** Waits until no status write is running or due (tests and shutdown). */
  async flush(): Promise<void> {
    for (const [cluster, t] of this.tracked) {
      for (;;) {
        if (t.writing) await t.writing;
        else if (t.writeTimer !== undefined) {
          this.clock.clearTimeout(t.writeTimer);
          t.writeTimer = undefined;
          this.requestWrite(cluster, t, true);
        } else break;
      }
    }
  }

  /** Stops timers; running writes finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.tracked.values()) this.clearTimers(t);
    await Promise.all([...this.tracked.values()].map((t) => t.writing));
  }

  private entry(cluster: string): Tracked {
    let t = this.tracked.get(cluster);
    if (!t) {
      t = { readiness: new ClusterReadiness(this.options.readiness), connectedOnce: false, lastWriteAt: -Infinity };
      this.tracked.set(cluster, t);
    }
    return t;
  }

  private clearTimers(t: Tracked): void {
    if (t.timeoutTimer !== undefined) this.clock.clearTimeout(t.timeoutTimer);
    if (t.writeTimer !== undefined) this.clock.clearTimeout(t.writeTimer);
    t.timeoutTimer = undefined;
    t.writeTimer = undefined;
  }

  private armTimeout(cluster: string, t: Tracked): void {
    if (t.timeoutTimer !== undefined) this.clock.clearTimeout(t.timeoutTimer);
    t.timeoutTimer = undefined;
    const at = t.readiness.timeoutAt();
    if (at === undefined || this.stopped) return;
    t.timeoutTimer = this.clock.setTimeout(() => {
      t.timeoutTimer = undefined;
      this.apply(cluster, t.readiness.checkTimeout(this.clock.now()));
    }, at - this.clock.now());
  }

  private apply(cluster: string, transition: ReadinessTransition | undefined): void {
    if (!transition) return;
    const t = this.tracked.get(cluster);
    if (!t) return;
    this.logger.info({ cluster, from: transition.from, to: transition.to, reason: transition.reason }, 'cluster readiness changed');
    try {
      this.options.onReadinessChange?.(cluster, transition);
    } catch (err) {
      this.logger.error({ cluster, err }, 'readiness listener threw');
    }
    this.requestWrite(cluster, t, true);
  }

  private requestWrite(cluster: string, t: Tracked, urgent: boolean): void {
    if (this.stopped) return;
    if (t.writing) {
      t.again = Boolean(t.again) || urgent;
      return;
    }
    const now = this.clock.now();
    const due = t.lastWriteAt + this.intervalMs;
    if (!urgent && now < due) {
      if (t.writeTimer === undefined) {
        t.writeTimer = this.clock.setTimeout(() => {
          t.writeTimer = undefined;
          this.requestWrite(cluster, t, true);
        }, due - now);
      }
      return;
    }
    if (t.writeTimer !== undefined) this.clock.clearTimeout(t.writeTimer);
    t.writeTimer = undefined;
    t.lastWriteAt = now;
    t.writing = this.write(cluster, t)
      .catch((err: unknown) => this.logger.warn({ cluster, err }, 'writing cluster status failed'))
      .finally(() => {
        t.writing = undefined;
        if (t.again !== undefined) {
          const urgent = t.again;
          t.again = undefined;
          this.requestWrite(cluster, t, urgent);
        }
      });
  }

  private async write(cluster: string, t: Tracked): Promise<void> {
    const key = storeKey(this.clusterResource, undefined, cluster);
    const now = this.clock.now();
    await writeObjectStatus<Cluster>(this.options.store, key, (obj) => {
      const status: ClusterStatus = { ...(obj.status ?? {}) };
      const hb = t.heartbeat;
      const r = t.readiness;
      if (hb) {
        status.capacity = { ...(hb.capacity ?? {}) };
        status.allocatable = { ...(hb.allocatable ?? {}) };
        status.available = { ...(hb.available ?? {}) };
        status.nodes = { ready: hb.nodesReady ?? 0, total: hb.nodesTotal ?? 0 };
        status.nodeSummaries = (hb.nodes ?? []).map((n) => ({ name: n.name ?? '', ready: Boolean(n.ready), allocatable: { ...(n.allocatable ?? {}) }, free: { ...(n.free ?? {}) } }));
        status.services = (hb.services ?? []).map((s) => ({
          namespace: s.namespace ?? '',
          name: s.name ?? '',
          readyEndpoints: s.readyEndpoints ?? 0,
          totalEndpoints: s.totalEndpoints ?? 0,
        }));
      }
      if (r.lastHeartbeatTime !== undefined) status.lastHeartbeatTime = new Date(r.lastHeartbeatTime).toISOString();
      const conditions = (status.conditions ?? []).filter((c) => c.type !== ClusterConditions.Ready);
      if (r.state !== Readiness.Unknown) {
        const ready: FederationCondition = {
          type: ClusterConditions.Ready,
          status: r.state === Readiness.Ready ? 'True' : 'False',
          reason: r.reason,
          message: messageOf(r.reason),
          lastTransitionTime: new Date(r.lastTransitionTime ?? now).toISOString(),
        };
        if (status.lastHeartbeatTime) ready.lastHeartbeatTime = status.lastHeartbeatTime;
        conditions.push(ready);
      } else {
        const old = status.conditions?.find((c) => c.type === ClusterConditions.Ready);
        if (old) conditions.push(old);
      }
      if (t.connectedOnce && !conditions.some((c) => c.type === ClusterConditions.Joined)) {
        conditions.push({ type: ClusterConditions.Joined, status: 'True', reason: ReadinessReasons.ClusterJoined, lastTransitionTime: new Date(now).toISOString() });
      }
      status.conditions = conditions;
      obj.status = status;
      return true;
    });
  }
}

function messageOf(reason: string): string {
  switch (reason) {
    case ReadinessReasons.HeartbeatsReceived:
      return 'the member is connected and sends heartbeats';
    case ReadinessReasons.StreamClosed:
      return 'the member stream closed';
    case ReadinessReasons.HeartbeatTimeout:
      return 'no heartbeat within the timeout';
    default:
      return reason;
  }
}
