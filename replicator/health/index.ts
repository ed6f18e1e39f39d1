/** Cluster health: readiness state machine, heartbeats → Cluster.status, failover decisions. */
export * from './readiness.js';
export * from './cluster-health.js';
export * from './failover.js';
