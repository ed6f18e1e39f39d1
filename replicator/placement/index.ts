/**
 * Placement: which clusters a template goes to and how many replicas each gets. Every
 * function here is pure — data in, data out — so the binding controller stays thin.
 *
 * ```ts
 * import { matchPolicy, clusterViewOf, schedule, explainPlacement } from './placement/index.js';
 * const policy = matchPolicy(template, policies, clusterPolicies);
 * const result = schedule({ template, replicas: 8, policy, clusters: clusters.map((c) => clusterViewOf(c, now)) });
 * // result.error set or no clusters: keep the previous placement, never delete.
 * ```
 */
export * from './divide.js';
export * from './cluster-view.js';
export * from './policy-match.js';
export * from './filter.js';
export * from './score.js';
export * from './spread.js';
export * from './schedule.js';
export * from './explain.js';
