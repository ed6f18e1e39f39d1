/**
 * The DaemonSet controller (kubernetes pkg/controller/daemon/daemon_controller.go): one pod
 * per node that should run it — the node is schedulable, matches the template's
 * nodeSelector, and every NoSchedule/NoExecute taint is tolerated — bound by setting
 * `spec.nodeName` directly (Kubernetes uses node affinity and the scheduler). Extra pods on
 * a node, pods on nodes that should not run one, and failed pods are deleted. RollingUpdate
 * replaces pods of an older template (`controller-revision-hash`) while at most
 * maxUnavailable (default 1) are unavailable. Unlike Kubernetes, which tolerates
 * `node.kubernetes.io/unschedulable` for daemon pods, `spec.unschedulable` nodes are skipped.
 */
import { isAlreadyExists, newControllerRef, objectKey, splitObjectKey, type KubeObject } from '../../apimachinery/index.js';
import { BY_OWNER_UID, WorkQueue, enqueueObject, enqueueOwner, type Informer } from '../../controller/index.js';
import type { DaemonSet, DaemonSetStatus, Node, Pod, Taint, Toleration } from '../api-types.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { scaledValue } from './deployment-rollout.js';
import { ObjectWriter } from './object-writer.js';
import { compareForDeletion, isPodAvailable, isPodReady, isPodTerminating } from './pod-state.js';
import { computeTemplateHash, podFromTemplate, randomSuffix } from './pod-template.js';

/** Label with the template revision of a daemon pod. */
export const DAEMON_REVISION_LABEL = 'controller-revision-hash';

/** v1helper.ToleratesTaint. */
export function toleratesTaint(tolerations: readonly Toleration[] | undefined, taint: Readonly<Taint>): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key === undefined || t.key === '') return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** daemon_controller.go NodeShouldRunDaemonPod, as described above. */
export function nodeShouldRunDaemonPod(node: Readonly<Node>, ds: Readonly<DaemonSet>): boolean {
  if (node.spec?.unschedulable) return false;
  const selector = ds.spec.template.spec.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  return (node.spec?.taints ?? []).every((taint) => taint.effect === 'PreferNoSchedule' || toleratesTaint(ds.spec.template.spec.tolerations, taint));
}

/** Keeps one pod of each DaemonSet on every suitable node. */
export class DaemonSetController {
  /** Name in the controller registry. */
  static readonly controllerName = 'daemonset';
  /** Keys `namespace/name` of DaemonSets to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the DaemonSet and Pod caches. */
  readonly writer: ObjectWriter;
  private readonly sets: Informer<DaemonSet>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: DaemonSetController.controllerName, clock: ctx.clock });
    this.sets = ctx.informers.informerFor<DaemonSet>('daemonsets.apps');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.nodes = ctx.informers.informerFor<Node>('nodes');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(
      this.sets as unknown as Informer<KubeObject>,
      this.pods as unknown as Informer<KubeObject>,
    );
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const all = (): void => {
      for (const ds of this.sets.list()) this.queue.add(objectKey(ds.metadata));
    };
    const unregister = [
      this.sets.addEventHandler(enqueueObject(this.queue)),
      this.pods.addEventHandler(enqueueOwner(this.queue, 'DaemonSet')),
      // Any node change may change where daemons should run.
      this.nodes.addEventHandler({ onAdd: all, onUpdate: all, onDelete: all }),
    ];
    return runLoop(this.ctx, { name: DaemonSetController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over DaemonSet `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const ds = this.sets.get(key);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const { namespace, name } = splitObjectKey(key);
    const revision = computeTemplateHash(ds.spec.template);
    const podsResource = this.writer.resource('pods');
    const del = (p: Readonly<Pod>): Promise<boolean> => this.writer.delete(podsResource, p.metadata.namespace, p.metadata.name ?? '', { uid: p.metadata.uid });

    const byNode = new Map<string, Readonly<Pod>[]>();
    for (const p of this.pods.byIndex(BY_OWNER_UID, ds.metadata.uid ?? '')) {
      if (isPodTerminating(p)) continue;
      const node = p.spec.nodeName ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    const nodes = this.nodes.list();
    const nodeNames = new Set(nodes.map((n) => n.metadata.name ?? ''));
    const minReady = ds.spec.minReadySeconds ?? 0;
    const now = this.ctx.clock.now();
    // Pods on nodes that no longer exist.
    for (const [node, pods] of byNode) if (!nodeNames.has(node)) for (const p of pods) await del(p);

    const outdated: Readonly<Pod>[] = [];
    let unavailable = 0;
    for (const node of nodes) {
      const nodeName = node.metadata.name ?? '';
      const pods = byNode.get(nodeName) ?? [];
      if (!nodeShouldRunDaemonPod(node, ds)) {
        for (const p of pods) await del(p);
        continue;
      }
      const failed = pods.filter((p) => p.status?.phase === 'Failed');
      for (const p of failed) await del(p);
      const live = pods.filter((p) => p.status?.phase !== 'Failed');
      if (live.length === 0) {
        await this.createPod(ds, nodeName, revision);
        unavailable++;
        continue;
      }
      // Keep the oldest; compareForDeletion puts the ones to delete first.
      const sorted = [...live].sort(compareForDeletion);
      for (const p of sorted.slice(0, sorted.length - 1)) await del(p);
      const kept = sorted[sorted.length - 1]!;
      if (!isPodAvailable(kept, minReady, now)) unavailable++;
      if (kept.metadata.labels?.[DAEMON_REVISION_LABEL] !== revision) outdated.push(kept);
    }
    const strategy = ds.spec.updateStrategy?.type ?? 'RollingUpdate';
    if (strategy === 'RollingUpdate' && outdated.length > 0) {
      const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds)).length;
      const maxUnavailable = Math.max(1, scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true));
      // Unavailable outdated pods cost nothing to replace; available ones only within the budget.
      for (const p of [...outdated].sort(compareForDeletion)) {
        const available = isPodAvailable(p, minReady, now);
        if (available && unavailable >= maxUnavailable) break;
        await del(p);
        if (available) unavailable++;
      }
    }

    const pods = this.pods.byIndex(BY_OWNER_UID, ds.metadata.uid ?? '').filter((p) => !isPodTerminating(p));
    const status: DaemonSetStatus = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0 };
    for (const node of nodes) {
      const on = pods.filter((p) => p.spec.nodeName === node.metadata.name);
      if (nodeShouldRunDaemonPod(node, ds)) {
        status.desiredNumberScheduled++;
        if (on.length > 0) {
          status.currentNumberScheduled++;
          const p = on[0]!;
          if (isPodReady(p)) status.numberReady++;
          if (isPodAvailable(p, minReady, now)) status.numberAvailable!++;
          if (p.metadata.labels?.[DAEMON_REVISION_LABEL] === revision) status.updatedNumberScheduled!++;
        }
      } else if (on.length > 0) {
        status.numberMisscheduled++;
      }
    }
    status.observedGeneration = ds.metadata.generation ?? 1;
    await this.writer.mutate<DaemonSet>(
      this.writer.resource('daemonsets.apps'),
      namespace,
      name,
      (obj) => {
        obj.status = status;
      },
      { uid: ds.metadata.uid },
    );
  }

  private async createPod(ds: Readonly<DaemonSet>, nodeName: string, revision: string): Promise<void> {
    const pod = podFromTemplate(ds.spec.template, {
      namespace: ds.metadata.namespace ?? '',
      name: `${ds.metadata.name}-${randomSuffix()}`,
      owner: newControllerRef(ds),
      extraLabels: { [DAEMON_REVISION_LABEL]: revision },
    });
    pod.spec.nodeName = nodeName;
    try {
      await this.writer.create(pod);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
