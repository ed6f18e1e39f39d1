/**
 * What a member tells the gateway about itself in every heartbeat: total and free
 * resources, node readiness, ready endpoints per Service, and how many more replicas of a
 * pod template fit. Pure functions over cached objects; the fit count reuses the
 * scheduler's filters, so the gateway's estimate and the member's scheduler never disagree
 * about which nodes a pod may use.
 */
import { addAmounts, objectKey, toAmounts, toResourceList, type NodeSummary, type ResourceAmounts } from '../../apimachinery/index.js';
import type { Endpoints, Node, Pod, PodSpec, ResourceList, Service } from '../api-types.js';
import {
  buildNodeInfos,
  filterNode,
  freeResources,
  isNodeReady,
  nodeReadyFilter,
  nodeSelectorFilter,
  nodeUnschedulableFilter,
  podRequests,
  taintTolerationFilter,
  type FilterPlugin,
} from '../scheduler/index.js';

/** Ready endpoints of one Service. */
export interface ServiceEndpointsReport {
  namespace: string;
  name: string;
  /** Distinct ready addresses. */
  readyEndpoints: number;
  /** Distinct addresses, ready or not. */
  totalEndpoints: number;
}

/** The heartbeat's capacity part. */
export interface CapacityReport {
  /** Sum of `status.capacity` over all nodes. */
  capacity: ResourceList;
  /** Sum of `status.allocatable` (else capacity) over all nodes. */
  allocatable: ResourceList;
  /** Allocatable minus requests of pods holding resources, over Ready schedulable nodes (never below 0 per node). */
  available: ResourceList;
  nodes: { ready: number; total: number };
  /** Per node: allocatable, what is still free, readiness (for dynamic weights upstream). */
  nodeSummaries: NodeSummary[];
  services: ServiceEndpointsReport[];
}

/** Options of `capacityReport`. */
export interface CapacityReportOptions {
  /** Services of these namespaces are left out of the report. */
  excludeNamespaces?: readonly string[];
}

/** Every filter but resource fit: where a pod may go at all. */
const PLACEMENT_FILTERS: readonly FilterPlugin[] = [nodeReadyFilter, nodeUnschedulableFilter, taintTolerationFilter, nodeSelectorFilter];

/** Builds the capacity report of a member from its cached nodes, pods, Services and Endpoints. */
export function capacityReport(
  nodes: readonly Readonly<Node>[],
  pods: readonly Readonly<Pod>[],
  services: readonly Readonly<Service>[],
  endpoints: readonly Readonly<Endpoints>[],
  opts: CapacityReportOptions = {},
): CapacityReport {
  let capacity: ResourceAmounts = {};
  let allocatable: ResourceAmounts = {};
  let available: ResourceAmounts = {};
  let ready = 0;
  const nodeSummaries: NodeSummary[] = [];
  const infos = buildNodeInfos(nodes, pods);
  for (const info of infos.values()) {
    capacity = addAmounts(capacity, toAmounts(info.node.status?.capacity ?? info.node.status?.allocatable));
    allocatable = addAmounts(allocatable, info.allocatable);
    const free = freeResources(info);
    for (const name of Object.keys(free)) free[name] = Math.max(0, free[name]!);
    const nodeReady = isNodeReady(info.node) && !info.node.spec?.unschedulable;
    nodeSummaries.push({
      name: info.node.metadata.name ?? '',
      ready: nodeReady,
      allocatable: stringList(info.allocatable),
      free: stringList(nodeReady ? free : {}),
    });
    if (!isNodeReady(info.node)) continue;
    ready++;
    if (info.node.spec?.unschedulable) continue;
    available = addAmounts(available, free);
  }
  const excluded = new Set(opts.excludeNamespaces ?? []);
  const endpointsByKey = new Map(endpoints.map((e) => [objectKey(e.metadata), e]));
  const serviceReports = services
    .filter((s) => !excluded.has(s.metadata.namespace ?? ''))
    .map((s) => endpointCounts(s, endpointsByKey.get(objectKey(s.metadata))))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return {
    capacity: toResourceList(capacity),
    allocatable: toResourceList(allocatable),
    available: toResourceList(available),
    nodes: { ready, total: nodes.length },
    nodeSummaries: nodeSummaries.sort((a, b) => a.name.localeCompare(b.name)),
    services: serviceReports,
  };
}

function stringList(amounts: ResourceAmounts): Record<string, string> {
  return Object.fromEntries(Object.entries(toResourceList(amounts)).map(([k, v]) => [k, String(v)]));
}

function endpointCounts(service: Readonly<Service>, endpoints: Readonly<Endpoints> | undefined): ServiceEndpointsReport {
  const readyIps = new Set<string>();
  const allIps = new Set<string>();
  for (const subset of endpoints?.subsets ?? []) {
    for (const a of subset.addresses ?? []) {
      readyIps.add(a.ip);
      allIps.add(a.ip);
    }
    for (const a of subset.notReadyAddresses ?? []) allIps.add(a.ip);
  }
  return { namespace: service.metadata.namespace ?? '', name: service.metadata.name ?? '', readyEndpoints: readyIps.size, totalEndpoints: allIps.size };
}

/** How many copies of `request` fit in `free` (a request of 0 never limits). */
function copiesThatFit(request: Readonly<ResourceAmounts>, free: Readonly<ResourceAmounts>): number {
  let n = Infinity;
  for (const [name, want] of Object.entries(request)) {
    if (want > 0) n = Math.min(n, Math.floor(Math.max(0, free[name] ?? 0) / want));
  }
  return n;
}

/** How many more replicas of a pod template each node takes, and their sum. */
export interface FitCount {
  total: number;
  perNode: Record<string, number>;
}

/**
 * How many more replicas of `template` fit, node by node: nodes the scheduler's filters
 * refuse (not ready, cordoned, untolerated taint, nodeSelector) take none; the others take
 * as many as their free resources (pods count included) allow.
 */
export function fitCount(template: Readonly<PodSpec>, nodes: readonly Readonly<Node>[], pods: readonly Readonly<Pod>[]): FitCount {
  const request = podRequests(template);
  const perNode: Record<string, number> = {};
  let total = 0;
  for (const info of buildNodeInfos(nodes, pods).values()) {
    const n = filterNode(template, request, info, PLACEMENT_FILTERS).length > 0 ? 0 : copiesThatFit(request, freeResources(info));
    perNode[info.name] = n;
    total += n;
  }
  return { total, perNode };
}
