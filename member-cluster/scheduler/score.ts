/**
 * Score plugins and the choice among feasible nodes. Ranking is lexicographic, so it is
 * easy to predict: first spread replicas of one controller (fewer pods of the same owner on
 * the node wins, after kube-scheduler's SelectorSpread), then least-allocated (more cpu and
 * memory left after placing the pod wins, NodeResourcesLeastAllocated), then node name, so
 * equal nodes are always chosen the same way.
 */
import { controllerOf, type ResourceAmounts } from '../../apimachinery/index.js';
import type { Pod } from '../api-types.js';
import type { NodeInfo } from './node-info.js';

/** Highest score of one plugin, as in kube-scheduler (`framework.MaxNodeScore`). */
export const MAX_NODE_SCORE = 100;

/** How one feasible node ranks for a pod. */
export interface NodeScore {
  name: string;
  /** Pods of the pod's controller already on the node (0 when the pod has no controller). */
  ownerPods: number;
  /** 0..100: mean share of cpu and memory left free after placing the pod. */
  leastAllocated: number;
}

/** Least-allocated score of a node if it took a pod with these non-zero requests. */
export function leastAllocatedScore(info: Readonly<NodeInfo>, podNonZero: Readonly<ResourceAmounts>): number {
  const part = (name: string): number => {
    const alloc = info.allocatable[name] ?? 0;
    if (alloc <= 0) return 0;
    const used = (info.nonZeroRequested[name] ?? 0) + (podNonZero[name] ?? 0);
    return used > alloc ? 0 : ((alloc - used) * MAX_NODE_SCORE) / alloc;
  };
  return (part('cpu') + part('memory')) / 2;
}

/** Scores one feasible node for a pod. */
export function scoreNode(pod: Readonly<Pod>, podNonZero: Readonly<ResourceAmounts>, info: Readonly<NodeInfo>): NodeScore {
  const owner = controllerOf(pod)?.uid;
  return {
    name: info.name,
    ownerPods: owner ? (info.ownerPods.get(owner) ?? 0) : 0,
    leastAllocated: leastAllocatedScore(info, podNonZero),
  };
}

/** Orders scores best first: fewer owner pods, then more free, then node name. */
export function compareNodeScores(a: NodeScore, b: NodeScore): number {
  if (a.ownerPods !== b.ownerPods) return a.ownerPods - b.ownerPods;
  if (a.leastAllocated !== b.leastAllocated) return b.leastAllocated - a.leastAllocated;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The best node of `scores`, undefined when empty. */
export function pickNode(scores: readonly NodeScore[]): string | undefined {
  return [...scores].sort(compareNodeScores)[0]?.name;
}
