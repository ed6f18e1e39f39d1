/**
 * What one RBAC rule allows, and whether one set of rules covers another — pure functions
 * ported from Kubernetes (pkg/apis/rbac/v1/evaluation_helpers.go: VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches; and
 * pkg/registry/rbac/validation/policy_comparator.go: BreakdownRule, Covers).
 *
 * Resource patterns, exactly as Kubernetes reads them: `*` matches every resource and
 * subresource; `deployments/status` one subresource; `* /status` (without the space) one
 * subresource of every resource. `deployments` alone does not match its subresources, and
 * `deployments/*` matches nothing but a request whose subresource is literally `*`.
 */
import { RBAC_ALL, type AuthzAttributes, type PolicyRule } from '../apimachinery/index.js';

/** A rule's list field; stored objects are validated, but a malformed one must not break a decision. */
function list(v: readonly string[] | undefined): readonly string[] {
  return Array.isArray(v) ? v : [];
}

/** True when the rule lists the verb or `*`. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return list(rule.verbs).some((v) => v === RBAC_ALL || v === verb);
}

/** True when the rule lists the API group (`''` is core) or `*`. */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return list(rule.apiGroups).some((g) => g === RBAC_ALL || g === group);
}

/**
 * True when the rule names `combined` (`resource` or `resource/subresource`), `*`, or
 * `* /subresource` (no space) for a request on that subresource.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of list(rule.resources)) {
    if (r === RBAC_ALL || r === combined) return true;
    if (subresource === '') continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** True when the rule has no resourceNames, or lists `name`. A request without a name never matches a named rule. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = list(rule.resourceNames);
  return names.length === 0 || names.includes(name);
}

/** True when the rule lists the path, `*`, or a prefix of it ending in `*` (`/apis/*`). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of list(rule.nonResourceURLs)) {
    if (url === RBAC_ALL || url === path) return true;
    if (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/**
 * RuleAllows as a function of the rule for one request: what depends only on the request
 * (the combined `resource/subresource`) is computed once, not once per rule.
 */
export function ruleMatcher(attrs: AuthzAttributes): (rule: Readonly<PolicyRule>) => boolean {
  const verb = attrs.verb;
  if (attrs.resourceRequest) {
    const subresource = attrs.subresource ?? '';
    const resource = attrs.resource ?? '';
    const combined = subresource === '' ? resource : `${resource}/${subresource}`;
    const group = attrs.apiGroup ?? '';
    const name = attrs.name ?? '';
    return (rule) =>
      verbMatches(rule, verb) && apiGroupMatches(rule, group) && resourceMatches(rule, combined, subresource) && resourceNameMatches(rule, name);
  }
  const path = attrs.path ?? '';
  return (rule) => verbMatches(rule, verb) && nonResourceURLMatches(rule, path);
}

/** RuleAllows: whether one rule allows the request. */
export function ruleAllows(attrs: AuthzAttributes, rule: Readonly<PolicyRule>): boolean {
  return ruleMatcher(attrs)(rule);
}

// ---- coverage ---------------------------------------------------------------------------

/** BreakdownRule: one rule per (group, resource, verb[, name]) and per (URL, verb). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of list(rule.apiGroups)) {
    for (const resource of list(rule.resources)) {
      for (const verb of list(rule.verbs)) {
        const names = list(rule.resourceNames);
        if (names.length > 0) {
          for (const name of names) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of list(rule.nonResourceURLs)) {
    for (const verb of list(rule.verbs)) out.push({ nonResourceURLs: [url], verbs: [verb] });
  }
  return out;
}

function hasAll(set: readonly string[], wanted: readonly string[]): boolean {
  const owned = new Set(set);
  return wanted.every((w) => owned.has(w));
}

function resourcesCoverAll(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes(RBAC_ALL) || hasAll(owner, wanted)) return true;
  return wanted.every((path) => {
    if (owner.includes(path)) return true;
    const slash = path.indexOf('/');
    return slash >= 0 && owner.includes(`*/${path.slice(slash + 1)}`);
  });
}

function urlCovers(owner: string, path: string): boolean {
  return owner === path || (owner.endsWith('*') && path.startsWith(owner.replace(/\*+$/, '')));
}

/** ruleCovers: whether `owner` grants everything the broken-down `sub` rule grants. */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const ownerVerbs = list(owner.verbs);
  const ownerGroups = list(owner.apiGroups);
  const ownerNames = list(owner.resourceNames);
  const subNames = list(sub.resourceNames);
  const verbs = ownerVerbs.includes(RBAC_ALL) || hasAll(ownerVerbs, list(sub.verbs));
  const groups = ownerGroups.includes(RBAC_ALL) || hasAll(ownerGroups, list(sub.apiGroups));
  const resources = resourcesCoverAll(list(owner.resources), list(sub.resources));
  const urls = list(sub.nonResourceURLs).every((p) => list(owner.nonResourceURLs).some((o) => urlCovers(o, p)));
  const names = subNames.length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, subNames);
  return verbs && groups && resources && urls && names;
}

/**
 * Covers: whether `ownerRules` grant everything `wantedRules` grant, and the broken-down
 * wanted rules they do not (what bootstrap reconciliation adds to a role that lacks them).
 */
export function rulesCover(ownerRules: readonly PolicyRule[], wantedRules: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const sub of wantedRules.flatMap(breakdownRule)) {
    if (!ownerRules.some((o) => ruleCovers(o, sub))) missing.push(sub);
  }
  return { covered: missing.length === 0, missing };
}
