/**
 * A node as the scheduler weighs it (kube-scheduler's `framework.NodeInfo`): the node, what
 * it can give (allocatable, else capacity) and what the pods bound to it already take.
 * Terminal pods (Succeeded, Failed) take nothing; terminating pods still do until they are
 * gone, as in Kubernetes.
 */
import { addAmounts, controllerOf, toAmounts, type ResourceAmounts } from '../../apimachinery/index.js';
import type { Node, Pod } from '../api-types.js';
import { isTerminal, podNonZeroRequests, podRequests } from './pod-requests.js';

/** A node with the sums of its pods' requests. */
export interface NodeInfo {
  name: string;
  node: Readonly<Node>;
  /** `status.allocatable`, else `status.capacity`, as amounts. */
  allocatable: ResourceAmounts;
  /** Sum of the requests of pods on the node, `pods` included. */
  requested: ResourceAmounts;
  /** cpu and memory with per-container defaults, for scoring. */
  nonZeroRequested: ResourceAmounts;
  /** Pods on the node per controller owner uid (for spreading replicas). */
  ownerPods: Map<string, number>;
}

/** An empty NodeInfo of a node. */
export function newNodeInfo(node: Readonly<Node>): NodeInfo {
  return {
    name: node.metadata.name ?? '',
    node,
    allocatable: toAmounts(node.status?.allocatable ?? node.status?.capacity),
    requested: {},
    nonZeroRequested: { cpu: 0, memory: 0 },
    ownerPods: new Map(),
  };
}

/** Counts `pod` against `info` (it must be bound there or about to be). */
export function addPodToNodeInfo(info: NodeInfo, pod: Readonly<Pod>): void {
  info.requested = addAmounts(info.requested, podRequests(pod.spec));
  info.nonZeroRequested = addAmounts(info.nonZeroRequested, podNonZeroRequests(pod.spec));
  const owner = controllerOf(pod)?.uid;
  if (owner) info.ownerPods.set(owner, (info.ownerPods.get(owner) ?? 0) + 1);
}

/** True when a pod holds resources on a node: bound and not terminal. */
export function occupiesNode(pod: Readonly<Pod>): boolean {
  return !!pod.spec?.nodeName && !isTerminal(pod);
}

/**
 * NodeInfos of `nodes`, by node name, with every pod that occupies one of them counted. Pods
 * bound to unknown nodes are ignored.
 */
export function buildNodeInfos(nodes: readonly Readonly<Node>[], pods: Iterable<Readonly<Pod>>): Map<string, NodeInfo> {
  const infos = new Map<string, NodeInfo>();
  for (const node of nodes) infos.set(node.metadata.name ?? '', newNodeInfo(node));
  for (const pod of pods) {
    if (!occupiesNode(pod)) continue;
    const info = infos.get(pod.spec.nodeName!);
    if (info) addPodToNodeInfo(info, pod);
  }
  return infos;
}
