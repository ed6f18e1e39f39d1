/**
 * The Deployment controller (kubernetes pkg/controller/deployment: sync.go, rolling.go,
 * recreate.go, progress.go): one ReplicaSet per pod template, named
 * `<deployment>-<pod-template-hash>`; RollingUpdate grows the new ReplicaSet within
 * replicas + maxSurge and shrinks old ones only while replicas - maxUnavailable pods stay
 * available; Recreate scales old ReplicaSets to 0, waits until their pods are gone, then
 * scales the new one up. Revisions, history cleanup, rollback by template and `paused`
 * behave as in Kubernetes. Not implemented: proportional scaling of several active
 * ReplicaSets during a rollout (a scale while paused resizes only a lone active
 * ReplicaSet) and progressDeadlineSeconds.
 */
import {
  controllerOf,
  deepCopy,
  isAlreadyExists,
  labelSelectorFromObject,
  newControllerRef,
  splitObjectKey,
  type KubeObject,
} from '../../apimachinery/index.js';
import { BY_NAMESPACE, BY_OWNER_UID, WorkQueue, enqueueObject, enqueueOwner, ownerKey, type Informer } from '../../controller/index.js';
import type { Condition, Deployment, DeploymentStatus, Pod, ReplicaSet } from '../api-types.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import {
  DEFAULT_REVISION_HISTORY_LIMIT,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  actualReplicas,
  availableReplicas,
  deploymentComplete,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  readyReplicas,
  revisionOf,
  specReplicas,
} from './deployment-rollout.js';
import { ObjectWriter, parseTimestamp } from './object-writer.js';
import { claimObjects } from './ownership-claims.js';
import { isPodTerminal } from './pod-state.js';
import { POD_TEMPLATE_HASH_LABEL, computeTemplateHash, templatesEqualIgnoringHash } from './pod-template.js';

/** Rolls Deployments out through ReplicaSets. */
export class DeploymentController {
  /** Name in the controller registry. */
  static readonly controllerName = 'deployment';
  /** Keys `namespace/name` of Deployments to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the Deployment and ReplicaSet caches. */
  readonly writer: ObjectWriter;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: DeploymentController.controllerName, clock: ctx.clock });
    this.deployments = ctx.informers.informerFor<Deployment>('deployments.apps');
    this.replicaSets = ctx.informers.informerFor<ReplicaSet>('replicasets.apps');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(
      this.deployments as unknown as Informer<KubeObject>,
      this.replicaSets as unknown as Informer<KubeObject>,
    );
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const podGone = (pod: Readonly<Pod>): void => {
      // Recreate waits for old pods to be gone: their deletion moves the rollout on.
      const ref = controllerOf(pod);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = this.replicaSets.getByName(pod.metadata.namespace, ref.name);
      const key = rs && ownerKey(rs, 'Deployment');
      if (key) this.queue.add(key);
    };
    const unregister = [
      this.deployments.addEventHandler(enqueueObject(this.queue)),
      this.replicaSets.addEventHandler(enqueueOwner(this.queue, 'Deployment')),
      this.pods.addEventHandler({ onDelete: (p) => podGone(p as Readonly<Pod>) }),
    ];
    return runLoop(this.ctx, { name: DeploymentController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over Deployment `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const d = this.deployments.get(key);
    if (!d) return;
    const { namespace } = splitObjectKey(key);
    const selector = labelSelectorFromObject(d.spec.selector);
    const rsList = await claimObjects(this.writer, this.writer.resource('replicasets.apps'), d, selector, this.replicaSets.byIndex(BY_NAMESPACE, namespace ?? ''));
    if (d.metadata.deletionTimestamp) {
      const { newRS, old } = await this.getAllReplicaSets(d, rsList, false);
      await this.syncStatus(d, newRS, old);
      return;
    }
    if (d.spec.paused) {
      await this.syncPaused(d, rsList);
      return;
    }
    if (isRollingUpdate(d)) await this.rolloutRolling(d, rsList);
    else await this.rolloutRecreate(d, rsList);
  }

  // ---- strategies ----

  private async rolloutRolling(d: Readonly<Deployment>, rsList: Readonly<ReplicaSet>[]): Promise<void> {
    const { newRS, old } = await this.getAllReplicaSets(d, rsList, true);
    if (!newRS) return;
    const all = [...old, newRS];
    const replicas = d.spec.replicas ?? 1;
    // reconcileNewReplicaSet
    const current = newRS.spec.replicas ?? 0;
    if (current !== replicas) {
      const target = current > replicas ? replicas : newRSNewReplicas(d, all, newRS);
      if (target !== current) {
        const scaled = await this.scale(newRS, target, d);
        await this.syncStatus(d, scaled, old);
        return;
      }
    }
    // reconcileOldReplicaSets
    const scaledOld = await this.reconcileOldReplicaSets(d, old, newRS);
    if (scaledOld) {
      await this.syncStatus(d, newRS, this.freshList(old));
      return;
    }
    const status = await this.syncStatus(d, newRS, old);
    if (status && deploymentComplete(d, status)) await this.cleanup(d, old);
  }

  /** rolling.go reconcileOldReplicaSets: true when an old ReplicaSet was scaled down. */
  private async reconcileOldReplicaSets(d: Readonly<Deployment>, old: Readonly<ReplicaSet>[], newRS: Readonly<ReplicaSet>): Promise<boolean> {
    const oldPods = specReplicas(old);
    if (oldPods === 0) return false;
    const replicas = d.spec.replicas ?? 1;
    const minAvailable = replicas - maxUnavailable(d);
    const allPods = oldPods + (newRS.spec.replicas ?? 0);
    const newUnavailable = (newRS.spec.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let changed = false;
    // cleanupUnhealthyReplicas: unavailable old pods go first, they cost no availability.
    const sorted = sortOldestFirst(old.filter((rs) => (rs.spec.replicas ?? 0) > 0));
    const afterCleanup: Readonly<ReplicaSet>[] = [];
    let cleaned = 0;
    for (const rs of sorted) {
      const spec = rs.spec.replicas ?? 0;
      const unhealthy = spec - (rs.status?.availableReplicas ?? 0);
      const n = Math.min(maxScaledDown - cleaned, Math.max(0, unhealthy));
      if (n > 0) {
        afterCleanup.push(await this.scale(rs, spec - n, d));
        cleaned += n;
        changed = true;
      } else {
        afterCleanup.push(rs);
      }
    }
    // scaleDownOldReplicaSetsForRollingUpdate: available pods above minAvailable may go.
    const available = availableReplicas([...afterCleanup, newRS]);
    let budget = available - minAvailable;
    for (const rs of afterCleanup) {
      if (budget <= 0) break;
      const spec = rs.spec.replicas ?? 0;
      if (spec === 0) continue;
      const n = Math.min(spec, budget);
      await this.scale(rs, spec - n, d);
      budget -= n;
      changed = true;
    }
    return changed;
  }

  private async rolloutRecreate(d: Readonly<Deployment>, rsList: Readonly<ReplicaSet>[]): Promise<void> {
    let { newRS, old } = await this.getAllReplicaSets(d, rsList, false);
    const activeOld = old.filter((rs) => (rs.spec.replicas ?? 0) > 0);
    if (activeOld.length > 0) {
      for (const rs of activeOld) await this.scale(rs, 0, d);
      await this.syncStatus(d, newRS, this.freshList(old));
      return;
    }
    if (this.oldPodsRunning(old)) {
      await this.syncStatus(d, newRS, old);
      return;
    }
    if (!newRS) ({ newRS, old } = await this.getAllReplicaSets(d, rsList, true));
    if (!newRS) return;
    const replicas = d.spec.replicas ?? 1;
    if ((newRS.spec.replicas ?? 0) !== replicas) newRS = await this.scale(newRS, replicas, d);
    const status = await this.syncStatus(d, newRS, old);
    if (status && deploymentComplete(d, status)) await this.cleanup(d, old);
  }

  /** recreate.go oldPodsRunning: an old ReplicaSet still reports pods, or a pod of one is not terminal. */
  private oldPodsRunning(old: readonly Readonly<ReplicaSet>[]): boolean {
    if (actualReplicas(old) > 0) return true;
    return old.some((rs) => this.pods.byIndex(BY_OWNER_UID, rs.metadata.uid ?? '').some((p) => !isPodTerminal(p)));
  }

  private async syncPaused(d: Readonly<Deployment>, rsList: Readonly<ReplicaSet>[]): Promise<void> {
    let { newRS, old } = await this.getAllReplicaSets(d, rsList, false);
    // A paused Deployment still scales, but starts no rollout.
    const active = [...old, ...(newRS ? [newRS] : [])].filter((rs) => (rs.spec.replicas ?? 0) > 0);
    const replicas = d.spec.replicas ?? 1;
    const lone = active.length === 1 ? active[0]! : active.length === 0 ? newRS : undefined;
    if (lone && (lone.spec.replicas ?? 0) !== replicas) {
      const scaled = await this.scale(lone, replicas, d);
      if (lone === newRS) newRS = scaled;
      else old = this.freshList(old);
    }
    await this.syncStatus(d, newRS, old);
  }

  // ---- ReplicaSets ----

  /**
   * sync.go getAllReplicaSetsAndSyncRevision: the ReplicaSet whose template equals the
   * Deployment's (oldest first) is the new one; it gets revision max(old) + 1, which is how
   * a rollback moves an old ReplicaSet to the newest revision.
   */
  private async getAllReplicaSets(
    d: Readonly<Deployment>,
    rsList: readonly Readonly<ReplicaSet>[],
    create: boolean,
  ): Promise<{ newRS: Readonly<ReplicaSet> | undefined; old: Readonly<ReplicaSet>[] }> {
    const sorted = sortOldestFirst(rsList);
    let newRS = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec.template, d.spec.template));
    const old = sorted.filter((rs) => rs !== newRS);
    const newRevision = Math.max(0, ...old.map(revisionOf)) + 1;
    const rsResource = this.writer.resource('replicasets.apps');
    if (newRS) {
      if (revisionOf(newRS) < newRevision) {
        const out = await this.writer.mutate<ReplicaSet>(
          rsResource,
          newRS.metadata.namespace,
          newRS.metadata.name ?? '',
          (rs) => {
            rs.metadata.annotations = { ...rs.metadata.annotations, [REVISION_ANNOTATION]: String(newRevision) };
          },
          { uid: newRS.metadata.uid },
        );
        if (out) newRS = out.object;
      }
    } else if (create) {
      newRS = await this.createNewReplicaSet(d, old, newRevision);
    }
    if (newRS) {
      const revision = String(revisionOf(newRS));
      if (d.metadata.annotations?.[REVISION_ANNOTATION] !== revision) {
        await this.writer.mutate<Deployment>(
          this.writer.resource('deployments.apps'),
          d.metadata.namespace,
          d.metadata.name ?? '',
          (obj) => {
            obj.metadata.annotations = { ...obj.metadata.annotations, [REVISION_ANNOTATION]: revision };
          },
          { uid: d.metadata.uid },
        );
      }
    }
    return { newRS, old };
  }

  private async createNewReplicaSet(d: Readonly<Deployment>, old: Readonly<ReplicaSet>[], revision: number): Promise<Readonly<ReplicaSet>> {
    const hash = computeTemplateHash(d.spec.template, d.status?.collisionCount);
    const template = deepCopy(d.spec.template) as ReplicaSet['spec']['template'];
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = deepCopy(d.spec.selector) as ReplicaSet['spec']['selector'];
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const replicas = d.spec.replicas ?? 1;
    const draft: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: {
          [REVISION_ANNOTATION]: String(revision),
          [DESIRED_REPLICAS_ANNOTATION]: String(replicas),
          [MAX_REPLICAS_ANNOTATION]: String(replicas + maxSurge(d)),
        },
        ownerReferences: [newControllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    draft.spec.replicas = newRSNewReplicas(d, [...old, draft], draft);
    try {
      return (await this.writer.create(draft)).object;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = this.replicaSets.getByName(d.metadata.namespace, draft.metadata.name ?? '');
      if (existing && controllerOf(existing)?.uid === d.metadata.uid && templatesEqualIgnoringHash(existing.spec.template, d.spec.template)) {
        return existing;
      }
      // A hash collision with someone else's ReplicaSet: the next name comes from collisionCount + 1.
      await this.writer.mutate<Deployment>(
        this.writer.resource('deployments.apps'),
        d.metadata.namespace,
        d.metadata.name ?? '',
        (obj) => {
          obj.status = { ...obj.status, collisionCount: (obj.status?.collisionCount ?? 0) + 1 };
        },
        { uid: d.metadata.uid },
      );
      throw err;
    }
  }

  private async scale(rs: Readonly<ReplicaSet>, replicas: number, d: Readonly<Deployment>): Promise<Readonly<ReplicaSet>> {
    const out = await this.writer.mutate<ReplicaSet>(
      this.writer.resource('replicasets.apps'),
      rs.metadata.namespace,
      rs.metadata.name ?? '',
      (obj) => {
        obj.spec.replicas = replicas;
        obj.metadata.annotations = {
          ...obj.metadata.annotations,
          [DESIRED_REPLICAS_ANNOTATION]: String(d.spec.replicas ?? 1),
          [MAX_REPLICAS_ANNOTATION]: String((d.spec.replicas ?? 1) + maxSurge(d)),
        };
      },
      { uid: rs.metadata.uid },
    );
    return out?.object ?? rs;
  }

  /** The cached versions of ReplicaSets after this controller wrote them. */
  private freshList(list: readonly Readonly<ReplicaSet>[]): Readonly<ReplicaSet>[] {
    return list.map((rs) => this.replicaSets.getByName(rs.metadata.namespace, rs.metadata.name ?? '') ?? rs);
  }

  /** sync.go cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit go, oldest revision first. */
  private async cleanup(d: Readonly<Deployment>, old: readonly Readonly<ReplicaSet>[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
    const fresh = this.freshList(old);
    const cleanable = fresh
      .filter((rs) => !rs.metadata.deletionTimestamp && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0)
      .filter((rs) => (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 1))
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = fresh.length - limit;
    for (const rs of cleanable.slice(0, Math.max(0, excess))) {
      await this.writer.delete(this.writer.resource('replicasets.apps'), rs.metadata.namespace, rs.metadata.name ?? '', { uid: rs.metadata.uid });
    }
  }

  // ---- status ----

  /** sync.go calculateStatus and progress.go conditions; returns the status written. */
  private async syncStatus(d: Readonly<Deployment>, newRS: Readonly<ReplicaSet> | undefined, old: readonly Readonly<ReplicaSet>[]): Promise<DeploymentStatus | undefined> {
    const fresh = this.freshList([...old, ...(newRS ? [newRS] : [])]);
    const current = newRS ? fresh[fresh.length - 1] : undefined;
    const replicas = d.spec.replicas ?? 1;
    const available = availableReplicas(fresh);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: actualReplicas(fresh),
      updatedReplicas: current ? actualReplicas([current]) : 0,
      readyReplicas: readyReplicas(fresh),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
    };
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    const now = this.writer.now();
    const minAvailable = replicas - maxUnavailable(d);
    const conditions: Condition[] = [
      available >= minAvailable
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    ];
    if (d.spec.paused) {
      conditions.push({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    } else if (current && deploymentComplete(d, status)) {
      conditions.push({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${current.metadata.name}" has successfully progressed.` });
    } else if (current) {
      conditions.push({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${current.metadata.name}" is progressing.` });
    }
    status.conditions = conditions.map((c) => {
      const prev = d.status?.conditions?.find((p) => p.type === c.type);
      const transitioned = !prev || prev.status !== c.status;
      const updated = transitioned || prev.reason !== c.reason || prev.message !== c.message;
      return {
        ...c,
        lastUpdateTime: updated ? now : (prev.lastUpdateTime ?? now),
        lastTransitionTime: transitioned ? now : (prev.lastTransitionTime ?? now),
      };
    });
    const out = await this.writer.mutate<Deployment>(
      this.writer.resource('deployments.apps'),
      d.metadata.namespace,
      d.metadata.name ?? '',
      (obj) => {
        obj.status = status;
      },
      { uid: d.metadata.uid },
    );
    return out?.object.status;
  }
}

/** controller.ReplicaSetsByCreationTimestamp: oldest first, name breaks ties. */
function sortOldestFirst(list: readonly Readonly<ReplicaSet>[]): Readonly<ReplicaSet>[] {
  return [...list].sort((a, b) => {
    const ta = parseTimestamp(a.metadata.creationTimestamp) ?? 0;
    const tb = parseTimestamp(b.metadata.creationTimestamp) ?? 0;
    return ta !== tb ? ta - tb : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
}
