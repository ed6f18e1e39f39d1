/**
 * How the member's controllers write: straight into the local store (there is no API server
 * between them), doing the few things the API server would have done — uid, timestamps and
 * `generation` on create, compare-and-swap updates retried on Conflict, and deletes that
 * honour finalizers (an object with finalizers only gets `deletionTimestamp`; the last
 * finalizer removed completes the delete, as kube-apiserver's registry store does).
 *
 * Read-your-writes: after a write, the call waits until the informers registered with
 * `track()` have seen that revision, so the next reconcile never acts on a cache that
 * misses its own last write (the role client-go's ControllerExpectations play in
 * kube-controller-manager, with one in-process store doing the bookkeeping).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  conflict,
  deepCopy,
  internalError,
  isConflict,
  storeKey,
  type KubeObject,
  type ResourceInfo,
  type ResourceRegistry,
  formatTimestamp,
} from '../../apimachinery/index.js';
import type { Clock, Informer, TimerHandle } from '../../controller/index.js';
import type { Store } from '../../store/index.js';

/** Compare-and-swap attempts before a write gives up with Conflict (the runner retries later). */
export const MAX_CAS_ATTEMPTS = 10;
/** Longest wait for a tracked informer to see a write; past it the write counts as seen. */
export const CACHE_WAIT_TIMEOUT_MS = 5_000;
/** Finalizer of foreground cascading deletion (metav1.FinalizerDeleteDependents). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Finalizer of orphaning deletion (metav1.FinalizerOrphanDependents). */
export const ORPHAN_FINALIZER = 'orphan';
/** The finalizer a namespace keeps in `spec.finalizers` until its contents are gone. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** metav1.DeletionPropagation. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** An object as written, with the write's revision (also its `resourceVersion`). */
export interface WriteResult<T> {
  object: T;
  revision: number;
}

/** Options of `ObjectWriter.mutate` and `delete`. */
export interface TargetOptions {
  /** Precondition: act only while the stored object has this uid (a re-created namesake is left alone). */
  uid?: string;
}

/** Kubernetes' timestamp form (one definition, in apimachinery). */
export { formatTimestamp };

/** Milliseconds of a Kubernetes timestamp; undefined when absent or unparsable. */
export function parseTimestamp(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

function pendingFinalizers(r: ResourceInfo, obj: KubeObject): number {
  let n = obj.metadata.finalizers?.length ?? 0;
  if (r.kind === 'Namespace' && r.group === '') {
    const spec = obj.spec as { finalizers?: unknown } | undefined;
    if (Array.isArray(spec?.finalizers)) n += spec.finalizers.length;
  }
  return n;
}

interface Waiter {
  informer: Informer<KubeObject>;
  revision: number;
  resolve: () => void;
  timer: TimerHandle;
}

/** Creates, updates and deletes objects in the local store on behalf of controllers. */
export class ObjectWriter {
  private readonly tracked = new Map<string, Informer<KubeObject>>();
  private waiters: Waiter[] = [];
  private readonly unhook: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly clock: Clock,
  ) {}

  /** The resource of a name (`pods`, `replicasets.apps`); a missing one is a programming error. */
  resource(name: string): ResourceInfo {
    const r = this.registry.resolve(name);
    if (!r) throw internalError(`resource ${name} is not in the member's registry`);
    return r;
  }

  /** The resource of an object's apiVersion and kind. */
  resourceOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceInfo {
    const r = this.registry.byKind(obj.apiVersion, obj.kind);
    if (!r) throw internalError(`kind ${obj.apiVersion}/${obj.kind} is not in the member's registry`);
    return r;
  }

  /** Writes to these informers' resources wait until the informer has seen them. */
  track(...informers: Informer<KubeObject>[]): this {
    for (const informer of informers) {
      const id = `${informer.resource.group}/${informer.resource.plural}`;
      if (this.tracked.has(id)) continue;
      this.tracked.set(id, informer);
      const wake = (): void => this.wake(informer);
      this.unhook.push(informer.addEventHandler({ onAdd: wake, onUpdate: wake, onDelete: wake }));
    }
    return this;
  }

  /** Releases every waiting write and unhooks from the informers (on stop). */
  close(): void {
    for (const off of this.unhook.splice(0)) off();
    this.tracked.clear();
    for (const w of this.waiters.splice(0)) {
      this.clock.clearTimeout(w.timer);
      w.resolve();
    }
  }

  /** The current time as a Kubernetes timestamp. */
  now(): string {
    return formatTimestamp(this.clock.now());
  }

  /**
   * Creates `obj` with a fresh uid, `creationTimestamp` and `generation: 1` (what the API
   * server would set). AlreadyExists propagates.
   */
  async create<T extends KubeObject>(obj: T): Promise<WriteResult<T>> {
    const r = this.resourceOf(obj);
    const out = deepCopy(obj);
    out.metadata.uid = randomUUID();
    out.metadata.creationTimestamp = this.now();
    out.metadata.generation = 1;
    delete out.metadata.resourceVersion;
    const revision = await this.store.create(storeKey(r, out.metadata.namespace, out.metadata.name ?? ''), JSON.stringify(out));
    out.metadata.resourceVersion = String(revision);
    await this.waitSeen(r, revision);
    return { object: out, revision };
  }

  /**
   * Read-modify-write with compare-and-swap, retried on Conflict. `change` edits the fresh
   * object in place (return `false` to write nothing). `generation` moves when a generation
   * field changed; an update that leaves a deleted object without finalizers completes the
   * delete. Undefined when the object is gone (or its uid differs from `opts.uid`).
   */
  async mutate<T extends KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    change: (obj: T) => boolean | void,
    opts: TargetOptions = {},
  ): Promise<WriteResult<T> | undefined> {
    const key = storeKey(r, namespace, name);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) return undefined;
      const before = JSON.parse(kv.value) as T;
      if (opts.uid !== undefined && before.metadata.uid !== opts.uid) return undefined;
      delete before.metadata.resourceVersion;
      const next = deepCopy(before);
      const result = change(next);
      delete next.metadata.resourceVersion;
      if (result === false || isDeepStrictEqual(before, next)) {
        next.metadata.resourceVersion = String(kv.modRevision);
        return { object: next, revision: kv.modRevision };
      }
      if (r.generationFields.some((f) => !isDeepStrictEqual(before[f], next[f]))) {
        next.metadata.generation = (before.metadata.generation ?? 0) + 1;
      }
      try {
        let revision: number;
        if (next.metadata.deletionTimestamp && pendingFinalizers(r, next) === 0) {
          revision = await this.store.delete(key, kv.modRevision);
        } else {
          revision = await this.store.update(key, JSON.stringify(next), kv.modRevision);
        }
        next.metadata.resourceVersion = String(revision);
        await this.waitSeen(r, revision);
        return { object: next, revision };
      } catch (err) {
        if (isConflict(err)) continue;
        throw err;
      }
    }
    throw conflict({ group: r.group, resource: r.plural, name }, `still changing after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  /**
   * Deletes like the API server: with finalizers (or with `Foreground`/`Orphan`, which add
   * theirs) the object only gets `deletionTimestamp`; otherwise it goes at once. Returns
   * true when something changed; NotFound (or another uid) is not an error.
   */
  async delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: TargetOptions & { propagation?: PropagationPolicy } = {}): Promise<boolean> {
    const key = storeKey(r, namespace, name);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) return false;
      const obj = JSON.parse(kv.value) as KubeObject;
      if (opts.uid !== undefined && obj.metadata.uid !== opts.uid) return false;
      const finalizers = [...(obj.metadata.finalizers ?? [])];
      const deleting = Boolean(obj.metadata.deletionTimestamp);
      if (!deleting) {
        const extra = opts.propagation === 'Foreground' ? FOREGROUND_FINALIZER : opts.propagation === 'Orphan' ? ORPHAN_FINALIZER : undefined;
        if (extra && !finalizers.includes(extra)) finalizers.push(extra);
      }
      try {
        let revision: number;
        if (finalizers.length > 0 || pendingFinalizers(r, obj) > 0) {
          if (deleting) return false;
          obj.metadata.finalizers = finalizers;
          obj.metadata.deletionTimestamp = this.now();
          obj.metadata.deletionGracePeriodSeconds = 0;
          delete obj.metadata.resourceVersion;
          revision = await this.store.update(key, JSON.stringify(obj), kv.modRevision);
        } else {
          revision = await this.store.delete(key, kv.modRevision);
        }
        await this.waitSeen(r, revision);
        return true;
      } catch (err) {
        if (isConflict(err)) continue;
        throw err;
      }
    }
    throw conflict({ group: r.group, resource: r.plural, name }, `still changing after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  /** Resolves once the tracked informer of `r` reflects `revision` (at once when untracked or not synced). */
  private waitSeen(r: ResourceInfo, revision: number): Promise<void> {
    const informer = this.tracked.get(`${r.group}/${r.plural}`);
    if (!informer || !informer.hasSynced() || Number(informer.lastSyncResourceVersion()) >= revision) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        informer,
        revision,
        resolve,
        timer: this.clock.setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        }, CACHE_WAIT_TIMEOUT_MS),
      };
      this.waiters.push(waiter);
    });
  }

  private wake(informer: Informer<KubeObject>): void {
    if (this.waiters.length === 0) return;
    const seen = Number(informer.lastSyncResourceVersion());
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.informer === informer && seen >= w.revision) {
        this.clock.clearTimeout(w.timer);
        w.resolve();
      } else {
        still.push(w);
      }
    }
    this.waiters = still;
  }
}
