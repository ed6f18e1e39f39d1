/**
 * Which PropagationPolicy governs a template, by Karmada's rules
 * (karmada-io/karmada `pkg/util/helper/policy.go`, `pkg/detector` implicit priority): a
 * PropagationPolicy of the template's namespace beats any ClusterPropagationPolicy; among
 * candidates the highest explicit `spec.priority` wins, then the most specific selector
 * (by name, then by labels, then by apiVersion/kind alone), then the policy name, so the
 * choice never depends on list order.
 */
import { labelSelectorFromObject, type KubeObject, type PropagationPolicy, type ResourceSelector } from '../../apimachinery/index.js';

/** How specifically a selector picks a template (Karmada's implicit priority). */
export const SelectorSpecificity = {
  None: 0,
  KindOnly: 1,
  LabelSelector: 2,
  Name: 3,
} as const;

/** One of the SelectorSpecificity values. */
export type SelectorSpecificityType = (typeof SelectorSpecificity)[keyof typeof SelectorSpecificity];

/**
 * How specifically `selector` matches `template`, or None. As in Karmada, a selector with a
 * name matches by name alone (its labelSelector is not consulted); an invalid labelSelector
 * matches nothing.
 */
export function selectorSpecificity(selector: ResourceSelector, template: KubeObject): SelectorSpecificityType {
  if (selector.apiVersion !== template.apiVersion || selector.kind !== template.kind) return SelectorSpecificity.None;
  if (selector.namespace && selector.namespace !== (template.metadata.namespace ?? '')) return SelectorSpecificity.None;
  if (selector.name) return selector.name === template.metadata.name ? SelectorSpecificity.Name : SelectorSpecificity.None;
  if (selector.labelSelector === undefined || selector.labelSelector === null) return SelectorSpecificity.KindOnly;
  try {
    return labelSelectorFromObject(selector.labelSelector).matches(template.metadata.labels) ? SelectorSpecificity.LabelSelector : SelectorSpecificity.None;
  } catch {
    return SelectorSpecificity.None;
  }
}

/** True when `selector` selects `template`. */
export function selectorMatches(selector: ResourceSelector, template: KubeObject): boolean {
  return selectorSpecificity(selector, template) !== SelectorSpecificity.None;
}

/** The best specificity among `selectors` for `template` (None when no selector matches). */
export function selectorsSpecificity(selectors: readonly ResourceSelector[] | undefined, template: KubeObject): SelectorSpecificityType {
  let best: SelectorSpecificityType = SelectorSpecificity.None;
  for (const s of selectors ?? []) {
    const v = selectorSpecificity(s, template);
    if (v > best) best = v;
  }
  return best;
}

interface Candidate {
  policy: PropagationPolicy;
  priority: number;
  specificity: number;
  name: string;
}

function best(candidates: Candidate[]): PropagationPolicy | undefined {
  candidates.sort(
    (a, b) => b.priority - a.priority || b.specificity - a.specificity || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return candidates[0]?.policy;
}

function candidatesOf(template: KubeObject, policies: readonly PropagationPolicy[], sameNamespace: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const policy of policies) {
    // A policy being deleted no longer claims anything.
    if (policy.metadata.deletionTimestamp) continue;
    if (sameNamespace && (!template.metadata.namespace || policy.metadata.namespace !== template.metadata.namespace)) continue;
    const specificity = selectorsSpecificity(policy.spec?.resourceSelectors, template);
    if (specificity === SelectorSpecificity.None) continue;
    const priority = policy.spec.priority ?? 0;
    out.push({ policy, priority: Number.isFinite(priority) ? priority : 0, specificity, name: policy.metadata.name ?? '' });
  }
  return out;
}

/**
 * The policy that governs `template`: the best PropagationPolicy of its namespace if any
 * matches, else the best ClusterPropagationPolicy, else undefined.
 */
export function matchPolicy(
  template: KubeObject,
  policies: readonly PropagationPolicy[],
  clusterPolicies: readonly PropagationPolicy[],
): PropagationPolicy | undefined {
  return best(candidatesOf(template, policies, true)) ?? best(candidatesOf(template, clusterPolicies, false));
}
