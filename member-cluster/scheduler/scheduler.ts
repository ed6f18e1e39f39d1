/**
 * The member's scheduler (after kube-scheduler: a queue of pending pods, one decision at a
 * time, filter → score → bind). Decisions are the pure functions of `schedule.ts`; this
 * class feeds them from the informers and writes their outcome with CAS:
 *
 * - bound: `spec.nodeName` and condition `PodScheduled=True`;
 * - unschedulable: condition `PodScheduled=False`, reason `Unschedulable`, with the
 *   kube-scheduler message; the pod stays Pending and is retried when a node is added or
 *   changes, when a pod goes away or finishes, and every `retryIntervalMs`.
 *
 * Invariant (the assume cache): a pod this scheduler bound counts against its node from the
 * moment the write succeeded, even before the pod informer shows the binding, so a burst of
 * pods never overfills a node. An assumption ends once the informer shows the pod bound or
 * deleted. One worker, so decisions never race each other.
 */
import { isNotFound, objectKey, storeKey, type ResourceInfo, type ResourceRegistry } from '../../apimachinery/index.js';
import {
  ControllerRunner,
  WorkQueue,
  silentLogger,
  systemClock,
  type Clock,
  type Informer,
  type Logger,
  type SharedInformerFactory,
  type TimerHandle,
} from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import type { Condition, Node, Pod } from '../api-types.js';
import { casUpdate } from '../cas-update.js';
import { addPodToNodeInfo, buildNodeInfos, occupiesNode, type NodeInfo } from './node-info.js';
import { isTerminal } from './pod-requests.js';
import { needsScheduling, schedulePod } from './schedule.js';

/** How often unschedulable pods are tried again even when nothing seems to have changed, ms. */
export const DEFAULT_UNSCHEDULABLE_RETRY_MS = 15_000;
/** The condition type the scheduler owns. */
export const POD_SCHEDULED = 'PodScheduled';
/** Reason of `PodScheduled=False`, as in Kubernetes. */
export const REASON_UNSCHEDULABLE = 'Unschedulable';

/** Options of `Scheduler`. */
export interface SchedulerOptions {
  store: Store;
  informers: SharedInformerFactory;
  registry: ResourceRegistry;
  logger?: Logger;
  clock?: Clock;
  /** Periodic retry of unschedulable pods, ms. */
  retryIntervalMs?: number;
}

/** A pod this scheduler bound whose binding the informer has not shown yet. */
interface Assumed {
  pod: Readonly<Pod>;
  nodeName: string;
}

/** Binds pending pods to nodes. */
export class Scheduler {
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly retryIntervalMs: number;
  private readonly podResource: ResourceInfo;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private queue: WorkQueue | undefined;
  private runner: ControllerRunner | undefined;
  private readonly assumed = new Map<string, Assumed>();
  /** Keys of pods that found no node; requeued on changes that may free room. */
  private readonly unschedulable = new Set<string>();
  private removeHandlers: (() => void)[] = [];
  private retryTimer: TimerHandle | undefined;
  private abort: AbortController | undefined;

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.retryIntervalMs = options.retryIntervalMs ?? DEFAULT_UNSCHEDULABLE_RETRY_MS;
    const pods = options.registry.resolve('pods');
    if (!pods || !options.registry.resolve('nodes')) throw new Error('the scheduler needs pods and nodes in the registry');
    this.podResource = pods;
    this.pods = options.informers.informerFor<Pod>('pods');
    this.nodes = options.informers.informerFor<Node>('nodes');
  }

  /** Starts watching and scheduling; decisions begin once both caches are filled. */
  start(): void {
    if (this.runner) return;
    const queue = new WorkQueue({ name: 'scheduler', clock: this.clock });
    this.queue = queue;
    this.runner = new ControllerRunner({
      name: 'scheduler',
      queue,
      workers: 1,
      maxRetries: Infinity,
      logger: this.logger,
      reconcile: (key) => this.scheduleOne(key),
    });
    this.removeHandlers = [
      this.pods.addEventHandler({
        onAdd: (pod) => this.onPod(undefined, pod),
        onUpdate: (old, pod) => this.onPod(old, pod),
        onDelete: (pod) => {
          const key = objectKey(pod.metadata);
          this.assumed.delete(key);
          this.unschedulable.delete(key);
          this.requeueUnschedulable();
        },
      }),
      this.nodes.addEventHandler({
        onAdd: () => this.requeueUnschedulable(),
        onUpdate: (old, node) => {
          if (old !== node) this.requeueUnschedulable();
        },
      }),
    ];
    this.pods.start();
    this.nodes.start();
    const abort = new AbortController();
    this.abort = abort;
    const runner = this.runner;
    void Promise.all([this.pods.waitForSync(abort.signal), this.nodes.waitForSync(abort.signal)]).then(
      () => {
        if (this.runner !== runner) return;
        runner.start();
        this.armRetry();
      },
      () => {},
    );
  }

  /** Stops scheduling; a decision in flight finishes first. Shared informers keep running. */
  async stop(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.runner = undefined;
    this.abort?.abort(new Error('scheduler stopped'));
    for (const remove of this.removeHandlers) remove();
    this.removeHandlers = [];
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await runner.stop();
    this.queue = undefined;
  }

  /** Pods currently known to fit nowhere (keys). */
  unschedulablePods(): string[] {
    return [...this.unschedulable].sort();
  }

  /**
   * Nodes with every bound pod and every assumed binding counted. Assumptions the informer
   * has caught up with (pod bound or gone) are dropped here.
   */
  nodeInfos(): Map<string, NodeInfo> {
    const infos = buildNodeInfos(this.nodes.list(), this.pods.list());
    for (const [key, a] of this.assumed) {
      const cached = this.pods.get(key);
      if (!cached || cached.spec?.nodeName || isTerminal(cached)) {
        this.assumed.delete(key);
        continue;
      }
      const info = infos.get(a.nodeName);
      if (info) addPodToNodeInfo(info, a.pod);
    }
    return infos;
  }

  /** Decides for one pod and writes the outcome; throws to be retried with backoff. */
  async scheduleOne(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod || !needsScheduling(pod) || this.assumed.has(key)) {
      this.unschedulable.delete(key);
      return;
    }
    const result = schedulePod(pod, this.nodeInfos().values());
    const now = new Date(this.clock.now()).toISOString();
    const storeKeyOfPod = storeKey(this.podResource, pod.metadata.namespace, pod.metadata.name ?? '');
    if (result.nodeName !== undefined) {
      const nodeName = result.nodeName;
      let written: Pod | undefined;
      try {
        written = await casUpdate<Pod>(
          this.store,
          storeKeyOfPod,
          (p) => {
            // Re-checked on the stored copy: another writer may have bound or deleted it meanwhile.
            if (!needsScheduling(p) || p.metadata.uid !== pod.metadata.uid) return undefined;
            p.spec.nodeName = nodeName;
            p.status = { ...p.status, phase: p.status?.phase ?? 'Pending' };
            setCondition(p, { type: POD_SCHEDULED, status: 'True', lastProbeTime: null, lastTransitionTime: now }, now);
            return p;
          },
          pod,
        );
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      this.unschedulable.delete(key);
      if (written) {
        this.assumed.set(key, { pod: written, nodeName });
        this.logger.info({ pod: key, node: nodeName, feasibleNodes: result.feasibleNodes }, 'pod bound');
      }
      return;
    }
    this.unschedulable.add(key);
    this.logger.info({ pod: key, reason: REASON_UNSCHEDULABLE, message: result.message }, 'pod is unschedulable');
    await casUpdate<Pod>(
      this.store,
      storeKeyOfPod,
      (p) => {
        if (!needsScheduling(p) || p.metadata.uid !== pod.metadata.uid) return undefined;
        const old = p.status?.conditions?.find((c) => c.type === POD_SCHEDULED);
        if (old?.status === 'False' && old.reason === REASON_UNSCHEDULABLE && old.message === result.message && p.status?.phase) return undefined;
        p.status = { ...p.status, phase: p.status?.phase ?? 'Pending' };
        setCondition(p, { type: POD_SCHEDULED, status: 'False', reason: REASON_UNSCHEDULABLE, message: result.message, lastProbeTime: null }, now);
        return p;
      },
      pod,
    );
  }

  private onPod(old: Readonly<Pod> | undefined, pod: Readonly<Pod>): void {
    const key = objectKey(pod.metadata);
    if (needsScheduling(pod)) {
      // A status-only change of a pod known not to fit (such as our own Unschedulable
      // condition) changes nothing about where it fits: no busy loop.
      const statusOnly = old !== undefined && JSON.stringify(old.spec) === JSON.stringify(pod.spec);
      if (!(statusOnly && this.unschedulable.has(key))) this.queue?.add(key);
      return;
    }
    this.unschedulable.delete(key);
    if (pod.spec?.nodeName) this.assumed.delete(key);
    // A pod that stopped holding resources (finished, or unbound) may make room.
    if (old && occupiesNode(old) && !occupiesNode(pod)) this.requeueUnschedulable();
  }

  private requeueUnschedulable(): void {
    for (const key of this.unschedulable) this.queue?.add(key);
  }

  private armRetry(): void {
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.runner) return;
      this.requeueUnschedulable();
      this.armRetry();
    }, this.retryIntervalMs);
  }
}

/** Puts `cond` into the pod's conditions, keeping lastTransitionTime when the status did not change. */
function setCondition(pod: Pod, cond: Condition, now: string): void {
  const conditions = [...(pod.status?.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === cond.type);
  const prev = i >= 0 ? conditions[i] : undefined;
  const next: Condition = { ...cond, lastTransitionTime: prev && prev.status === cond.status ? prev.lastTransitionTime ?? now : now };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  pod.status = { ...pod.status, conditions };
}
