/** Status: member acks and reports → the template's `status.clusters` and aggregate status. */
export * from './aggregate.js';
export * from './status-aggregator.js';
export * from './status-write.js';
