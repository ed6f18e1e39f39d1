/**
 * The one runner every controller uses (kubernetes/sample-controller's `runWorker` /
 * `processNextWorkItem`): N workers take keys from a `WorkQueue` and call `reconcile(key)`.
 * Success forgets the key's backoff; failure re-adds it rate-limited, up to `maxRetries`;
 * `done(key)` always follows, so a key changed mid-reconcile runs again. Controllers
 * contain no queue code — they only implement `reconcile`.
 *
 * Also here: the glue from informer events to queue keys, including "children enqueue
 * their owner" through the controller ownerReference.
 */
import { objectKey, type KubeObject, type ObjectMeta, type OwnerReference } from '../apimachinery/index.js';
import type { ResourceEventHandlers } from './informer.js';
import { stderrLogger, type Logger } from './logger.js';
import type { WorkQueue } from './workqueue.js';

/** Default number of workers per controller. */
export const DEFAULT_WORKERS = 1;
/** Default retries of a failing key before it is dropped (client-go leaves this to each controller; 15 like several in-tree ones). */
export const DEFAULT_MAX_RETRIES = 15;

/**
 * A level-triggered control loop: `reconcile(key)` re-reads the state of `key`
 * (`namespace/name`), makes the world match it, treats "not found" as done, and throws to
 * be retried with backoff. It must be idempotent: the same key may run many times.
 */
export interface Controller {
  /** Unique name, used in logs and to switch controllers on and off. */
  name: string;
  reconcile(key: string): Promise<void>;
  /** Workers for this controller (default 1). */
  workers?: number;
  /** Retries of one key before it is dropped (default 15; Infinity to retry forever). */
  maxRetries?: number;
}

/** Options of `ControllerRunner`. */
export interface ControllerRunnerOptions {
  name: string;
  /** The queue to drain; the runner shuts it down on `stop()`. */
  queue: WorkQueue;
  reconcile(key: string): Promise<void>;
  workers?: number;
  maxRetries?: number;
  logger?: Logger;
}

type RunnerState = 'idle' | 'running' | 'stopping' | 'stopped';

/** Drives one controller's workers over its queue. */
export class ControllerRunner {
  /** The controller's name. */
  readonly name: string;
  private readonly queue: WorkQueue;
  private readonly reconcileFn: (key: string) => Promise<void>;
  private readonly workers: number;
  private readonly maxRetries: number;
  private readonly logger: Logger;
  private state: RunnerState = 'idle';
  private loops: Promise<void>[] = [];
  private inFlight = 0;

  constructor(options: ControllerRunnerOptions) {
    this.name = options.name;
    this.queue = options.queue;
    this.reconcileFn = options.reconcile;
    this.workers = options.workers ?? DEFAULT_WORKERS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.logger = options.logger ?? stderrLogger;
    if (!(Number.isInteger(this.workers) && this.workers >= 1)) throw new RangeError(`workers must be a positive integer, got ${this.workers}`);
    if (!(this.maxRetries >= 0)) throw new RangeError(`maxRetries must be >= 0, got ${this.maxRetries}`);
  }

  /** Starts the workers; a no-op unless idle. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.loops = Array.from({ length: this.workers }, (_, i) => this.work(i));
  }

  /**
   * Shuts the queue down and waits for reconciles in flight; keys still queued are left
   * (a level-triggered controller picks them up again from the informer on its next start).
   */
  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopping';
    this.queue.shutDown();
    await Promise.all(this.loops);
    this.state = 'stopped';
  }

  /** Reconciles running right now. */
  activeReconciles(): number {
    return this.inFlight;
  }

  private async work(worker: number): Promise<void> {
    while (this.state === 'running') {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.inFlight++;
      try {
        await this.reconcileFn(key);
        this.queue.forget(key);
      } catch (err) {
        this.handleError(key, err, worker);
      } finally {
        this.inFlight--;
        this.queue.done(key);
      }
    }
  }

  private handleError(key: string, err: unknown, worker: number): void {
    const retries = this.queue.numRequeues(key);
    if (retries < this.maxRetries) {
      this.logger.warn({ controller: this.name, key, worker, retries, err }, 'reconcile failed; retrying with backoff');
      this.queue.addRateLimited(key);
      return;
    }
    this.logger.error({ controller: this.name, key, retries, err }, 'reconcile failed too often; dropping the key until it changes');
    this.queue.forget(key);
  }
}

/** A runner for a `Controller` object; its `reconcile` is called as a method, so `this` holds. */
export function runnerFor(controller: Controller, queue: WorkQueue, logger?: Logger): ControllerRunner {
  return new ControllerRunner({
    name: controller.name,
    queue,
    workers: controller.workers,
    maxRetries: controller.maxRetries,
    logger,
    reconcile: (key) => controller.reconcile(key),
  });
}

/** Creates and starts a runner. */
export function runController(options: ControllerRunnerOptions): ControllerRunner {
  const runner = new ControllerRunner(options);
  runner.start();
  return runner;
}

// ---- informer → queue ----

/** Handlers that enqueue every added, updated and deleted object under its own key. */
export function enqueueObject(queue: WorkQueue): ResourceEventHandlers<KubeObject> {
  const add = (obj: Readonly<KubeObject>): void => queue.add(objectKey(obj.metadata));
  return {
    onAdd: add,
    onUpdate: (_old, obj) => add(obj),
    onDelete: add,
  };
}

/** The ownerReference marked `controller: true`, if any (metav1.GetControllerOf). */
export function controllerOf(meta: Pick<ObjectMeta, 'ownerReferences'>): OwnerReference | undefined {
  return meta.ownerReferences?.find((r) => r.controller === true);
}

/**
 * Key of the controlling owner of `obj` when that owner has kind `ownerKind`:
 * `namespace/ownerName` (owners live in their child's namespace), or `ownerName` when
 * `ownerNamespaced` is false. Undefined when there is no such owner.
 */
export function ownerKey(obj: Readonly<KubeObject>, ownerKind: string, ownerNamespaced = true): string | undefined {
  const ref = controllerOf(obj.metadata);
  if (!ref || ref.kind !== ownerKind) return undefined;
  return objectKey({ name: ref.name, namespace: ownerNamespaced ? obj.metadata.namespace : undefined });
}

/**
 * Handlers that enqueue the controlling owner of kind `ownerKind` of every changed child
 * (sample-controller's `handleObject`). An update whose owner changed enqueues both owners,
 * so the old owner notices it lost a child.
 */
export function enqueueOwner(queue: WorkQueue, ownerKind: string, ownerNamespaced = true): ResourceEventHandlers<KubeObject> {
  const add = (obj: Readonly<KubeObject>): void => {
    const key = ownerKey(obj, ownerKind, ownerNamespaced);
    if (key !== undefined) queue.add(key);
  };
  return {
    onAdd: add,
    onUpdate: (oldObj, newObj) => {
      add(newObj);
      if (oldObj !== newObj) add(oldObj);
    },
    onDelete: add,
  };
}
