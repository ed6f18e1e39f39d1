/**
 * The zone view: the `Zone` the DNS server asks, kept in memory from the gateway's store.
 * Informers over clusters, services and trafficpolicies feed one rebuild of the whole
 * snapshot (`buildZone`) whenever any of them changes, and a timer rebuilds it every
 * `recomputeIntervalMs` so heartbeats going stale take effect without a store event.
 * `version` (and the SOA serial) move only when the rebuilt answers differ from the
 * current ones, so the server's answer cache survives heartbeat churn.
 *
 * The snapshot lives in plain memory, swapped whole on change: node-cache was considered
 * and not used on this path because its per-key TTLs are not wanted (entries live until a
 * change, and a change replaces the whole set at once, which a key-by-key cache cannot do
 * atomically) and its `get` clones values by default — allocation on every query.
 *
 * Visibility: each TrafficPolicy's `status.answers` lists every placed cluster with its
 * weight, health and reason; written with compare-and-swap, only when it changed, at most
 * once per `statusWriteIntervalMs` per policy (the last state always lands).
 */
import { conflict, isConflict, isNotFound, storeKey, type Cluster, type ResourceRegistry, type TrafficPolicy } from '../apimachinery/index.js';
import {
  SharedInformerFactory,
  silentLogger,
  systemClock,
  type Clock,
  type Informer,
  type Logger,
  type RandomSource,
  type TimerHandle,
} from '../controller/index.js';
import type { Store } from '../store/index.js';
import { answerQuestion, zoneOf, type AnswerContext, type ZoneSnapshot } from './answer.js';
import type { ClientInfo, Question, ZoneAnswer } from './answer-types.js';
import { GeoTable, type GeoTableEntry } from './geo-table.js';
import { DEFAULT_FRESHNESS_MS } from './health.js';
import { buildZone, DEFAULT_SOA_TIMERS, type ServiceExplanation, type ServiceObject, type SoaTimers } from './zone-records.js';
import { exportZoneState, type ExportableZone, type ZoneState } from './zone-state.js';

/** The zone served when none is configured (`.internal` is reserved for private use). */
export const DEFAULT_ZONE = 'global.fedgate.internal';
/** How often answers are recomputed for heartbeat freshness, ms. */
export const DEFAULT_RECOMPUTE_INTERVAL_MS = 250;
/** Minimum time between two status writes of one TrafficPolicy, ms. */
export const DEFAULT_STATUS_WRITE_INTERVAL_MS = 1_000;
/** Attempts of one compare-and-swap status write before giving up until the next change. */
const STATUS_WRITE_ATTEMPTS = 5;

/** Options of ZoneView. */
export interface ZoneViewOptions {
  /** The gateway's store (its watch cache), read only through informers. */
  store: Store;
  registry: ResourceRegistry;
  /** Zone apex (default `global.fedgate.internal`); case and a trailing dot are ignored. */
  zone?: string;
  /** More apexes served with the same content. */
  extraZones?: readonly string[];
  /** Address(es) of this DNS server: the A/AAAA of `ns1.<zone>`. */
  nameserverAddress: string | readonly string[];
  clock?: Clock;
  random?: RandomSource;
  /** Client CIDR → region table for the `geo` strategy. */
  geoTable?: GeoTable | readonly GeoTableEntry[];
  /** Maximum heartbeat age of a healthy cluster, ms (default 3000). */
  freshnessMs?: number;
  recomputeIntervalMs?: number;
  statusWriteIntervalMs?: number;
  /** Addresses per answer of weighted, geo and roundRobin names (default 1). */
  maxAnswers?: number;
  soa?: Partial<SoaTimers>;
  /** Write `status.answers` of TrafficPolicies (default true). */
  writeStatus?: boolean;
  /** Share the gateway's informers; when absent the view makes (and stops) its own. */
  informers?: SharedInformerFactory;
  logger?: Logger;
}

/** ZoneViewOptions with defaults applied. */
export interface ResolvedZoneViewOptions {
  store: Store;
  registry: ResourceRegistry;
  zones: string[];
  nameserverAddresses: string[];
  clock: Clock;
  random: RandomSource;
  geoTable: GeoTable;
  freshnessMs: number;
  recomputeIntervalMs: number;
  statusWriteIntervalMs: number;
  maxAnswers: number;
  soa: SoaTimers;
  writeStatus: boolean;
  informers: SharedInformerFactory | undefined;
  logger: Logger;
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** Applies the defaults once. */
export function resolveZoneViewOptions(o: ZoneViewOptions): ResolvedZoneViewOptions {
  const zones = [...new Set([o.zone ?? DEFAULT_ZONE, ...(o.extraZones ?? [])].map(normalizeName).filter((z) => z.length > 0))];
  return {
    store: o.store,
    registry: o.registry,
    zones,
    nameserverAddresses: typeof o.nameserverAddress === 'string' ? [o.nameserverAddress] : [...o.nameserverAddress],
    clock: o.clock ?? systemClock,
    random: o.random ?? Math.random,
    geoTable: o.geoTable instanceof GeoTable ? o.geoTable : new GeoTable(o.geoTable ?? []),
    freshnessMs: o.freshnessMs ?? DEFAULT_FRESHNESS_MS,
    recomputeIntervalMs: o.recomputeIntervalMs ?? DEFAULT_RECOMPUTE_INTERVAL_MS,
    statusWriteIntervalMs: o.statusWriteIntervalMs ?? DEFAULT_STATUS_WRITE_INTERVAL_MS,
    maxAnswers: Math.max(1, o.maxAnswers ?? 1),
    soa: { ...DEFAULT_SOA_TIMERS, ...o.soa },
    writeStatus: o.writeStatus ?? true,
    informers: o.informers,
    logger: o.logger ?? silentLogger,
  };
}

/** `status` a TrafficPolicy carries: who answers for its Service, and why. */
export interface TrafficPolicyStatus {
  observedGeneration?: number;
  strategy: string;
  failOpen: boolean;
  answers: {
    cluster: string;
    address: string;
    weight: number;
    share: number;
    healthy: boolean;
    serving: boolean;
    reason: string;
    readyEndpoints: number;
  }[];
}

/** The status written for an explanation (no ever-changing text such as heartbeat ages). */
export function trafficPolicyStatus(e: ServiceExplanation, generation: number | undefined): TrafficPolicyStatus {
  const status: TrafficPolicyStatus = {
    strategy: e.strategy,
    failOpen: e.failOpen,
    answers: e.clusters.map((c) => ({
      cluster: c.cluster,
      address: c.address,
      weight: c.weight,
      share: c.share,
      healthy: c.healthy,
      serving: c.serving,
      reason: c.reason,
      readyEndpoints: c.readyEndpoints,
    })),
  };
  if (generation !== undefined) status.observedGeneration = generation;
  return status;
}

interface StatusTracker {
  /** JSON of the status last written or found in place. */
  written?: string;
  desired?: { key: string; status: TrafficPolicyStatus };
  lastWriteAt: number;
  timer?: TimerHandle;
  writing?: Promise<void>;
}

/** The zone, from the store's Clusters, Services and TrafficPolicies. */
export class ZoneView implements ExportableZone {
  private readonly o: ResolvedZoneViewOptions;
  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  private readonly clusters: Informer<Cluster>;
  private readonly services: Informer<ServiceObject>;
  private readonly policies: Informer<TrafficPolicy>;
  private readonly ctx: AnswerContext;
  /** Apexes, longest first. */
  private readonly apexes: readonly { name: string }[];
  private snapshot: ZoneSnapshot;
  private signature: string | undefined;
  private explanations = new Map<string, ServiceExplanation>();
  private policyOf = new Map<string, string>();
  private lastHealthy = new Map<string, ReadonlyMap<string, number>>();
  private currentVersion = 0;
  private serialBase = 0;
  private synced = false;
  private running = false;
  private dirty = false;
  private removers: (() => void)[] = [];
  private timer: TimerHandle | undefined;
  private readonly trackers = new Map<string, StatusTracker>();
  private readonly versionListeners = new Set<() => void>();

  constructor(options: ZoneViewOptions) {
    this.o = resolveZoneViewOptions(options);
    this.ownsFactory = this.o.informers === undefined;
    this.factory = this.o.informers ?? new SharedInformerFactory(this.o.store, this.o.registry, { clock: this.o.clock, logger: this.o.logger });
    this.clusters = this.factory.informerFor<Cluster>('clusters.cluster.fedgate.io');
    this.services = this.factory.informerFor<ServiceObject>('services');
    this.policies = this.factory.informerFor<TrafficPolicy>('trafficpolicies.networking.fedgate.io');
    this.ctx = { random: this.o.random, geo: this.o.geoTable, count: this.o.maxAnswers };
    this.apexes = this.o.zones.map((name) => ({ name })).sort((a, b) => b.name.length - a.name.length);
    this.snapshot = { zones: [], names: new Map() };
  }

  /** Moves whenever any answer changed. */
  get version(): number {
    return this.currentVersion;
  }

  /** The zones served, lower-case. */
  get zones(): readonly string[] {
    return this.o.zones;
  }

  /** Is `name` (lower-case, no trailing dot) inside one of the zones? */
  inZone(name: string): boolean {
    return zoneOf(this.apexes, name) !== undefined;
  }

  /** Answers from memory; SERVFAIL until the first sync (the zone's contents are not known yet). */
  answer(question: Question, client: ClientInfo): ZoneAnswer {
    if (!this.synced) {
      return this.inZone(question.name)
        ? { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], additional: [] }
        : { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additional: [] };
    }
    return answerQuestion(this.snapshot, question, client, this.ctx);
  }

  /** The current answers as plain data, for answering in other processes (DnsServer workers). */
  exportState(): ZoneState {
    return exportZoneState(this.snapshot, { zones: this.o.zones, maxAnswers: this.o.maxAnswers, geo: [...this.o.geoTable.entries] }, this.currentVersion, this.synced);
  }

  /** Calls `listener` after every change of `version` (synchronously, inside the rebuild); returns the unsubscribe function. */
  onVersionChange(listener: () => void): () => void {
    this.versionListeners.add(listener);
    return () => this.versionListeners.delete(listener);
  }

  /** Starts the informers and the freshness timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.serialBase = Math.floor(this.o.clock.now() / 1000);
    const onChange = { onAdd: () => this.markDirty(), onUpdate: () => this.markDirty(), onDelete: () => this.markDirty() };
    this.removers = [this.clusters.addEventHandler(onChange), this.services.addEventHandler(onChange), this.policies.addEventHandler(onChange)];
    this.factory.start();
    this.armTimer();
  }

  /** Stops timers (and the informers the view made), and waits for status writes in flight. */
  async stop(): Promise<void> {
    this.running = false;
    for (const remove of this.removers.splice(0)) remove();
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.ownsFactory) this.factory.stop();
    const writes: Promise<void>[] = [];
    for (const t of this.trackers.values()) {
      if (t.timer !== undefined) this.o.clock.clearTimeout(t.timer);
      t.timer = undefined;
      if (t.writing) writes.push(t.writing);
    }
    await Promise.all(writes);
  }

  /** Resolves once every informer listed and the first snapshot is built. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([this.clusters.waitForSync(signal), this.services.waitForSync(signal), this.policies.waitForSync(signal)]);
    this.synced = true;
    this.refresh();
  }

  /**
   * Rebuilds the snapshot now; returns true when the answers changed (and `version`
   * moved). Called on store changes and by the freshness timer.
   */
  refresh(): boolean {
    this.dirty = false;
    if (!this.synced) return false;
    const build = buildZone({
      zones: this.o.zones,
      nameserverAddresses: this.o.nameserverAddresses,
      serial: this.serialBase + this.currentVersion + 1,
      soa: this.o.soa,
      clusters: this.clusters.list(),
      services: this.services.list(),
      policies: this.policies.list(),
      now: this.o.clock.now(),
      freshnessMs: this.o.freshnessMs,
      count: this.o.maxAnswers,
      geoTableSize: this.o.geoTable.size,
      lastHealthy: this.lastHealthy,
    });
    this.lastHealthy = build.lastHealthy;
    this.explanations = build.explanations;
    this.policyOf = build.policyOf;
    const changed = build.signature !== this.signature;
    if (changed) {
      this.signature = build.signature;
      this.snapshot = build.snapshot;
      this.currentVersion++;
      for (const listener of [...this.versionListeners]) {
        try {
          listener();
        } catch (err) {
          this.o.logger.warn({ err }, 'zone version listener failed');
        }
      }
    }
    if (this.o.writeStatus && this.running) this.syncPolicyStatuses();
    return changed;
  }

  /** Why `namespace/name` answers as it does now; undefined for an unknown Service. */
  explainService(namespace: string, name: string): ServiceExplanation | undefined {
    return this.explanations.get(`${namespace}/${name}`);
  }

  /** Every Service's explanation, by `namespace/name`. */
  explainAll(): ReadonlyMap<string, ServiceExplanation> {
    return this.explanations;
  }

  // ---- change tracking ----

  private markDirty(): void {
    if (this.dirty || !this.synced) return;
    this.dirty = true;
    // One rebuild for a burst of events delivered in the same turn.
    queueMicrotask(() => {
      if (this.dirty && this.running) this.refresh();
    });
  }

  private armTimer(): void {
    if (!this.running || !(this.o.recomputeIntervalMs > 0)) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      this.refresh();
      this.armTimer();
    }, this.o.recomputeIntervalMs);
  }

  // ---- TrafficPolicy status ----

  private syncPolicyStatuses(): void {
    const seen = new Set<string>();
    for (const [serviceKey, policyKey] of this.policyOf) {
      const explanation = this.explanations.get(serviceKey);
      const policy = this.policies.get(policyKey);
      if (!explanation || !policy) continue;
      seen.add(policyKey);
      const status = trafficPolicyStatus(explanation, policy.metadata.generation);
      const json = JSON.stringify(status);
      let t = this.trackers.get(policyKey);
      if (!t) this.trackers.set(policyKey, (t = { lastWriteAt: -Infinity }));
      if (t.written === undefined && statusMatches(policy.status, status)) t.written = json;
      if (t.written === json && !t.writing) {
        t.desired = undefined;
        continue;
      }
      if (t.desired && JSON.stringify(t.desired.status) === json) continue;
      t.desired = { key: policyKey, status };
      this.requestWrite(policyKey, t);
    }
    for (const [key, t] of this.trackers) {
      if (seen.has(key) || t.writing) continue;
      if (t.timer !== undefined) this.o.clock.clearTimeout(t.timer);
      this.trackers.delete(key);
    }
  }

  private requestWrite(policyKey: string, t: StatusTracker): void {
    if (t.writing || t.timer !== undefined || !this.running) return;
    const now = this.o.clock.now();
    const due = t.lastWriteAt + this.o.statusWriteIntervalMs;
    if (now < due) {
      t.timer = this.o.clock.setTimeout(() => {
        t.timer = undefined;
        this.requestWrite(policyKey, t);
      }, due - now);
      return;
    }
    const desired = t.desired;
    if (!desired) return;
    t.lastWriteAt = now;
    t.writing = this.writeStatus(policyKey, desired.status)
      .then(
        (written) => {
          if (written) t.written = JSON.stringify(desired.status);
        },
        (err: unknown) => this.o.logger.warn({ policy: policyKey, err }, 'writing TrafficPolicy status failed'),
      )
      .finally(() => {
        t.writing = undefined;
        if (t.desired === desired) t.desired = undefined;
        else if (t.desired) this.requestWrite(policyKey, t);
      });
  }

  /** CAS write of `status`; true when the stored status now equals it. */
  private async writeStatus(policyKey: string, status: TrafficPolicyStatus): Promise<boolean> {
    const resource = this.policies.resource;
    const [namespace, name] = policyKey.split('/') as [string, string];
    const key = storeKey(resource, namespace, name);
    for (let attempt = 0; attempt < STATUS_WRITE_ATTEMPTS; attempt++) {
      const kv = await this.o.store.get(key);
      if (!kv) return false;
      const obj = JSON.parse(kv.value) as TrafficPolicy;
      if (statusMatches(obj.status, status)) return true;
      obj.status = { ...(obj.status as Record<string, unknown> | undefined), ...status };
      delete obj.metadata.resourceVersion; // the revision lives in the KV, never in the value
      try {
        await this.o.store.update(key, JSON.stringify(obj), kv.modRevision);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (!isConflict(err)) throw err;
      }
    }
    throw conflict({ resource: resource.plural, name }, `status still contended after ${STATUS_WRITE_ATTEMPTS} attempts`);
  }
}

/** The stored status already says what `status` says (the fields the view owns). */
function statusMatches(stored: unknown, status: TrafficPolicyStatus): boolean {
  if (stored === null || typeof stored !== 'object') return false;
  const s = stored as Record<string, unknown>;
  return (Object.keys(status) as (keyof TrafficPolicyStatus)[]).every((k) => JSON.stringify(s[k]) === JSON.stringify(status[k])) && s['observedGeneration'] === status.observedGeneration;
}
