/**
 * The member's capacity as its heartbeat reports it: totals, free resources on Ready
 * schedulable nodes, ready endpoints per Service, and how many more replicas of a pod
 * template fit (by the scheduler's own filters).
 *
 * ```ts
 * const reader = new CapacityReader(informers);
 * const { capacity, allocatable, available, nodes, services } = reader.report();
 * const { total } = reader.fitCount(deployment.spec.template.spec);
 * ```
 */
export { CapacityReader } from './capacity-reader.js';
export {
  capacityReport,
  fitCount,
  type CapacityReport,
  type CapacityReportOptions,
  type FitCount,
  type ServiceEndpointsReport,
} from './capacity-report.js';
