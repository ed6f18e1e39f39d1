/**
 * dns: fedgate's authoritative DNS. `DnsServer` serves UDP and TCP on one port, speaks
 * EDNS(0) with Client Subnet, truncates for UDP and caches encoded answers per zone
 * version; a `Zone` (see answer-types.ts) decides what each name answers. With an
 * exportable zone (ZoneView) UDP is answered by worker processes, one per CPU by default,
 * each from a replica of the zone kept current over IPC (ADR 009).
 *
 * ```ts
 * import { DnsServer, type Zone } from '../dns/index.js';
 * const server = new DnsServer({ zone, udp: { host: '127.0.0.1', port: 5353 } }); // workers: 1 answers in-process
 * const { udp, tcp } = await server.start(); // both on 127.0.0.1:5353
 * // dig @127.0.0.1 -p 5353 web.shop.svc.global.fedgate.internal
 * await server.stop();
 * ```
 */
export * from './answer-types.js';
export { DnsServer, DEFAULT_LISTEN, MAX_WORKERS, resolveWorkers, type DnsServerOptions, type DnsServerAddresses, type ListenAddress } from './server.js';
// Answering in other processes (the UDP workers): the zone as plain data, and replicas of it.
export { exportZoneState, isExportableZone, ZoneUpdateBuilder } from './zone-state.js';
export type { ExportableZone, ZoneState, ZoneUpdate, ZoneSettings, PlainNode, PlainApex, PlainMember } from './zone-state.js';
export { ZoneReplica, type ZoneReplicaOptions } from './zone-replica.js';
// The zone: what each name answers (health rules, strategies), kept in memory from the store.
export { ZoneView, DEFAULT_ZONE, DEFAULT_RECOMPUTE_INTERVAL_MS, resolveZoneViewOptions, trafficPolicyStatus } from './zone-view.js';
export type { ZoneViewOptions, ResolvedZoneViewOptions, TrafficPolicyStatus } from './zone-view.js';
export { answerQuestion, zoneOf, type AnswerContext, type ZoneSnapshot, type ZoneApex, type NameNode } from './answer.js';
export { buildZone, placedClusters, policyForService, DEFAULT_SOA_TIMERS, DEFAULT_SERVICE_TTL_SECONDS } from './zone-records.js';
export type { ZoneInput, ZoneBuild, ServiceExplanation, ClusterAnswerStatus, SoaTimers, ServiceObject } from './zone-records.js';
export { DEFAULT_FRESHNESS_MS, HealthReasons, serviceHealth, servingClusters, type HealthReason, type WhenAllUnhealthy } from './health.js';
export { strategies, strategyFor, DEFAULT_STRATEGY, type Strategy, type StrategyName } from './strategies.js';
export { GeoTable, type GeoTableEntry } from './geo-table.js';
