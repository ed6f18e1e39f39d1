/**
 * The namespace lifecycle controller of the gateway (after kube-controller-manager's
 * namespace controller): for every Terminating namespace it deletes the contents of every
 * namespaced resource, waits for objects held by finalizers, and once a pass finds the
 * namespace empty removes the `kubernetes` finalizer through `/finalize`, which deletes the
 * namespace. Built on the shared informer, work queue and runner.
 */
import {
  deepCopy,
  isNotFound,
  namespacePrefix,
  type KubeObject,
  type ResourceInfo,
  type ResourceRegistry,
} from '../apimachinery/index.js';
import { ControllerRunner, Informer, WorkQueue, type Logger } from '../controller/index.js';
import type { Store } from '../store/index.js';
import { decodeObject } from './object-codec.js';
import { hasPendingFinalizers, isTerminating, NAMESPACE_FINALIZER, namespaceFinalizers } from './object-strategy.js';
import type { RestStorage } from './rest-storage.js';

/** Wait before looking again at a namespace whose contents wait for their finalizers. */
export const DEFAULT_NAMESPACE_RECHECK_MS = 500;

/** Dependencies of the namespace deleter. */
export interface NamespaceDeleterOptions {
  store: Store;
  storage: RestStorage;
  registry: ResourceRegistry;
  logger: Logger;
  recheckMs?: number;
}

/** Empties and then removes Terminating namespaces. */
export class NamespaceDeleter {
  private readonly opts: NamespaceDeleterOptions;
  private readonly namespaces: ResourceInfo;
  private readonly informer: Informer;
  private readonly queue = new WorkQueue({ name: 'namespace' });
  private readonly runner: ControllerRunner;

  /** Does no I/O; `start()` begins watching namespaces. */
  constructor(opts: NamespaceDeleterOptions) {
    this.opts = opts;
    const namespaces = opts.registry.byResource('', 'v1', 'namespaces');
    if (!namespaces) throw new Error('namespaces are not registered');
    this.namespaces = namespaces;
    this.informer = new Informer(opts.store, namespaces, { logger: opts.logger });
    this.runner = new ControllerRunner({
      name: 'namespace',
      queue: this.queue,
      reconcile: (key) => this.reconcile(key),
      maxRetries: Infinity,
      logger: opts.logger,
    });
    const enqueue = (obj: Readonly<KubeObject>): void => {
      if (isTerminating(obj as KubeObject)) this.queue.add(obj.metadata.name ?? '');
    };
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, obj) => enqueue(obj) });
  }

  /** Starts the informer and the worker; resolves once the namespace cache has synced. */
  async start(): Promise<void> {
    this.informer.start();
    this.runner.start();
    await this.informer.waitForSync();
  }

  /** Stops the worker (waiting for a pass in flight) and the informer. */
  async stop(): Promise<void> {
    await this.runner.stop();
    this.informer.stop();
  }

  /** One pass over a namespace: level-triggered, so any pass may be repeated. */
  async reconcile(name: string): Promise<void> {
    const ns = this.informer.get(name);
    if (!ns || !isTerminating(ns as KubeObject)) return;
    let found = 0;
    let waiting = 0;
    for (const r of this.opts.registry.list()) {
      if (!r.namespaced) continue;
      const page = await this.opts.store.list(namespacePrefix(r, name));
      for (const kv of page.items) {
        found++;
        const obj = decodeObject(kv);
        if (isTerminating(obj)) {
          waiting++;
          continue;
        }
        try {
          const after = await this.opts.storage.delete({ resource: r, namespace: name, name: obj.metadata.name ?? '' }, { dryRun: false });
          if (hasPendingFinalizers(r, after)) waiting++;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    if (found > 0) {
      // Finalize only after a pass that found nothing, so a create that raced the
      // Terminating mark is caught by the next pass.
      this.queue.addAfter(name, waiting > 0 ? (this.opts.recheckMs ?? DEFAULT_NAMESPACE_RECHECK_MS) : 0);
      return;
    }
    const finalizers = namespaceFinalizers(ns as KubeObject);
    if (!finalizers.includes(NAMESPACE_FINALIZER)) return;
    const next = deepCopy(ns) as KubeObject;
    next.spec = { ...(next.spec as Record<string, unknown>), finalizers: finalizers.filter((f) => f !== NAMESPACE_FINALIZER) };
    delete next.metadata.resourceVersion;
    try {
      await this.opts.storage.update({ resource: this.namespaces, namespace: undefined, name }, next, 'finalize', { dryRun: false });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
