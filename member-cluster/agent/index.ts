/**
 * The member agent: the member's end of the gateway ⇄ member protocol. It applies the
 * gateway's objects into the member's store (create-or-update with CAS, conflicts with
 * unmanaged objects refused unless overwriting, prune after a complete resync), reports the
 * status of what it manages, and sends heartbeats with the member's capacity.
 *
 * ```ts
 * const member = new MemberCluster({ store, config });
 * await member.start();
 * const agent = new MemberAgent({
 *   store,
 *   registry: MemberCluster.registry(),
 *   clusterName: config.name,
 *   capacity: () => member.capacity(),
 *   logger,
 * });
 * connection.onStream((stream) => agent.attach(stream)); // every new stream replaces the last
 * // ... on shutdown:
 * await agent.stop();
 * ```
 */
export type { GatewayStream } from './gateway-stream.js';
export { MemberAgent, type MemberAgentOptions } from './agent.js';
export { Applier, type ApplierOptions, type AckMessage, type ObjectRef, type PruneResult } from './applier.js';
export {
  DEFAULT_HEARTBEAT_MS,
  HeartbeatSender,
  heartbeatMessage,
  type HeartbeatCapacity,
  type HeartbeatOptions,
  type HeartbeatSink,
} from './heartbeat.js';
export {
  DEFAULT_STATUS_COALESCE_MS,
  DEFAULT_STATUS_RESOURCES,
  StatusReporter,
  statusMessage,
  type StatusReporterOptions,
} from './status-reporter.js';
export { StreamSender, type StatusMessage, type StatusSink } from './stream-sender.js';
export { APPLIED_KEYS_ANNOTATION, isManaged, isOwnManaged, type AppliedKeys } from './managed-object.js';
