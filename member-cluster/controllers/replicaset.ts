/**
 * The ReplicaSet controller (kubernetes pkg/controller/replicaset/replica_set.go): keeps
 * `spec.replicas` active pods per ReplicaSet — creates `<rs>-<5 random chars>` pods from the
 * template, deletes the pods ranked first by controller.ActivePods (unscheduled, not ready,
 * newest), adopts matching orphans and writes the status counts.
 */
import {
  BY_NAMESPACE,
  BY_OWNER_UID,
  WorkQueue,
  enqueueObject,
  enqueueOwner,
  type Informer,
} from '../../controller/index.js';
import {
  isAlreadyExists,
  labelSelectorFromObject,
  newControllerRef,
  objectKey,
  splitObjectKey,
  type KubeObject,
} from '../../apimachinery/index.js';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../api-types.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { ObjectWriter } from './object-writer.js';
import { claimObjects } from './ownership-claims.js';
import { compareForDeletion, isPodActive, isPodAvailable, isPodReady, msUntilAvailable } from './pod-state.js';
import { podFromTemplate, randomSuffix } from './pod-template.js';

/** Pods created or deleted per reconcile at most (kube-controller-manager's burstReplicas). */
export const BURST_REPLICAS = 500;

/** Keeps each ReplicaSet's pod count at its replicas. */
export class ReplicaSetController {
  /** Name in the controller registry. */
  static readonly controllerName = 'replicaset';
  /** Keys `namespace/name` of ReplicaSets to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the ReplicaSet and Pod caches. */
  readonly writer: ObjectWriter;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: ReplicaSetController.controllerName, clock: ctx.clock });
    this.replicaSets = ctx.informers.informerFor<ReplicaSet>('replicasets.apps');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(
      this.replicaSets as unknown as Informer<KubeObject>,
      this.pods as unknown as Informer<KubeObject>,
    );
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const unregister = [
      this.replicaSets.addEventHandler(enqueueObject(this.queue)),
      this.pods.addEventHandler(enqueueOwner(this.queue, 'ReplicaSet')),
      // Orphans may be adopted by any ReplicaSet of their namespace whose selector matches.
      this.pods.addEventHandler({ onAdd: (p) => this.enqueueSelecting(p as Readonly<Pod>), onUpdate: (_o, p) => this.enqueueSelecting(p as Readonly<Pod>) }),
    ];
    return runLoop(this.ctx, { name: ReplicaSetController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  private enqueueSelecting(pod: Readonly<Pod>): void {
    if (pod.metadata.ownerReferences?.some((r) => r.controller)) return;
    for (const rs of this.replicaSets.byIndex(BY_NAMESPACE, pod.metadata.namespace ?? '')) {
      if (labelSelectorFromObject(rs.spec.selector).matches(pod.metadata.labels)) this.queue.add(objectKey(rs.metadata));
    }
  }

  /** One pass over ReplicaSet `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const rs = this.replicaSets.get(key);
    if (!rs) return;
    const { namespace } = splitObjectKey(key);
    const selector = labelSelectorFromObject(rs.spec.selector);
    let owned = await claimObjects(this.writer, this.writer.resource('pods'), rs, selector, this.pods.byIndex(BY_NAMESPACE, namespace ?? ''));
    if (!rs.metadata.deletionTimestamp) {
      const changed = await this.manageReplicas(rs, owned.filter(isPodActive));
      if (changed) owned = this.pods.byIndex(BY_OWNER_UID, rs.metadata.uid ?? '').filter((p) => selector.matches(p.metadata.labels));
    }
    const active = owned.filter(isPodActive);
    const minReady = rs.spec.minReadySeconds ?? 0;
    const now = this.ctx.clock.now();
    const templateLabels = Object.entries(rs.spec.template.metadata?.labels ?? {});
    const status: ReplicaSetStatus = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    await this.writer.mutate<ReplicaSet>(
      this.writer.resource('replicasets.apps'),
      namespace,
      rs.metadata.name ?? '',
      (obj) => {
        obj.status = { ...obj.status, ...status };
      },
      { uid: rs.metadata.uid },
    );
    // Pods ready but not yet for minReadySeconds become available without any event.
    const waits = active.map((p) => msUntilAvailable(p, minReady, now)).filter((ms): ms is number => ms !== undefined);
    if (waits.length > 0) this.queue.addAfter(key, Math.min(...waits) + 1);
  }

  /** Creates or deletes pods toward `spec.replicas`; true when it wrote anything. */
  private async manageReplicas(rs: Readonly<ReplicaSet>, active: Readonly<Pod>[]): Promise<boolean> {
    const want = rs.spec.replicas ?? 1;
    const diff = active.length - want;
    const pods = this.writer.resource('pods');
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      const owner = newControllerRef(rs);
      // Slow start (controller.slowStartBatch): 1, 2, 4, ... so a failing create costs little.
      let created = 0;
      for (let batch = 1; created < n; batch *= 2) {
        const size = Math.min(batch, n - created);
        await Promise.all(
          Array.from({ length: size }, async () => {
            const pod = podFromTemplate(rs.spec.template, { namespace: rs.metadata.namespace ?? '', name: `${rs.metadata.name}-${randomSuffix()}`, owner });
            try {
              await this.writer.create(pod);
            } catch (err) {
              if (!isAlreadyExists(err)) throw err;
              this.queue.add(objectKey(rs.metadata));
            }
          }),
        );
        created += size;
      }
      return true;
    }
    if (diff > 0) {
      const victims = [...active].sort(compareForDeletion).slice(0, Math.min(diff, BURST_REPLICAS));
      await Promise.all(victims.map((p) => this.writer.delete(pods, p.metadata.namespace, p.metadata.name ?? '', { uid: p.metadata.uid })));
      return true;
    }
    return false;
  }
}
