/**
 * member-cluster: the compact control plane every member cluster runs — controllers
 * (Deployment → ReplicaSet → Pod, Job, DaemonSet, StatefulSet, Service → Endpoints, garbage
 * collection), the scheduler, kubelets with the `process` and `simulated` runtimes, and the
 * service proxy — all over one local `Store`.
 */
export type * from './api-types.js';
export * from './member-config.js';
export * from './ip-allocator.js';
export * from './scheduler/index.js';
export * from './service-proxy/index.js';
export * from './capacity/index.js';
export * from './member-cluster.js';
export * from './pod-logs.js';
export * from './controllers/index.js';
export * from './kubelet/index.js';
export * from './runtime/index.js';
export { casUpdate } from './cas-update.js';
export * from './agent/index.js';
export * from './agent/transport.js';
