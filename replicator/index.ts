/**
 * replicator: from templates and policies on the gateway to objects in member clusters —
 * placement, per-cluster rendering, the member registry and the gRPC service members
 * connect to, per-cluster work queues, status aggregation, cluster health and failover.
 */
export type { MemberStream, MemberStreamHandler } from './member-stream.js';
export * from './placement/index.js';
export * from './render/index.js';
export * from './pki/index.js';
export * from './join/index.js';
export * from './transport/index.js';
export * from './dispatch/index.js';
export * from './binding/index.js';
export * from './health/index.js';
export * from './status/index.js';
export * from './replicator.js';
