/**
 * One member cluster's compact control plane over one local store: shared informers, the
 * controllers of the registry, the scheduler, a kubelet per node (all sharing one runtime
 * and one pod address pool) and the service proxy. The local REST API in front of the same
 * store is the gateway's code, wired by the CLI.
 */
import {
  builtinResources,
  Groups,
  memberResources,
  ResourceRegistry,
} from '../apimachinery/index.js';
import { SharedInformerFactory, silentLogger, systemClock, type Clock, type Logger } from '../controller/index.js';
import type { Store } from '../store/index.js';
import type { Pod } from './api-types.js';
import { CapacityReader, type CapacityReport } from './capacity/index.js';
import { startControllers } from './controllers/index.js';
import { IpAllocator } from './ip-allocator.js';
import { Kubelet } from './kubelet/index.js';
import type { MemberConfig } from './member-config.js';
import { createRuntime, type PodRuntime, type RuntimeOptions } from './runtime/index.js';
import { Scheduler } from './scheduler/index.js';
import { ServiceProxy } from './service-proxy/index.js';

const federationGroups = new Set<string>(Object.values(Groups));


/** Options of a MemberCluster. */
export interface MemberClusterOptions {
  store: Store;
  config: MemberConfig;
  logger?: Logger;
  clock?: Clock;
  /** Controllers to run, as `--controllers` (`*`, `-job`); all when absent. */
  controllers?: readonly string[];
  /** Runtime options (mount namespaces, PATH). */
  runtime?: RuntimeOptions;
  /** CrashLoopBackOff base, ms (tests use a short one). */
  crashLoopBaseMs?: number;
}

/** Options of `MemberCluster.stop`. */
export interface MemberStopOptions {
  /** Stop every pod gracefully (default), or leave the containers for the next member process. */
  stopPods?: boolean;
}

type Running = {
  informers: SharedInformerFactory;
  controllers: { stop(): Promise<void> };
  scheduler: Scheduler;
  proxy: ServiceProxy;
  kubelets: Kubelet[];
  capacity: CapacityReader;
};

/** A member cluster's control plane; see the module doc. */
export class MemberCluster {
  /** What a member serves: the Kubernetes kinds of the gateway plus the member's own, without the federation kinds. */
  static registry(): ResourceRegistry {
    return new ResourceRegistry([...builtinResources.filter((r) => !federationGroups.has(r.group)), ...memberResources]);
  }

  readonly registry = MemberCluster.registry();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private running: Running | undefined;

  /** Does no I/O. */
  constructor(private readonly options: MemberClusterOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  /** The member's settings. */
  get config(): MemberConfig {
    return this.options.config;
  }

  /**
   * Starts every part. Pod addresses already in the store are reserved before any kubelet
   * starts, so a restarted member gives no address twice and keeps each pod's address.
   */
  async start(): Promise<void> {
    if (this.running) return;
    const { store, config } = this.options;
    const logger = this.logger;
    const clock = this.clock;
    const registry = this.registry;
    const informers = new SharedInformerFactory(store, registry, { logger, clock });
    const controllers = startControllers({ store, informers, registry, config, logger, clock }, this.options.controllers);
    const pods = informers.informerFor<Pod>('pods');
    informers.start();
    await informers.waitForSync();

    const podIPs = new IpAllocator(config.podCIDR, [config.externalIP, config.serviceCIDR]);
    for (const pod of pods.list()) {
      if (pod.status?.podIP) podIPs.markUsed(pod.status.podIP);
    }
    const runtime: PodRuntime = createRuntime(config.runtime, { ...this.options.runtime, clock });
    const kubelets = config.nodeNames.map(
      (nodeName) =>
        new Kubelet({
          nodeName,
          store,
          informers,
          registry,
          config,
          runtime,
          podIPs,
          logger,
          clock,
          crashLoopBaseMs: this.options.crashLoopBaseMs,
        }),
    );
    for (const kubelet of kubelets) await kubelet.start();
    const scheduler = new Scheduler({ store, informers, registry, logger, clock });
    scheduler.start();
    const proxy = new ServiceProxy({ store, informers, registry, config, logger, clock });
    proxy.start();
    this.running = { informers, controllers, scheduler, proxy, kubelets, capacity: new CapacityReader(informers) };
    logger.info({ cluster: config.name, nodes: config.nodes, runtime: config.runtime, controllers: controllers.names }, 'member control plane started');
  }

  /** The shared informers of the running control plane (other in-process parts reuse them). */
  get informers(): SharedInformerFactory {
    if (!this.running) throw new Error('the member has not started');
    return this.running.informers;
  }

  /** Capacity, availability and ready endpoints per Service: what the member reports upstream. */
  capacity(): CapacityReport {
    if (!this.running) throw new Error('the member has not started');
    return this.running.capacity.report();
  }

  /** Stops the parts in reverse order; the store stays open for its owner. */
  async stop(opts: MemberStopOptions = {}): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    await running.proxy.stop();
    await running.scheduler.stop();
    await running.controllers.stop();
    await Promise.all(running.kubelets.map((k) => k.stop({ stopPods: opts.stopPods ?? true })));
    running.informers.stop();
  }
}
