/** Builders of Nodes and Pods for the scheduler and capacity tests. */
import type { Node, Pod, ResourceList, Taint, Toleration } from '../../../../member-cluster/api-types.js';

let uidSeq = 0;

/** A Ready node with the given allocatable. */
export function makeNode(
  name: string,
  allocatable: ResourceList,
  opts: { labels?: Record<string, string>; taints?: Taint[]; ready?: boolean; unschedulable?: boolean } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, labels: opts.labels ?? {} },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

/** A pod with one container requesting `requests`. */
export function makePod(
  name: string,
  requests: ResourceList = {},
  opts: {
    namespace?: string;
    nodeName?: string;
    owner?: string;
    nodeSelector?: Record<string, string>;
    tolerations?: Toleration[];
    phase?: Pod['status'] extends infer S ? (S extends { phase?: infer P } ? P : never) : never;
    initRequests?: ResourceList[];
    extraContainers?: ResourceList[];
  } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `pod-${name}-${++uidSeq}`,
      ownerReferences: opts.owner
        ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.owner, uid: `rs-${opts.owner}`, controller: true }]
        : undefined,
    },
    spec: {
      containers: [{ name: 'c', resources: { requests } }, ...(opts.extraContainers ?? []).map((r, i) => ({ name: `x${i}`, resources: { requests: r } }))],
      initContainers: opts.initRequests?.map((r, i) => ({ name: `init${i}`, resources: { requests: r } })),
      nodeName: opts.nodeName,
      nodeSelector: opts.nodeSelector,
      tolerations: opts.tolerations,
    },
    status: opts.phase ? { phase: opts.phase } : {},
  };
}
