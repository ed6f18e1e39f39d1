/**
 * The member cluster's scheduler (after kube-scheduler's framework): pure filter and score
 * plugins, one pure decision function, and the `Scheduler` that feeds it from informers and
 * binds with compare-and-swap.
 *
 * ```ts
 * const scheduler = new Scheduler({ store, informers, registry, logger, clock });
 * scheduler.start();
 * // ...
 * await scheduler.stop();
 *
 * // Pure, for reports and tests:
 * const result = schedulePod(pod, buildNodeInfos(nodes, pods).values());
 * ```
 */
export {
  DEFAULT_FILTERS,
  FilterReason,
  filterNode,
  findUntoleratedTaint,
  freeResources,
  insufficientReason,
  isNodeReady,
  nodeReadyFilter,
  nodeSelectorFilter,
  nodeUnschedulableFilter,
  resourceFitFilter,
  taintTolerationFilter,
  toleratesTaint,
  untoleratedTaintReason,
  type FilterPlugin,
} from './filters.js';
export { addPodToNodeInfo, buildNodeInfos, newNodeInfo, occupiesNode, type NodeInfo } from './node-info.js';
export {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  containerRequests,
  isTerminal,
  podNonZeroRequests,
  podRequests,
} from './pod-requests.js';
export { DEFAULT_SCHEDULER_NAME, needsScheduling, schedulePod, unschedulableMessage, type ScheduleResult } from './schedule.js';
export { MAX_NODE_SCORE, compareNodeScores, leastAllocatedScore, pickNode, scoreNode, type NodeScore } from './score.js';
export {
  DEFAULT_UNSCHEDULABLE_RETRY_MS,
  POD_SCHEDULED,
  REASON_UNSCHEDULABLE,
  Scheduler,
  type SchedulerOptions,
} from './scheduler.js';
