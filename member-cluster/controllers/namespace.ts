/**
 * The Namespace controller (kubernetes pkg/controller/namespace/deletion): a Namespace with
 * `deletionTimestamp` has every namespaced object in it deleted (through the finalizer-
 * aware delete), and once a pass finds nothing left, the `kubernetes` finalizer leaves
 * `spec.finalizers` and the Namespace goes. It reads the store directly (every kind of the
 * registry, not only the cached ones) and is idempotent, so it may run beside the member's
 * REST API namespace loop.
 */
import { deepCopy, namespacePrefix, type KubeObject } from '../../apimachinery/index.js';
import { WorkQueue, enqueueObject, type Informer } from '../../controller/index.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { NAMESPACE_FINALIZER, ObjectWriter } from './object-writer.js';

/** Wait before looking again at a namespace whose contents wait for finalizers. */
export const NAMESPACE_RECHECK_MS = 1_000;

/** Empties and removes terminating namespaces. */
export class NamespaceController {
  /** Name in the controller registry. */
  static readonly controllerName = 'namespace';
  /** Names of Namespaces to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the Namespace cache. */
  readonly writer: ObjectWriter;
  private readonly namespaces: Informer<KubeObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: NamespaceController.controllerName, clock: ctx.clock });
    this.namespaces = ctx.informers.informerFor<KubeObject>('namespaces');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(this.namespaces);
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const unregister = [this.namespaces.addEventHandler(enqueueObject(this.queue))];
    return runLoop(this.ctx, { name: NamespaceController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over Namespace `name`. */
  async reconcile(name: string): Promise<void> {
    const ns = this.namespaces.get(name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let found = 0;
    let waiting = 0;
    for (const r of this.ctx.registry.list()) {
      if (!r.namespaced) continue;
      const { items } = await this.ctx.store.list(namespacePrefix(r, name));
      for (const kv of items) {
        found++;
        const obj = JSON.parse(kv.value) as KubeObject;
        if (obj.metadata.deletionTimestamp) {
          waiting++;
          continue;
        }
        if (await this.writer.delete(r, name, obj.metadata.name ?? '', { uid: obj.metadata.uid })) {
          if ((obj.metadata.finalizers?.length ?? 0) > 0) waiting++;
        }
      }
    }
    if (found > 0) {
      // Finalize only after a pass that found nothing: a create racing the deletion is caught.
      this.queue.addAfter(name, waiting > 0 ? NAMESPACE_RECHECK_MS : 1);
      return;
    }
    const nsResource = this.writer.resource('namespaces');
    await this.writer.mutate<KubeObject>(
      nsResource,
      undefined,
      name,
      (obj) => {
        const spec = deepCopy((obj.spec ?? {}) as { finalizers?: string[] });
        const rest = (spec.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
        if (rest.length > 0) spec.finalizers = rest;
        else delete spec.finalizers;
        obj.spec = spec;
      },
      { uid: ns.metadata.uid },
    );
    // Nothing holds it any more (a namespace without finalizers is deleted by the update above).
    const after = await this.ctx.store.get(`/registry/core/namespaces/${name}`);
    if (after) {
      const obj = JSON.parse(after.value) as KubeObject;
      const specFinalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
      if (obj.metadata.uid === ns.metadata.uid && (obj.metadata.finalizers?.length ?? 0) === 0 && specFinalizers.length === 0) {
        await this.writer.delete(nsResource, undefined, name, { uid: ns.metadata.uid });
      }
    }
  }
}
