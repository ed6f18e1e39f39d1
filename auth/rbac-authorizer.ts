/**
 * The RBAC authorizer, after Kubernetes' plugin/pkg/auth/authorizer/rbac (rbac.go) and its
 * rule resolver (pkg/registry/rbac/validation/rule.go: VisitRulesFor, appliesTo): a request
 * is allowed when a rule of a role bound to the user allows it. ClusterRoleBindings apply
 * everywhere; RoleBindings only to requests in their namespace, with a Role of that
 * namespace or a ClusterRole. Members of `system:masters` are always allowed, as
 * kube-apiserver's privileged-group authorizer does before RBAC.
 *
 * Roles and bindings come from shared informers. Bindings are indexed by subject
 * (`user:NAME`, `group:NAME`; a ServiceAccount subject under the user name it
 * authenticates as), so one decision reads only the bindings of the user and their groups.
 * A binding change is in effect as soon as its watch event reached the informer.
 */
import {
  RBAC_GROUP,
  SERVICE_ACCOUNT_PREFIX,
  SYSTEM_MASTERS,
  type Authorizer,
  type AuthzAttributes,
  type AuthzDecision,
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  type Role,
  type RoleBinding,
  type Subject,
  type UserInfo,
} from '../apimachinery/index.js';
import type { IndexFunc, Informer, SharedInformerFactory } from '../controller/index.js';
import { ruleMatcher } from './rbac-rules.js';

/** Name of the subject index on the RoleBinding and ClusterRoleBinding informers. */
export const RBAC_SUBJECT_INDEX = 'rbacSubject';

/** The user name a ServiceAccount authenticates as: `system:serviceaccount:NS:NAME`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/**
 * Index values of one subject: `user:NAME`, `group:NAME`, and for a ServiceAccount the user
 * it authenticates as (its namespace defaulting to the binding's). Unknown kinds and
 * ServiceAccounts without any namespace match nobody and are not indexed.
 */
function subjectKey(s: Readonly<Subject>, bindingNamespace: string): string | undefined {
  if (typeof s !== 'object' || s === null || typeof s.name !== 'string') return undefined;
  switch (s.kind) {
    case 'User':
      return `user:${s.name}`;
    case 'Group':
      return `group:${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns ? `user:${serviceAccountUsername(ns, s.name)}` : undefined;
    }
    default:
      return undefined;
  }
}

/** A binding's subjects; a malformed stored binding has none rather than breaking the informer. */
function subjectsOf(b: Readonly<{ subjects?: Subject[] }>): readonly Readonly<Subject>[] {
  return Array.isArray(b.subjects) ? b.subjects : [];
}

/** ClusterRoleBindings by subject. */
const clusterBindingSubjects: IndexFunc<ClusterRoleBinding> = (b) => {
  const keys = subjectsOf(b).map((s) => subjectKey(s, '')).filter((k): k is string => k !== undefined);
  return [...new Set(keys)];
};

/** RoleBindings by `namespace/subject`. */
const roleBindingSubjects: IndexFunc<RoleBinding> = (b) => {
  const ns = b.metadata.namespace ?? '';
  const keys = subjectsOf(b).map((s) => subjectKey(s, ns)).filter((k): k is string => k !== undefined);
  return [...new Set(keys)].map((k) => `${ns}/${k}`);
};

/** The index values a user's bindings are found under. */
function userKeys(user: UserInfo): string[] {
  return [`user:${user.username}`, ...user.groups.map((g) => `group:${g}`)];
}

/** appliesTo: the first subject of a binding that names the user, directly, by group, or as its ServiceAccount. */
function subjectFor(user: UserInfo, subjects: readonly Readonly<Subject>[], namespace: string): Readonly<Subject> | undefined {
  return subjects.find((s) => {
    if (typeof s !== 'object' || s === null) return false;
    switch (s.kind) {
      case 'User':
        return s.name === user.username;
      case 'Group':
        return user.groups.includes(s.name);
      case 'ServiceAccount': {
        const ns = s.namespace || namespace;
        return ns !== '' && user.username === serviceAccountUsername(ns, s.name);
      }
      default:
        return false;
    }
  });
}

/** describeSubject: `User "alice"`, `ServiceAccount "deployer/shop"`. */
function describeSubject(s: Readonly<Subject>, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function byName<T extends { metadata: { name?: string } }>(a: T, b: T): number {
  const x = a.metadata.name ?? '';
  const y = b.metadata.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One rule with the binding it came from, as `RBAC: allowed by <source>` names it. */
export interface SourcedRule {
  rule: Readonly<PolicyRule>;
  /** `ClusterRoleBinding "x" of ClusterRole "y" to User "alice"`, `RoleBinding "x/ns" of Role "y" to Group "g"`. */
  source: string;
}

/** The binding and subject a rule applies through; described only when a decision needs the words. */
interface RuleSource {
  binding: Readonly<RoleBinding | ClusterRoleBinding>;
  subject: Readonly<Subject>;
  /** The RoleBinding's namespace; '' for a ClusterRoleBinding. */
  namespace: string;
}

/** clusterRoleBindingDescriber / roleBindingDescriber. */
function describeSource(s: RuleSource): string {
  const ref = s.binding.roleRef;
  const name = s.binding.metadata.name ?? '';
  const what = s.namespace === '' ? `ClusterRoleBinding ${JSON.stringify(name)}` : `RoleBinding ${JSON.stringify(`${name}/${s.namespace}`)}`;
  return `${what} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(s.subject, s.namespace)}`;
}

/** Visits rules until the visitor returns false; errors are roles that bindings name but that do not exist. */
type RuleVisitor = (source: RuleSource | undefined, rule: Readonly<PolicyRule> | undefined, error: string | undefined) => boolean;

/** Authorizes requests by RBAC roles and bindings read from shared informers. */
export class RbacAuthorizer implements Authorizer {
  private readonly roles: Informer<Role>;
  private readonly clusterRoles: Informer<ClusterRole>;
  private readonly roleBindings: Informer<RoleBinding>;
  private readonly clusterRoleBindings: Informer<ClusterRoleBinding>;

  /** Asks the factory for the four RBAC informers (with subject indexes); the factory's owner starts them. */
  constructor(factory: SharedInformerFactory) {
    this.roles = factory.informerFor<Role>(`roles.${RBAC_GROUP}`);
    this.clusterRoles = factory.informerFor<ClusterRole>(`clusterroles.${RBAC_GROUP}`);
    this.roleBindings = factory.informerFor<RoleBinding>(`rolebindings.${RBAC_GROUP}`, { [RBAC_SUBJECT_INDEX]: roleBindingSubjects });
    this.clusterRoleBindings = factory.informerFor<ClusterRoleBinding>(`clusterrolebindings.${RBAC_GROUP}`, {
      [RBAC_SUBJECT_INDEX]: clusterBindingSubjects,
    });
  }

  /** True once every RBAC informer has listed; before that only `system:masters` is allowed. */
  hasSynced(): boolean {
    return this.roles.hasSynced() && this.clusterRoles.hasSynced() && this.roleBindings.hasSynced() && this.clusterRoleBindings.hasSynced();
  }

  /**
   * Allowed with `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "alice"`
   * when a bound rule allows the request; otherwise not allowed, with an empty reason or
   * `RBAC: <the roles that bindings name but that are missing>`, as Kubernetes answers.
   */
  authorize(attrs: AuthzAttributes): AuthzDecision {
    if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    if (!this.hasSynced()) return { allowed: false, reason: 'RBAC: the role and binding caches are not synced yet' };
    const allows = ruleMatcher(attrs);
    let allowedBy: RuleSource | undefined;
    const errors: string[] = [];
    this.visitRulesFor(attrs.user, attrs.namespace ?? '', (source, rule, error) => {
      if (rule && source && allows(rule)) {
        allowedBy = source;
        return false;
      }
      if (error !== undefined) errors.push(error);
      return true;
    });
    if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${describeSource(allowedBy)}` };
    return { allowed: false, reason: errors.length === 0 ? '' : `RBAC: ${aggregate(errors)}` };
  }

  /**
   * Every rule that applies to `user` in `namespace` (cluster-wide rules only for `''`),
   * with its source, and the missing roles met on the way: what SelfSubjectRulesReview
   * lists and what escalation checks compare against.
   */
  rulesFor(user: UserInfo, namespace = ''): { rules: SourcedRule[]; errors: string[] } {
    const rules: SourcedRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (source, rule, error) => {
      if (rule && source) rules.push({ rule, source: describeSource(source) });
      if (error !== undefined) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  /** VisitRulesFor: cluster role bindings first, then the role bindings of the namespace, each in name order. */
  private visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    const keys = userKeys(user);
    const clusterBindings = this.bindingsOf(this.clusterRoleBindings, keys);
    if (!this.visitBindings(user, clusterBindings, '', visit)) return;
    if (namespace === '') return;
    this.visitBindings(user, this.bindingsOf(this.roleBindings, keys.map((k) => `${namespace}/${k}`)), namespace, visit);
  }

  /** The bindings found under any of `keys`, each once, in name order (decisions and reasons are deterministic). */
  private bindingsOf<T extends RoleBinding | ClusterRoleBinding>(informer: Informer<T>, keys: readonly string[]): Readonly<T>[] {
    const found: Readonly<T>[] = [];
    for (const key of keys) for (const b of informer.byIndex(RBAC_SUBJECT_INDEX, key)) found.push(b);
    if (found.length < 2) return found;
    const unique = [...new Set(found)];
    return unique.sort(byName);
  }

  /** Visits the rules of each binding that applies to the user; false when the visitor stopped. */
  private visitBindings(user: UserInfo, bindings: readonly Readonly<RoleBinding | ClusterRoleBinding>[], namespace: string, visit: RuleVisitor): boolean {
    for (const binding of bindings) {
      const subject = subjectFor(user, subjectsOf(binding), namespace);
      if (!subject) continue;
      const found = this.roleRefRules(binding.roleRef, namespace);
      if ('error' in found) {
        if (!visit(undefined, undefined, found.error)) return false;
        continue;
      }
      const source: RuleSource = { binding, subject, namespace };
      for (const rule of found.rules) {
        if (typeof rule !== 'object' || rule === null) continue;
        if (!visit(source, rule, undefined)) return false;
      }
    }
    return true;
  }

  /**
   * GetRoleReferenceRules: the rules of the Role (in the binding's namespace) or ClusterRole a
   * binding names, or why there are none (`role.rbac.authorization.k8s.io "x" not found`).
   */
  roleRefRules(ref: Readonly<RoleBinding['roleRef']> | undefined, namespace: string): { rules: readonly Readonly<PolicyRule>[] } | { error: string } {
    const kind = ref?.kind ?? '';
    const name = ref?.name ?? '';
    if (kind === 'Role') {
      const role = namespace === '' ? undefined : this.roles.getByName(namespace, name);
      return role ? { rules: rulesOf(role) } : { error: `role.${RBAC_GROUP} ${JSON.stringify(name)} not found` };
    }
    if (kind === 'ClusterRole') {
      const role = this.clusterRoles.getByName(undefined, name);
      return role ? { rules: rulesOf(role) } : { error: `clusterrole.${RBAC_GROUP} ${JSON.stringify(name)} not found` };
    }
    return { error: `unsupported role reference kind: ${JSON.stringify(kind)}` };
  }
}

/** A role's rules (entries that are not objects are skipped where they are visited). */
function rulesOf(role: Readonly<Role>): readonly Readonly<PolicyRule>[] {
  return Array.isArray(role.rules) ? role.rules : [];
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`. */
function aggregate(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}
