/**
 * One scheduling decision, pure: filter every node, score the feasible ones, pick the
 * best; or explain, in kube-scheduler's words, why no node fits.
 */
import type { Pod } from '../api-types.js';
import { isBeingDeleted } from '../../apimachinery/index.js';
import { filterNode, type FilterPlugin, DEFAULT_FILTERS } from './filters.js';
import type { NodeInfo } from './node-info.js';
import { podNonZeroRequests, podRequests, isTerminal } from './pod-requests.js';
import { pickNode, scoreNode } from './score.js';

/** The scheduler name pods get when they name none (`spec.schedulerName`). */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Result of `schedulePod`: a node, or the reasons no node fits. */
export type ScheduleResult =
  | { nodeName: string; feasibleNodes: number }
  | { nodeName?: undefined; message: string; failures: Map<string, string[]> };

/** True when this scheduler should place `pod`: unbound, not terminating or finished, and ours by schedulerName. */
export function needsScheduling(pod: Readonly<Pod>): boolean {
  const schedulerName = (pod.spec as { schedulerName?: string } | undefined)?.schedulerName;
  return (
    !!pod.spec &&
    !pod.spec.nodeName &&
    !isBeingDeleted(pod) &&
    !isTerminal(pod) &&
    (!schedulerName || schedulerName === DEFAULT_SCHEDULER_NAME)
  );
}

/**
 * kube-scheduler's FitError text: `0/3 nodes are available: 1 Insufficient cpu, 2 node(s)
 * didn't match Pod's node affinity/selector.` Each reason is counted over nodes; the
 * `count reason` strings are sorted, as Kubernetes sorts them.
 */
export function unschedulableMessage(totalNodes: number, failures: ReadonlyMap<string, readonly string[]>): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  const histogram = new Map<string, number>();
  for (const reasons of failures.values()) for (const r of reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${totalNodes} nodes are available: ${parts.join(', ')}.`;
}

/** Chooses a node for `pod` among `nodes` (whose requests already count every bound or assumed pod). */
export function schedulePod(
  pod: Readonly<Pod>,
  nodes: Iterable<Readonly<NodeInfo>>,
  filters: readonly FilterPlugin[] = DEFAULT_FILTERS,
): ScheduleResult {
  const request = podRequests(pod.spec);
  const nonZero = podNonZeroRequests(pod.spec);
  const failures = new Map<string, string[]>();
  const scores = [];
  let total = 0;
  for (const info of nodes) {
    total++;
    const reasons = filterNode(pod.spec, request, info, filters);
    if (reasons.length > 0) failures.set(info.name, reasons);
    else scores.push(scoreNode(pod, nonZero, info));
  }
  const nodeName = pickNode(scores);
  if (nodeName !== undefined) return { nodeName, feasibleNodes: scores.length };
  return { message: unschedulableMessage(total, failures), failures };
}
