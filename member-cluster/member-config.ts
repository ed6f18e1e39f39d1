/**
 * The settings of one member cluster, as `fedgate member` flags give them, resolved once.
 * Every part of the member's control plane reads this shape.
 */
import { cidrContains, formatIPv4, parseCidr, parseIPv4, type Cidr } from './ip-allocator.js';
import type { ResourceList } from './api-types.js';

/** Pod runtimes, chosen by name. */
export type RuntimeName = 'process' | 'simulated';

/** Flags of a member, before defaults. */
export interface MemberConfigOptions {
  name: string;
  /** State directory: the SQLite store, pod directories, logs, PVC data. */
  dataDir: string;
  /** Pod addresses, e.g. `127.1.0.0/16`. */
  podCIDR: string;
  /** The member's address for LoadBalancer Services; default: the pod CIDR's first host. */
  externalIP?: string;
  /** Cluster IPs of Services; default: the top /20 of the pod CIDR (never given to pods). */
  serviceCIDR?: string;
  /** How many nodes; default 3. */
  nodes?: number;
  /** Capacity of each node; default cpu=4, memory=8Gi, pods=110. */
  nodeCapacity?: ResourceList;
  runtime?: RuntimeName;
}

/** Resolved member settings. */
export interface MemberConfig {
  name: string;
  dataDir: string;
  podCIDR: Cidr;
  serviceCIDR: Cidr;
  externalIP: string;
  nodes: number;
  nodeCapacity: ResourceList;
  runtime: RuntimeName;
  /** Node names: `<cluster>-node-<i>`. */
  nodeNames: string[];
}

/** Default node capacity, as `--node-capacity cpu=4,memory=8Gi,pods=110`. */
export const DEFAULT_NODE_CAPACITY: ResourceList = { cpu: '4', memory: '8Gi', pods: '110' };
export const DEFAULT_NODES = 3;
/** Addresses of the default service range (a /20). */
const SERVICE_RANGE_SIZE = 4096;

/** Applies defaults and checks consistency; throws an Error with a user-facing message. */
export function resolveMemberConfig(o: MemberConfigOptions): MemberConfig {
  const podCIDR = parseCidr(o.podCIDR);
  if (podCIDR.prefix > 19) throw new Error(`--pod-cidr ${o.podCIDR}: needs at least a /19 (the top /20 holds service IPs)`);
  const serviceCIDR = o.serviceCIDR
    ? parseCidr(o.serviceCIDR)
    : parseCidr(`${formatIPv4(podCIDR.last + 1 - SERVICE_RANGE_SIZE)}/20`);
  const externalIP = o.externalIP ?? formatIPv4(podCIDR.first + 1);
  if (parseIPv4(externalIP) === undefined) throw new Error(`--external-ip "${externalIP}" is not an IPv4 address`);
  if (cidrContains(serviceCIDR, externalIP)) throw new Error(`--external-ip ${externalIP} lies in the service range ${serviceCIDR.text}`);
  const nodes = o.nodes ?? DEFAULT_NODES;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 1000) throw new Error(`--nodes ${nodes}: expected 1..1000`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.name) || o.name.length > 48) {
    throw new Error(`--name "${o.name}": a cluster name is a DNS label of at most 48 characters (lower case, digits, '-')`);
  }
  return {
    name: o.name,
    dataDir: o.dataDir,
    podCIDR,
    serviceCIDR,
    externalIP,
    nodes,
    nodeCapacity: o.nodeCapacity ?? DEFAULT_NODE_CAPACITY,
    runtime: o.runtime ?? 'process',
    nodeNames: Array.from({ length: nodes }, (_, i) => `${o.name}-node-${i}`),
  };
}
