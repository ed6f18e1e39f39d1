/**
 * The workload controllers of a member cluster's compact control plane, one file per
 * controller, all listed in `registry.ts` and switchable by name.
 *
 * ```ts
 * const informers = new SharedInformerFactory(store, registry, { clock, logger });
 * const controllers = startControllers({ store, informers, registry, config, logger, clock }, ['*', '-daemonset']);
 * informers.start(); // after every controller registered its handlers
 * // ... on shutdown:
 * await controllers.stop();
 * informers.stop();
 * ```
 */
export { controllerDescriptors, startControllers, type ControllerDescriptor, type ControllerContext, type RunningController } from './registry.js';
export { DeploymentController } from './deployment.js';
export { ReplicaSetController } from './replicaset.js';
export { JobController } from './job.js';
export { DaemonSetController } from './daemonset.js';
export { StatefulSetController } from './statefulset.js';
export { EndpointsController, computeSubsets, resolveTargetPort } from './endpoints.js';
export { GarbageCollector, DEFAULT_GC_RESOURCES, gcKey } from './garbage-collector.js';
export { NamespaceController } from './namespace.js';
export { ObjectWriter, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, NAMESPACE_FINALIZER, formatTimestamp, parseTimestamp } from './object-writer.js';
export { isPodReady, isPodAvailable, isPodActive, isPodTerminal } from './pod-state.js';
export { POD_TEMPLATE_HASH_LABEL, computeTemplateHash } from './pod-template.js';
export { REVISION_ANNOTATION } from './deployment-rollout.js';
export { PVC_DATA_SUBDIR, pvcName } from './statefulset.js';
