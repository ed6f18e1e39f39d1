/**
 * controller: the machinery every control loop shares (after kubernetes/sample-controller
 * and client-go's `tools/cache` and `util/workqueue`): an informer that lists and watches
 * one resource into a read-only indexed cache, a work queue of `namespace/name` keys with
 * per-key backoff, a runner whose workers call `reconcile(key)`, and leader election over
 * a store lease. Nothing starts on import; long-lived parts have `start()`/`stop()`.
 *
 * ```ts
 * import {
 *   ControllerRunner, Informer, LeaderElector, WorkQueue, enqueueObject, enqueueOwner, namespaceIndex,
 * } from '../controller/index.js';
 * import { deepCopy } from '../apimachinery/index.js';
 *
 * // One controller's wiring; it runs while `signal` is not aborted.
 * async function runDeploymentController(signal: AbortSignal): Promise<void> {
 *   const deployments = new Informer<Deployment>(store, deploymentResource);
 *   const replicaSets = new Informer<ReplicaSet>(store, replicaSetResource, {
 *     indexers: { byNamespace: namespaceIndex },
 *   });
 *   const queue = new WorkQueue({ name: 'deployment' });
 *   deployments.addEventHandler(enqueueObject(queue));
 *   replicaSets.addEventHandler(enqueueOwner(queue, 'Deployment')); // children enqueue their owner
 *   const runner = new ControllerRunner({
 *     name: 'deployment',
 *     queue,
 *     workers: 4,
 *     // Level-triggered: re-read the cache; a missing object means there is nothing to do;
 *     // throw to retry with backoff. Cached objects are frozen: deepCopy before editing.
 *     reconcile: async (key) => {
 *       const cached = deployments.get(key);
 *       if (!cached) return;
 *       const d = deepCopy(cached);
 *       // ... compare with replicaSets.byIndex('byNamespace', d.metadata.namespace!), write
 *     },
 *   });
 *   deployments.start();
 *   replicaSets.start();
 *   signal.addEventListener('abort', () => {
 *     void runner.stop();
 *     deployments.stop();
 *     replicaSets.stop();
 *   });
 *   await Promise.all([deployments.waitForSync(signal), replicaSets.waitForSync(signal)]);
 *   runner.start();
 * }
 *
 * // Only one gateway runs the loop at a time; a new term gets fresh informers and queue.
 * const elector = new LeaderElector({
 *   store,
 *   name: 'deployment-controller',
 *   identity: `${os.hostname()}-${process.pid}`,
 *   onStartedLeading: runDeploymentController,
 * });
 * elector.start();
 * // ... on shutdown (revokes the lease, so another gateway takes over at once):
 * await elector.stop();
 * ```
 */
export * from './clock.js';
export * from './logger.js';
export * from './backoff.js';
export * from './workqueue.js';
export * from './informer.js';
export * from './runner.js';
export * from './leader-election.js';
export * from './stored-objects.js';
export { SharedInformerFactory, type SharedInformerFactoryOptions } from './informer-factory.js';
