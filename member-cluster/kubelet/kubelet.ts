/**
 * The kubelet: one per node of the member cluster. It registers its Node (capacity,
 * allocatable, address, Ready with a heartbeat), watches the pods bound to it
 * (`spec.nodeName`) through the shared pod informer's `byNodeName` index, and runs one pod
 * worker per pod on its runtime. Everything goes through the store; the kubelet's own
 * writes are pod status (CAS), the final delete of gracefully deleted pods, and its Node.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ResourceRegistry } from '../../apimachinery/index.js';
import {
  silentLogger,
  systemClock,
  type Clock,
  type IndexFunc,
  type Informer,
  type Logger,
  type SharedInformerFactory,
} from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import type { ConfigMap, Pod, Secret } from '../api-types.js';
import type { IpAllocator } from '../ip-allocator.js';
import type { MemberConfig } from '../member-config.js';
import { podsRoot, readPodState, type PodRuntime } from '../runtime/index.js';
import type { ConfigLookup } from './container-env.js';
import { DEFAULT_CRASH_LOOP_BASE_MS, DEFAULT_CRASH_LOOP_MAX_MS } from './crash-loop-backoff.js';
import { NodeStatusReporter } from './node-status.js';
import { PodWorkers } from './pod-workers.js';

/** Name of the pod index by `spec.nodeName`. */
export const POD_NODE_NAME_INDEX = 'byNodeName';

/** Indexes pods by the node they are bound to. One function object, so every kubelet shares the index. */
export const podNodeNameIndex: IndexFunc<Pod> = (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []);

/** Options of a Kubelet. */
export interface KubeletOptions {
  nodeName: string;
  store: Store;
  informers: SharedInformerFactory;
  registry: ResourceRegistry;
  config: MemberConfig;
  runtime: PodRuntime;
  /** The member's pod address pool, shared by its kubelets (existing pod IPs marked used beforehand). */
  podIPs: IpAllocator;
  logger?: Logger;
  clock?: Clock;
  /** CrashLoopBackOff after the second exit, ms (default 10 s). */
  crashLoopBaseMs?: number;
  /** Longest CrashLoopBackOff, ms (default 5 min). */
  crashLoopMaxMs?: number;
  /** Node heartbeat interval, ms (default 10 s). */
  heartbeatMs?: number;
}

/** Options of `Kubelet.stop`. */
export interface KubeletStopOptions {
  /** Stop every container gracefully (true), or leave them running for the next member process (false). */
  stopPods: boolean;
}

/** Runs the pods of one node. */
export class Kubelet {
  readonly nodeName: string;
  private readonly workers: PodWorkers;
  private readonly nodeStatus: NodeStatusReporter;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private removeHandler: (() => void) | undefined;

  constructor(private readonly o: KubeletOptions) {
    this.nodeName = o.nodeName;
    this.clock = o.clock ?? systemClock;
    this.logger = o.logger ?? silentLogger;
    const resource = (plural: string) => {
      const r = o.registry.resolve(plural);
      if (!r) throw new Error(`the member registry has no ${plural}`);
      return r;
    };
    this.workers = new PodWorkers({
      nodeName: o.nodeName,
      hostIP: o.config.externalIP,
      dataDir: o.config.dataDir,
      store: o.store,
      pods: resource('pods'),
      runtime: o.runtime,
      podIPs: o.podIPs,
      lookup: this.lookup(),
      clock: this.clock,
      logger: this.logger,
      crashLoopBaseMs: o.crashLoopBaseMs ?? DEFAULT_CRASH_LOOP_BASE_MS,
      crashLoopMaxMs: o.crashLoopMaxMs ?? DEFAULT_CRASH_LOOP_MAX_MS,
    });
    this.nodeStatus = new NodeStatusReporter({
      nodeName: o.nodeName,
      store: o.store,
      nodes: resource('nodes'),
      config: o.config,
      clock: this.clock,
      logger: this.logger,
      heartbeatMs: o.heartbeatMs,
    });
  }

  private informer<T extends Pod | ConfigMap | Secret>(plural: string): Informer<T> {
    const i = this.o.informers.informerFor<T>(plural);
    i.start();
    return i;
  }

  private lookup(): ConfigLookup {
    return {
      configMap: (ns, name) => this.informer<ConfigMap>('configmaps').getByName(ns, name),
      secret: (ns, name) => this.informer<Secret>('secrets').getByName(ns, name),
    };
  }

  /** Registers the node, fills the caches, then runs every pod bound to this node. */
  async start(): Promise<void> {
    await this.nodeStatus.start();
    const pods = this.o.informers.informerFor<Pod>('pods', { [POD_NODE_NAME_INDEX]: podNodeNameIndex });
    pods.start();
    const configMaps = this.informer<ConfigMap>('configmaps');
    const secrets = this.informer<Secret>('secrets');
    await Promise.all([pods.waitForSync(), configMaps.waitForSync(), secrets.waitForSync()]);
    await this.killOrphans(pods);
    const mine = (p: Readonly<Pod>): boolean => p.spec?.nodeName === this.nodeName;
    this.removeHandler = pods.addEventHandler({
      onAdd: (p) => {
        if (mine(p)) this.workers.update(p);
      },
      onUpdate: (_old, p) => {
        if (mine(p)) this.workers.update(p);
      },
      onDelete: (p) => {
        if (mine(p)) this.workers.remove(p);
      },
    });
    this.logger.info({ node: this.nodeName, pods: pods.indexKeys(POD_NODE_NAME_INDEX, this.nodeName).length }, 'kubelet started');
  }

  /**
   * Pods of this node that were deleted while no member process ran: their leftover
   * processes die and their directories go (logs stay).
   */
  private async killOrphans(pods: Informer<Pod>): Promise<void> {
    if (!this.o.runtime.runsProcesses) return;
    const live = new Set(pods.list().map((p) => p.metadata.uid));
    let entries: string[];
    try {
      entries = fs.readdirSync(podsRoot(this.o.config.dataDir));
    } catch {
      return;
    }
    for (const entry of entries) {
      const dir = path.join(podsRoot(this.o.config.dataDir), entry);
      const state = readPodState(dir);
      if (!state || state.nodeName !== this.nodeName || live.has(state.podUid)) continue;
      const [namespace = '', name = ''] = entry.split('_');
      const killed = await this.o.runtime.killLeftovers({ namespace, name, uid: state.podUid, nodeName: this.nodeName }, dir);
      fs.rmSync(path.join(dir, '.volumes'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, '.run'), { recursive: true, force: true });
      this.logger.info({ node: this.nodeName, dir, killed }, 'cleaned up a pod deleted while the member was down');
    }
  }

  /** Stops watching; with `stopPods` every container is stopped gracefully, else left running. */
  async stop(opts: KubeletStopOptions = { stopPods: true }): Promise<void> {
    this.removeHandler?.();
    this.removeHandler = undefined;
    this.nodeStatus.stop();
    if (opts.stopPods) await this.workers.shutdown();
    else this.workers.abandon();
  }

  /** Number of pods this kubelet runs. */
  podCount(): number {
    return this.workers.size;
  }

  /** Resolves when the worker of a pod is not syncing (tests; a pod without a worker resolves at once). */
  async whenIdle(uid: string): Promise<void> {
    await this.workers.get(uid)?.whenIdle();
  }
}
