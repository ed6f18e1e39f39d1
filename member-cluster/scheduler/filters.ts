/**
 * Filter plugins (after kube-scheduler's NodeUnschedulable, TaintToleration, NodeAffinity
 * (nodeSelector part) and NodeResourcesFit): each says why a node cannot take a pod, in
 * kube-scheduler's words, or nothing when it can. Pure: data in, reasons out. The capacity
 * report reuses them to count how many replicas still fit.
 */
import type { Node, PodSpec, Taint, Toleration } from '../api-types.js';
import { exceededResources, subtractAmounts, type ResourceAmounts } from '../../apimachinery/index.js';
import type { NodeInfo } from './node-info.js';

/** Why a node was refused (kube-scheduler's wording). */
export const FilterReason = {
  notReady: 'node(s) were not ready',
  unschedulable: 'node(s) were unschedulable',
  selectorMismatch: "node(s) didn't match Pod's node affinity/selector",
  tooManyPods: 'Too many pods',
} as const;

/** `Insufficient cpu`, `Insufficient memory`, ... */
export function insufficientReason(resource: string): string {
  return resource === 'pods' ? FilterReason.tooManyPods : `Insufficient ${resource}`;
}

/** `node(s) had untolerated taint {key: value}` */
export function untoleratedTaintReason(taint: Readonly<Taint>): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** One filter: the reasons `node` cannot take the pod, empty when it can. */
export type FilterPlugin = (spec: Readonly<PodSpec>, request: Readonly<ResourceAmounts>, node: Readonly<NodeInfo>) => string[];

/** True when the node's Ready condition is True. */
export function isNodeReady(node: Readonly<Node>): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Ready condition True. */
export const nodeReadyFilter: FilterPlugin = (_spec, _request, info) => (isNodeReady(info.node) ? [] : [FilterReason.notReady]);

/**
 * `spec.unschedulable` (cordoned). A pod that tolerates the `node.kubernetes.io/unschedulable`
 * NoSchedule taint may still go there, as in Kubernetes (DaemonSet pods do).
 */
export const nodeUnschedulableFilter: FilterPlugin = (spec, _request, info) => {
  if (!info.node.spec?.unschedulable) return [];
  const cordon: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
  return (spec.tolerations ?? []).some((t) => toleratesTaint(t, cordon)) ? [] : [FilterReason.unschedulable];
};

/** Whether one toleration tolerates one taint (core/v1 `Toleration.ToleratesTaint`). */
export function toleratesTaint(t: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  // An empty key with Exists tolerates every taint; an empty key otherwise matches nothing but empty keys.
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule or NoExecute taint no toleration tolerates (PreferNoSchedule never blocks). */
export function findUntoleratedTaint(taints: readonly Readonly<Taint>[], tolerations: readonly Readonly<Toleration>[]): Readonly<Taint> | undefined {
  return taints.find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** Taints with effect NoSchedule/NoExecute must be tolerated. */
export const taintTolerationFilter: FilterPlugin = (spec, _request, info) => {
  const taint = findUntoleratedTaint(info.node.spec?.taints ?? [], spec.tolerations ?? []);
  return taint ? [untoleratedTaintReason(taint)] : [];
};

/** Every `nodeSelector` label must be on the node with the same value. */
export const nodeSelectorFilter: FilterPlugin = (spec, _request, info) => {
  const labels = info.node.metadata.labels ?? {};
  const ok = Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  return ok ? [] : [FilterReason.selectorMismatch];
};

/** What is left on a node: allocatable − requested. */
export function freeResources(info: Readonly<NodeInfo>): ResourceAmounts {
  return subtractAmounts(info.allocatable, info.requested);
}

/** The pod's requests (pods: 1 included) must fit in what is left; one reason per short resource. */
export const resourceFitFilter: FilterPlugin = (_spec, request, info) => exceededResources(request, freeResources(info)).map(insufficientReason);

/** The filters in the order they run; a node is refused by the first that fails. */
export const DEFAULT_FILTERS: readonly FilterPlugin[] = [
  nodeReadyFilter,
  nodeUnschedulableFilter,
  taintTolerationFilter,
  nodeSelectorFilter,
  resourceFitFilter,
];

/** Why `info` cannot take the pod (the first failing filter's reasons); empty when it can. */
export function filterNode(
  spec: Readonly<PodSpec>,
  request: Readonly<ResourceAmounts>,
  info: Readonly<NodeInfo>,
  filters: readonly FilterPlugin[] = DEFAULT_FILTERS,
): string[] {
  for (const filter of filters) {
    const reasons = filter(spec, request, info);
    if (reasons.length > 0) return reasons;
  }
  return [];
}
