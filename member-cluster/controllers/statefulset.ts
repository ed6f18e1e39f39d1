/**
 * The StatefulSet controller (kubernetes pkg/controller/statefulset: stateful_set_control.go,
 * stateful_pod_control.go, stateful_set_utils.go): pods `<sts>-0..N-1` with stable names,
 * `statefulset.kubernetes.io/pod-name`, `spec.hostname`/`subdomain`; one
 * PersistentVolumeClaim `<template>-<sts>-<ordinal>` per claim template, created before
 * its pod and owned by nobody (the `Retain` default: claims outlive pods and scale-down),
 * marked Bound here (the kubelet provisions `<dataDir>/pvc/<namespace>/<claimName>`).
 *
 * OrderedReady creates pod i only when pods 0..i-1 are Running and Ready and removes
 * surplus pods from the highest ordinal, one at a time; Parallel does both at once. A
 * missing or failed pod is (re)created with the same name. RollingUpdate replaces pods whose
 * `controller-revision-hash` differs from the update revision, highest ordinal first, one at
 * a time while all others are ready, down to `partition`. Revisions are `<sts>-<hash>`; no
 * ControllerRevision objects are written.
 */
import { isAlreadyExists, newControllerRef, splitObjectKey, type KubeObject } from '../../apimachinery/index.js';
import { BY_OWNER_UID, WorkQueue, enqueueObject, enqueueOwner, type Informer } from '../../controller/index.js';
import type { PersistentVolumeClaim, Pod, StatefulSet, StatefulSetStatus } from '../api-types.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { ObjectWriter } from './object-writer.js';
import { isPodAvailable, isPodReady, isPodTerminating } from './pod-state.js';
import { computeTemplateHash, podFromTemplate } from './pod-template.js';

/** Label with a StatefulSet pod's own name, so a Service can select one pod. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Label with the revision a pod was created from. */
export const REVISION_LABEL = 'controller-revision-hash';
/** Where, under the member's data dir, the kubelet keeps claim data: `<dataDir>/pvc/<namespace>/<claimName>`. */
export const PVC_DATA_SUBDIR = 'pvc';

/** The claim name of template `template` for ordinal `ordinal` (getPersistentVolumeClaimName). */
export function pvcName(template: string, sts: string, ordinal: number): string {
  return `${template}-${sts}-${ordinal}`;
}

/** The ordinal of a pod name `<sts>-<n>`; undefined when the name does not have that shape. */
export function ordinalOf(sts: string, podName: string): number | undefined {
  if (!podName.startsWith(`${sts}-`)) return undefined;
  const rest = podName.slice(sts.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

function runningAndReady(pod: Readonly<Pod>): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Keeps StatefulSets' ordered, stable pods and their claims. */
export class StatefulSetController {
  /** Name in the controller registry. */
  static readonly controllerName = 'statefulset';
  /** Keys `namespace/name` of StatefulSets to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the StatefulSet, Pod and claim caches. */
  readonly writer: ObjectWriter;
  private readonly sets: Informer<StatefulSet>;
  private readonly pods: Informer<Pod>;
  private readonly claims: Informer<PersistentVolumeClaim>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: StatefulSetController.controllerName, clock: ctx.clock });
    this.sets = ctx.informers.informerFor<StatefulSet>('statefulsets.apps');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.claims = ctx.informers.informerFor<PersistentVolumeClaim>('persistentvolumeclaims');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(
      this.sets as unknown as Informer<KubeObject>,
      this.pods as unknown as Informer<KubeObject>,
      this.claims as unknown as Informer<KubeObject>,
    );
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const unregister = [this.sets.addEventHandler(enqueueObject(this.queue)), this.pods.addEventHandler(enqueueOwner(this.queue, 'StatefulSet'))];
    return runLoop(this.ctx, { name: StatefulSetController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over StatefulSet `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const sts = this.sets.get(key);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const { namespace, name } = splitObjectKey(key);
    const replicas = sts.spec.replicas ?? 1;
    const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const updateRevision = `${name}-${computeTemplateHash(sts.spec.template)}`;
    const currentRevision = sts.status?.currentRevision ?? updateRevision;
    const byOrdinal = new Map<number, Readonly<Pod>>();
    for (const p of this.pods.byIndex(BY_OWNER_UID, sts.metadata.uid ?? '')) {
      const ord = ordinalOf(name, p.metadata.name ?? '');
      if (ord !== undefined) byOrdinal.set(ord, p);
    }

    await this.sync(sts, replicas, ordered, updateRevision, byOrdinal);

    // Status from the cache after this pass's writes.
    const pods = this.pods.byIndex(BY_OWNER_UID, sts.metadata.uid ?? '').filter((p) => ordinalOf(name, p.metadata.name ?? '') !== undefined && !isPodTerminating(p));
    const now = this.ctx.clock.now();
    const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length;
    const ready = pods.filter(isPodReady).length;
    const status: StatefulSetStatus = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: pods.length,
      readyReplicas: ready,
      availableReplicas: pods.filter((p) => isPodAvailable(p, sts.spec.minReadySeconds ?? 0, now)).length,
      currentReplicas: pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length,
      updatedReplicas: updated,
      currentRevision: updated === replicas && ready === replicas && pods.length === replicas ? updateRevision : currentRevision,
      updateRevision,
    };
    if (status.currentRevision === updateRevision) status.currentReplicas = updated;
    await this.writer.mutate<StatefulSet>(
      this.writer.resource('statefulsets.apps'),
      namespace,
      name,
      (obj) => {
        obj.status = status;
      },
      { uid: sts.metadata.uid },
    );
  }

  private async sync(sts: Readonly<StatefulSet>, replicas: number, ordered: boolean, updateRevision: string, byOrdinal: Map<number, Readonly<Pod>>): Promise<void> {
    const podsResource = this.writer.resource('pods');
    // Replicas 0..N-1, lowest first.
    for (let i = 0; i < replicas; i++) {
      const pod = byOrdinal.get(i);
      if (pod && pod.status?.phase === 'Failed' && !isPodTerminating(pod)) {
        // A failed pod is replaced under the same name on a later pass.
        await this.writer.delete(podsResource, pod.metadata.namespace, pod.metadata.name ?? '', { uid: pod.metadata.uid });
        if (ordered) return;
        continue;
      }
      if (!pod) {
        await this.ensureClaims(sts, i);
        await this.createPod(sts, i, updateRevision);
        if (ordered) return;
        continue;
      }
      if (isPodTerminating(pod) && ordered) return;
      await this.ensureClaims(sts, i);
      if (ordered && !runningAndReady(pod)) return;
    }
    // Condemned pods, highest ordinal first.
    const condemned = [...byOrdinal.entries()].filter(([ord]) => ord >= replicas).sort(([a], [b]) => b - a);
    for (const [, pod] of condemned) {
      if (isPodTerminating(pod)) {
        if (ordered) return;
        continue;
      }
      await this.writer.delete(podsResource, pod.metadata.namespace, pod.metadata.name ?? '', { uid: pod.metadata.uid });
      if (ordered) return;
    }
    if (condemned.length > 0) return;
    // RollingUpdate: replace one outdated pod, highest ordinal first, while all are ready.
    if ((sts.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let i = 0; i < replicas; i++) {
      const pod = byOrdinal.get(i);
      if (!pod || !runningAndReady(pod)) return;
    }
    for (let i = replicas - 1; i >= partition; i--) {
      const pod = byOrdinal.get(i)!;
      if (pod.metadata.labels?.[REVISION_LABEL] !== updateRevision) {
        await this.writer.delete(podsResource, pod.metadata.namespace, pod.metadata.name ?? '', { uid: pod.metadata.uid });
        return;
      }
    }
  }

  /** Creates the missing claims of one ordinal, Bound at once (createPersistentVolumeClaims). */
  private async ensureClaims(sts: Readonly<StatefulSet>, ordinal: number): Promise<void> {
    for (const t of sts.spec.volumeClaimTemplates ?? []) {
      const claim = pvcName(t.metadata.name ?? '', sts.metadata.name ?? '', ordinal);
      if (this.claims.getByName(sts.metadata.namespace, claim)) continue;
      const pvc: PersistentVolumeClaim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claim,
          namespace: sts.metadata.namespace,
          labels: { ...(t.metadata.labels ?? {}), ...(sts.spec.selector.matchLabels ?? {}) },
          ...(t.metadata.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        },
        spec: { ...t.spec },
        status: { phase: 'Bound', ...(t.spec.resources?.requests ? { capacity: { ...t.spec.resources.requests } } : {}) },
      };
      if (sts.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') pvc.metadata.ownerReferences = [newControllerRef(sts)];
      try {
        await this.writer.create(pvc);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  }

  private async createPod(sts: Readonly<StatefulSet>, ordinal: number, revision: string): Promise<void> {
    const setName = sts.metadata.name ?? '';
    const podName = `${setName}-${ordinal}`;
    const pod = podFromTemplate(sts.spec.template, {
      namespace: sts.metadata.namespace ?? '',
      name: podName,
      owner: newControllerRef(sts),
      extraLabels: { [POD_NAME_LABEL]: podName, [REVISION_LABEL]: revision },
    });
    pod.spec.hostname = podName;
    if (sts.spec.serviceName) pod.spec.subdomain = sts.spec.serviceName;
    const templates = sts.spec.volumeClaimTemplates ?? [];
    if (templates.length > 0) {
      const claimVolumes = templates.map((t) => ({ name: t.metadata.name ?? '', persistentVolumeClaim: { claimName: pvcName(t.metadata.name ?? '', setName, ordinal) } }));
      const names = new Set(claimVolumes.map((v) => v.name));
      pod.spec.volumes = [...(pod.spec.volumes ?? []).filter((v) => !names.has(v.name)), ...claimVolumes];
    }
    try {
      await this.writer.create(pod);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
