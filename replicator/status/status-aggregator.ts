/**
 * Status flow back to the gateway: member acks and status reports of each template's copies
 * are kept per (template, cluster) and written into the template's status (`clusters`, plus
 * the kind's aggregate) with CAS. Writes are coalesced per template: at most one every
 * `minIntervalMs` (default 200 ms), carrying the latest state, so a busy member does not
 * cause a write storm. `status.placement` belongs to the binding controller and is kept.
 */
import { systemClock, silentLogger, type Clock, type Logger, type TimerHandle } from '../../controller/index.js';
import type { KubeObject } from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';
import { aggregateStatus, memberObjectStatuses, type ClusterObjectState, type PlacedCluster } from './aggregate.js';
import { jsonEqual, writeObjectStatus } from './status-write.js';

/** Default minimum time between two status writes of one template, ms. */
export const DEFAULT_STATUS_MIN_INTERVAL_MS = 200;

/** Where a template is placed, as the status aggregator needs it. */
export interface PlacementLookup {
  /** Placed clusters of the template `key` (`refKey`); undefined when it is not propagated. */
  placedClusters(key: string): PlacedCluster[] | undefined;
  /** The store key of the template `key`; undefined when its kind has no status to write. */
  storeKeyOf(key: string): string | undefined;
}

/** An acknowledgement, as the aggregator keeps it. */
export interface AckInput {
  templateGeneration?: number;
  observedGeneration: number;
  error?: string;
  reason?: string;
}

/** A member's status report of one object. */
export interface ReportInput {
  status: unknown;
  generation: number;
  observedGeneration: number;
}

/** Options of the StatusAggregator. */
export interface StatusAggregatorOptions {
  store: Store;
  placement: PlacementLookup;
  clock?: Clock;
  logger?: Logger;
  minIntervalMs?: number;
}

interface Pending {
  timer?: TimerHandle;
  lastWriteAt: number;
  writing?: Promise<void>;
  again: boolean;
}

/** Member acks and reports → template status. */
export class StatusAggregator {
  private readonly options: StatusAggregatorOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly minIntervalMs: number;
  private readonly states = new Map<string, Map<string, ClusterObjectState>>();
  private readonly pending = new Map<string, Pending>();
  private stopped = false;

  constructor(options: StatusAggregatorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.minIntervalMs = options.minIntervalMs ?? DEFAULT_STATUS_MIN_INTERVAL_MS;
  }

  /** A member acknowledged an Apply of `key`. */
  ack(cluster: string, key: string, ack: AckInput): void {
    const s = this.state(key, cluster);
    s.ack = { ...ack, time: this.clock.now() };
    if (!ack.error && ack.templateGeneration !== undefined) s.appliedGeneration = ack.templateGeneration;
    this.schedule(key);
  }

  /** A member reported the status of its copy of `key`. */
  report(cluster: string, key: string, report: ReportInput): void {
    this.state(key, cluster).report = { ...report, time: this.clock.now() };
    this.schedule(key);
  }

  /** The placement of `key` changed: entries of clusters it left are dropped. */
  placementChanged(key: string): void {
    const placed = this.options.placement.placedClusters(key);
    const states = this.states.get(key);
    if (!placed) {
      // The template is gone: forget it (its last write time too, once no write is running).
      this.states.delete(key);
      const p = this.pending.get(key);
      if (p && !p.writing) {
        if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
        this.pending.delete(key);
      }
    } else if (states) {
      const names = new Set(placed.map((p) => p.name));
      for (const cluster of [...states.keys()]) if (!names.has(cluster)) states.delete(cluster);
    }
    if (placed) this.schedule(key);
  }

  /** What is known about `key` in `cluster`. */
  stateOf(key: string, cluster: string): Readonly<ClusterObjectState> | undefined {
    return this.states.get(key)?.get(cluster);
  }

  /** Writes everything due now and waits for running writes. */
  async flush(): Promise<void> {
    for (const [key, p] of [...this.pending]) {
      for (;;) {
        if (p.writing) await p.writing;
        else if (p.timer !== undefined) {
          this.clock.clearTimeout(p.timer);
          p.timer = undefined;
          this.schedule(key, true);
        } else break;
      }
    }
  }

  /** Stops timers; running writes finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const p of this.pending.values()) if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    await Promise.all([...this.pending.values()].map((p) => p.writing));
  }

  private state(key: string, cluster: string): ClusterObjectState {
    let byCluster = this.states.get(key);
    if (!byCluster) this.states.set(key, (byCluster = new Map()));
    let s = byCluster.get(cluster);
    if (!s) byCluster.set(cluster, (s = { cluster }));
    return s;
  }

  private schedule(key: string, now = false): void {
    if (this.stopped) return;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { lastWriteAt: -Infinity, again: false }));
    if (p.writing) {
      p.again = true;
      return;
    }
    const t = this.clock.now();
    const due = p.lastWriteAt + this.minIntervalMs;
    if (!now && t < due) {
      if (p.timer === undefined) {
        const entry = p;
        entry.timer = this.clock.setTimeout(() => {
          entry.timer = undefined;
          this.schedule(key, true);
        }, due - t);
      }
      return;
    }
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    p.timer = undefined;
    p.lastWriteAt = t;
    const entry = p;
    entry.writing = this.write(key)
      .catch((err: unknown) => this.logger.warn({ key, err }, 'writing template status failed'))
      .finally(() => {
        entry.writing = undefined;
        if (entry.again) {
          entry.again = false;
          this.schedule(key);
        }
      });
  }

  private async write(key: string): Promise<void> {
    const placed = this.options.placement.placedClusters(key);
    const storeKey = this.options.placement.storeKeyOf(key);
    if (!placed || !storeKey) return;
    const states = this.states.get(key) ?? new Map<string, ClusterObjectState>();
    const now = new Date(this.clock.now()).toISOString();
    await writeObjectStatus<KubeObject>(this.options.store, storeKey, (obj) => {
      const generation = obj.metadata.generation ?? 1;
      const clusters = memberObjectStatuses(placed, states, generation);
      const aggregate = aggregateStatus(obj, placed, clusters, now);
      const before = (obj.status ?? {}) as Record<string, unknown>;
      const next: Record<string, unknown> = { ...aggregate, clusters };
      if (before['placement'] !== undefined) next['placement'] = before['placement'];
      if (jsonEqual(before, next)) return false;
      obj.status = next;
      return true;
    });
  }
}
