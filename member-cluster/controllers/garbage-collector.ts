/**
 * The garbage collector (kubernetes pkg/controller/garbagecollector: attemptToDeleteItem,
 * processDeletingDependentsItem, orphanDependents), level-triggered over the informers of
 * the kinds that own or are owned in a member cluster:
 *
 * - background (the default): an object whose every owner is gone (no object with that
 *   name and uid) is deleted; owners that are gone are dropped from an object that still
 *   has a live owner;
 * - foreground: an owner with `deletionTimestamp` and the `foregroundDeletion` finalizer
 *   has its dependents deleted (foreground themselves when they have dependents) and loses
 *   the finalizer once no dependent with `blockOwnerDeletion` remains, which completes its
 *   deletion;
 * - orphan: an owner with the `orphan` finalizer has its reference removed from every
 *   dependent, then loses the finalizer.
 *
 * Absence is confirmed against the store before anything is deleted (an informer may lag
 * behind another), as the Kubernetes collector confirms "virtual" owners with a live GET.
 * Queue keys are `<resource>|<namespace>/<name>`, e.g. `replicasets.apps|shop/web-7d9f`.
 */
import {
  isBeingDeleted,
  objectKey,
  splitObjectKey,
  storeKey,
  type KubeObject,
  type OwnerReference,
  type ResourceInfo,
} from '../../apimachinery/index.js';
import { BY_OWNER_UID, WorkQueue, type Informer } from '../../controller/index.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, ObjectWriter } from './object-writer.js';

/** The kinds the collector watches by default: owners and dependents of the member's controllers. */
export const DEFAULT_GC_RESOURCES: readonly string[] = [
  'deployments.apps',
  'replicasets.apps',
  'daemonsets.apps',
  'statefulsets.apps',
  'controllerrevisions.apps',
  'jobs.batch',
  'pods',
  'persistentvolumeclaims',
  'endpoints',
];

/** The collector's queue key of an object of resource `r`. */
export function gcKey(r: Pick<ResourceInfo, 'group' | 'plural'>, obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${r.group === '' ? r.plural : `${r.plural}.${r.group}`}|${objectKey(obj.metadata)}`;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

/** Deletes what lost its owners and carries out foreground and orphan deletion. */
export class GarbageCollector {
  /** Name in the controller registry. */
  static readonly controllerName = 'garbage-collector';
  /** Keys `<resource>|<namespace>/<name>`. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on every watched cache. */
  readonly writer: ObjectWriter;
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(
    private readonly ctx: ControllerContext,
    resources: readonly string[] = DEFAULT_GC_RESOURCES,
  ) {
    this.queue = new WorkQueue({ name: GarbageCollector.controllerName, clock: ctx.clock });
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock);
    for (const name of resources) {
      const informer = ctx.informers.informerFor<KubeObject>(name);
      this.informers.set(this.idOf(informer.resource), informer);
      this.writer.track(informer);
    }
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const unregister: (() => void)[] = [];
    for (const informer of this.informers.values()) {
      const r = informer.resource;
      const changed = (obj: Readonly<KubeObject>): void => {
        const m = obj.metadata;
        const finalizing = isBeingDeleted(obj) && (m.finalizers ?? []).some((f) => f === FOREGROUND_FINALIZER || f === ORPHAN_FINALIZER);
        if ((m.ownerReferences?.length ?? 0) > 0 || finalizing) this.queue.add(gcKey(r, obj));
      };
      unregister.push(
        informer.addEventHandler({
          onAdd: changed,
          onUpdate: (_o, obj) => changed(obj),
          onDelete: (obj) => {
            // Its dependents may now be dangling; its owners may be waiting for it.
            for (const dep of this.dependentsOf(obj.metadata.uid ?? '')) this.queue.add(gcKey(dep.r, dep.obj));
            for (const ref of obj.metadata.ownerReferences ?? []) {
              const key = this.ownerKey(ref, obj.metadata.namespace);
              if (key) this.queue.add(key);
            }
          },
        }),
      );
    }
    return runLoop(this.ctx, { name: GarbageCollector.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over one object. */
  async reconcile(key: string): Promise<void> {
    const bar = key.indexOf('|');
    const informer = this.informers.get(key.slice(0, bar));
    if (!informer) return;
    const obj = informer.get(key.slice(bar + 1));
    if (!obj) return;
    const r = informer.resource;
    if (isBeingDeleted(obj)) {
      const finalizers = obj.metadata.finalizers ?? [];
      if (finalizers.includes(ORPHAN_FINALIZER)) await this.orphanDependents(r, obj);
      else if (finalizers.includes(FOREGROUND_FINALIZER)) await this.deleteDependents(r, obj);
      return;
    }
    await this.attemptToDelete(r, obj);
  }

  /** attemptToDeleteItem: classifies the owners and deletes or trims the object. */
  private async attemptToDelete(r: ResourceInfo, obj: Readonly<KubeObject>): Promise<void> {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = new Map<string, OwnerState>();
    for (const ref of refs) {
      const state = await this.ownerState(ref, obj.metadata.namespace);
      if (state) states.set(ref.uid, state);
    }
    const solid = refs.filter((ref) => states.get(ref.uid) === 'solid' || !states.has(ref.uid));
    const waiting = refs.filter((ref) => states.get(ref.uid) === 'waiting');
    const gone = new Set(refs.filter((ref) => states.get(ref.uid) !== 'solid' && states.has(ref.uid)).map((ref) => ref.uid));
    const target = { uid: obj.metadata.uid };
    if (solid.length > 0) {
      if (gone.size === 0) return;
      await this.writer.mutate(
        r,
        obj.metadata.namespace,
        obj.metadata.name ?? '',
        (o) => {
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((ref) => !gone.has(ref.uid));
        },
        target,
      );
      return;
    }
    const hasDependents = this.dependentsOf(obj.metadata.uid ?? '').length > 0;
    const propagation = waiting.length > 0 && hasDependents ? 'Foreground' : 'Background';
    this.ctx.logger.info({ resource: r.plural, key: objectKey(obj.metadata), propagation }, 'deleting object whose owners are gone');
    await this.writer.delete(r, obj.metadata.namespace, obj.metadata.name ?? '', { ...target, propagation });
  }

  /** processDeletingDependentsItem: delete dependents, drop the finalizer once no blocking one is left. */
  private async deleteDependents(r: ResourceInfo, owner: Readonly<KubeObject>): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    const deps = this.dependentsOf(uid);
    for (const dep of deps) {
      if (isBeingDeleted(dep.obj)) continue;
      const propagation = this.dependentsOf(dep.obj.metadata.uid ?? '').length > 0 ? 'Foreground' : 'Background';
      await this.writer.delete(dep.r, dep.obj.metadata.namespace, dep.obj.metadata.name ?? '', { uid: dep.obj.metadata.uid, propagation });
    }
    const blocking = this.dependentsOf(uid).filter((d) => d.obj.metadata.ownerReferences?.some((ref) => ref.uid === uid && ref.blockOwnerDeletion));
    if (blocking.length > 0) return; // their deletion events bring this owner back
    await this.removeFinalizer(r, owner, FOREGROUND_FINALIZER);
  }

  /** orphanDependents: remove the owner's reference from every dependent, then the finalizer. */
  private async orphanDependents(r: ResourceInfo, owner: Readonly<KubeObject>): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    for (const dep of this.dependentsOf(uid)) {
      await this.writer.mutate(
        dep.r,
        dep.obj.metadata.namespace,
        dep.obj.metadata.name ?? '',
        (o) => {
          const refs = (o.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
          if (refs.length > 0) o.metadata.ownerReferences = refs;
          else delete o.metadata.ownerReferences;
        },
        { uid: dep.obj.metadata.uid },
      );
    }
    await this.removeFinalizer(r, owner, ORPHAN_FINALIZER);
  }

  private async removeFinalizer(r: ResourceInfo, obj: Readonly<KubeObject>, finalizer: string): Promise<void> {
    await this.writer.mutate(
      r,
      obj.metadata.namespace,
      obj.metadata.name ?? '',
      (o) => {
        const rest = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        if (rest.length > 0) o.metadata.finalizers = rest;
        else delete o.metadata.finalizers;
      },
      { uid: obj.metadata.uid },
    );
  }

  /**
   * Solid (exists, not being deleted in the foreground), waiting (deleting in the
   * foreground) or dangling (absent, or another uid). Undefined for owner kinds the
   * member does not serve: such references are left alone.
   */
  private async ownerState(ref: OwnerReference, namespace: string | undefined): Promise<OwnerState | undefined> {
    const r = this.ctx.registry.byKind(ref.apiVersion, ref.kind);
    if (!r) return undefined;
    const ns = r.namespaced ? namespace : undefined;
    let owner: Readonly<KubeObject> | undefined = this.informers.get(this.idOf(r))?.getByName(ns, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) {
      const kv = await this.ctx.store.get(storeKey(r, ns, ref.name));
      owner = kv ? (JSON.parse(kv.value) as KubeObject) : undefined;
    }
    if (!owner || owner.metadata.uid !== ref.uid) return 'dangling';
    if (isBeingDeleted(owner) && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) return 'waiting';
    return 'solid';
  }

  private dependentsOf(uid: string): { r: ResourceInfo; obj: Readonly<KubeObject> }[] {
    if (!uid) return [];
    const out: { r: ResourceInfo; obj: Readonly<KubeObject> }[] = [];
    for (const informer of this.informers.values()) {
      for (const obj of informer.byIndex(BY_OWNER_UID, uid)) out.push({ r: informer.resource, obj });
    }
    return out;
  }

  private ownerKey(ref: OwnerReference, namespace: string | undefined): string | undefined {
    const r = this.ctx.registry.byKind(ref.apiVersion, ref.kind);
    if (!r || !this.informers.has(this.idOf(r))) return undefined;
    return gcKey(r, { metadata: { name: ref.name, namespace: r.namespaced ? namespace : undefined } });
  }

  private idOf(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
    return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
  }
}

/** Splits a collector key back into resource name and object key. */
export function splitGcKey(key: string): { resource: string; namespace?: string; name: string } {
  const bar = key.indexOf('|');
  return { resource: key.slice(0, bar), ...splitObjectKey(key.slice(bar + 1)) };
}
