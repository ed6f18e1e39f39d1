/**
 * The replicator: everything between the gateway's store and the members' streams, in one
 * long-lived part. Binding (placement + rendering → desired state per cluster), dispatch
 * (one session per member stream), status (acks and member reports → template status),
 * cluster health (heartbeats → Cluster status, readiness) and failover (inside binding).
 *
 * ```ts
 * const replicator = new Replicator({ store, registry, logger, clock: systemClock });
 * await replicator.start();
 * grpcServer.addService(federationService, connectHandlerFor(replicator.streamHandler));
 * // ... `fedgate unjoin eu --purge`:
 * await replicator.unjoin('eu', { purge: true });
 * await replicator.stop();
 * ```
 */
import type { KubeObject, ResourceRegistry, Cluster } from '../apimachinery/index.js';
import { SharedInformerFactory, systemClock, silentLogger, type Clock, type Informer, type Logger } from '../controller/index.js';
import type { Store } from '../store/index.js';
import { BindingController } from './binding/index.js';
import { DEFAULT_PURGE_DEADLINE_MS, DesiredState, Dispatcher } from './dispatch/index.js';
import { ClusterHealth, type ReadinessOptions } from './health/index.js';
import type { MemberStreamHandler } from './member-stream.js';
import type { PlacementExplanation } from './placement/index.js';
import { StatusAggregator, type PlacedCluster } from './status/index.js';

/** Annotation on a Cluster: `"true"` makes deleting it purge the member's managed objects first. */
export const UNJOIN_PURGE_ANNOTATION = 'fedgate.io/unjoin-purge';

/** Options of the Replicator. */
export interface ReplicatorOptions {
  store: Store;
  registry: ResourceRegistry;
  logger?: Logger;
  clock?: Clock;
  /** A cluster without heartbeat this long is NotReady, ms (default 1500; members beat every 500). */
  heartbeatTimeoutMs?: number;
  /** Consecutive heartbeats before a cluster is Ready again (default 2; flapping adds more). */
  requiredHeartbeats?: number;
  /** Window in which readiness flaps extend the heartbeats needed, ms (default 60 s). */
  flapWindowMs?: number;
  /** Interval of Pings on each member stream, ms (default 5 s). */
  pingIntervalMs?: number;
  /** Minimum time between heartbeat-driven Cluster status writes, ms (default 1 s). */
  clusterStatusIntervalMs?: number;
  /** Minimum time between status writes of one template, ms (default 200). */
  templateStatusIntervalMs?: number;
  /** Stable Ready time before replicas fail back to a cluster, ms (default 5 s). */
  failbackDelayMs?: number;
  /** Longest wait for a purge's Deletes to be acknowledged, ms (default 5 s). */
  purgeDeadlineMs?: number;
  /** Informers to share with other controllers of the process (started by the replicator if not started). */
  factory?: SharedInformerFactory;
}

/** Templates and policies in the store → objects in member clusters, and their status back. */
export class Replicator {
  private readonly options: ReplicatorOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  private readonly desiredState = new DesiredState();
  private readonly binding: BindingController;
  private readonly dispatcher: Dispatcher;
  private readonly health: ClusterHealth;
  private readonly status: StatusAggregator;
  private readonly clusters: Informer<Cluster>;
  private unsubscribe: (() => void) | undefined;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(options: ReplicatorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.ownsFactory = !options.factory;
    this.factory = options.factory ?? new SharedInformerFactory(options.store, options.registry, { clock: this.clock, logger: this.logger });
    this.binding = new BindingController({
      store: options.store,
      registry: options.registry,
      factory: this.factory,
      desired: this.desiredState,
      clock: this.clock,
      logger: this.logger,
      failbackDelayMs: options.failbackDelayMs,
      onPlacement: (key) => this.status.placementChanged(key),
    });
    this.clusters = this.factory.informerFor<Cluster>('clusters.cluster.fedgate.io');
    const readiness: ReadinessOptions = {
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      requiredHeartbeats: options.requiredHeartbeats,
      flapWindowMs: options.flapWindowMs,
    };
    this.health = new ClusterHealth({
      store: options.store,
      registry: options.registry,
      clock: this.clock,
      logger: this.logger,
      readiness,
      statusWriteIntervalMs: options.clusterStatusIntervalMs,
    });
    this.status = new StatusAggregator({
      store: options.store,
      clock: this.clock,
      logger: this.logger,
      minIntervalMs: options.templateStatusIntervalMs,
      placement: {
        placedClusters: (key) => this.placedClusters(key),
        storeKeyOf: (key) => this.binding.statusKeyOf(key),
      },
    });
    this.dispatcher = new Dispatcher({
      desired: this.desiredState,
      clock: this.clock,
      logger: this.logger,
      pingIntervalMs: options.pingIntervalMs,
      ready: () => this.binding.ready(),
      isJoined: (cluster) => {
        const c = this.clusters.getByName(undefined, cluster);
        return c !== undefined && !c.metadata.deletionTimestamp;
      },
      events: {
        onHello: (cluster) => this.health.streamOpened(cluster),
        onClosed: (cluster) => this.health.streamClosed(cluster),
        onHeartbeat: (cluster, hb) => this.health.heartbeat(cluster, hb),
        onAck: (cluster, key, ack) => {
          if (ack.operation === 'apply') this.status.ack(cluster, key, ack);
          if (ack.error) this.logger.warn({ cluster, key, error: ack.error, reason: ack.reason }, 'member refused an object');
        },
        onStatus: (cluster, key, report) => this.status.report(cluster, key, report),
        onPong: (cluster, rttMs) => this.logger.debug({ cluster, rttMs }, 'member round trip'),
      },
    });
  }

  /** What members connect to: pass it to the gRPC server. */
  get streamHandler(): MemberStreamHandler {
    return this.dispatcher;
  }

  /** The desired state per cluster (read-only use: inspection and tests). */
  get desired(): DesiredState {
    return this.desiredState;
  }

  /** Starts the informers and loops; resolves once the desired state is complete. */
  async start(): Promise<void> {
    if (this.abort) return;
    this.abort = new AbortController();
    this.unsubscribe = this.clusters.addEventHandler({
      onAdd: (c) => this.health.track(c.metadata.name ?? ''),
      onDelete: (c) => {
        const name = c.metadata.name ?? '';
        const purge = c.metadata.annotations?.[UNJOIN_PURGE_ANNOTATION] === 'true';
        // Runs before the binding drops the cluster from the desired state, so an orphaning
        // unjoin closes the stream before any Delete could go out.
        void this.dispatcher.unjoin(name, { purge, deadlineMs: this.options.purgeDeadlineMs ?? DEFAULT_PURGE_DEADLINE_MS });
        this.health.forget(name);
      },
    });
    this.running = this.binding.start(this.abort.signal);
    this.factory.start();
    await this.running;
  }

  /** Closes member streams (members keep their workloads) and stops every loop. */
  async stop(): Promise<void> {
    if (!this.abort) return;
    this.abort.abort();
    this.abort = undefined;
    this.unsubscribe?.();
    this.dispatcher.stop();
    await this.running?.catch(() => {});
    await this.binding.stop();
    await this.status.stop();
    await this.health.stop();
    if (this.ownsFactory) this.factory.stop();
  }

  /**
   * Ends a cluster's membership on this gateway's side. Orphan (default): close its stream,
   * its workloads keep running. Purge: Delete every managed object first (best effort within
   * the purge deadline), then close. The caller then deletes the Cluster object.
   */
  async unjoin(cluster: string, opts: { purge?: boolean } = {}): Promise<void> {
    await this.dispatcher.unjoin(cluster, { purge: opts.purge, deadlineMs: this.options.purgeDeadlineMs ?? DEFAULT_PURGE_DEADLINE_MS });
  }

  /** Where `template` would go now and why (a dry run; nothing changes). */
  async explain(template: KubeObject): Promise<PlacementExplanation & { policy?: string }> {
    await this.binding.ready();
    return this.binding.explain(template);
  }

  /** Waits until pending status writes are done (tests and shutdown). */
  async flushStatus(): Promise<void> {
    await this.status.flush();
    await this.health.flush();
  }

  private placedClusters(key: string): PlacedCluster[] | undefined {
    const p = this.binding.placementOf(key);
    if (!p) return undefined;
    const onlyPulled = p.scheduled.size === 0;
    return [...p.effective].map((name) => {
      const replicas = p.scheduled.has(name) ? p.scheduled.get(name) : p.held.get(name);
      const entry: PlacedCluster = { name, target: onlyPulled || p.scheduled.has(name) };
      if (replicas !== undefined) entry.replicas = replicas;
      return entry;
    });
  }
}
