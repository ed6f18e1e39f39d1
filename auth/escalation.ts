/**
 * RBAC escalation prevention, after kube-apiserver's pkg/registry/rbac (escalation_check.go,
 * ConfirmNoEscalation): nobody gains permissions by writing RBAC objects.
 *
 * - A Role or ClusterRole may be created or updated by a user who already holds every
 *   permission it grants (in its namespace; cluster-wide for a ClusterRole), or who may
 *   `escalate` that role. Only such a user may set an `aggregationRule`.
 * - A RoleBinding or ClusterRoleBinding may be created or updated by a user who holds every
 *   permission of the role it references, or who may `bind` that role.
 * - `system:masters` may do both.
 *
 * The API server calls `checkRbacWrite` on create, update and patch of the four kinds,
 * with the object as it will be stored, after its own authorization allowed the write.
 */
import {
  RBAC_GROUP,
  StatusError,
  StatusReason,
  SYSTEM_MASTERS,
  type AuthzAttributes,
  type ClusterRole,
  type ClusterRoleBinding,
  type KubeObject,
  type PolicyRule,
  type Role,
  type RoleBinding,
  type UserInfo,
} from '../apimachinery/index.js';
import type { RbacAuthorizer } from './rbac-authorizer.js';
import { rulesCover } from './rbac-rules.js';

const PLURALS: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

/** A string list as Go's `%q` prints it: `["get" "list"]`. */
function goQuoted(list: readonly string[]): string {
  return `[${list.map((x) => JSON.stringify(x)).join(' ')}]`;
}

/** rbacv1helpers.CompactString: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "delete"]}`. */
export function compactRuleString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoted(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goQuoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** CompactRules: broken-down rules that differ only in their verb become one rule. */
function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule>();
  for (const r of rules) {
    const key = JSON.stringify([r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
    const seen = byTarget.get(key);
    if (seen) seen.verbs = [...new Set([...seen.verbs, ...r.verbs])];
    else byTarget.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...byTarget.values()];
}

function forbiddenWrite(obj: KubeObject, message: string): StatusError {
  const resource = PLURALS[obj.kind] ?? obj.kind.toLowerCase();
  const name = obj.metadata?.name ?? '';
  return new StatusError(StatusReason.Forbidden, `${resource}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${message}`, {
    name,
    group: RBAC_GROUP,
    kind: resource,
  });
}

/** ConfirmNoEscalation: the user's rules in `namespace` cover `rules`, else the message naming what is missing. */
function missingRights(authorizer: RbacAuthorizer, user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
  const owner = authorizer.rulesFor(user, namespace);
  const { covered, missing } = rulesCover(
    owner.rules.map((r) => r.rule as PolicyRule),
    rules,
  );
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactRuleString))].sort();
  let msg = `user ${JSON.stringify(user.username)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length > 0) msg += `; resolution errors: [${owner.errors.join(', ')}]`;
  return msg;
}

/**
 * True when the authorizer lets `user` perform `verb` (escalate, bind) on roles of `kind`
 * in `namespace` ('' cluster-wide), named `name` when the request names one.
 */
function mayOnRole(authorizer: RbacAuthorizer, user: UserInfo, verb: 'escalate' | 'bind', kind: string, namespace: string, name: string): boolean {
  if (kind !== 'Role' && kind !== 'ClusterRole') return false;
  const attrs: AuthzAttributes = { user, verb, resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '*', resource: kind === 'Role' ? 'roles' : 'clusterroles' };
  if (name !== '') attrs.name = name;
  if (namespace !== '') attrs.namespace = namespace;
  return authorizer.authorize(attrs).allowed;
}

/**
 * Throws 403 Forbidden when writing `obj` (a Role, ClusterRole, RoleBinding or
 * ClusterRoleBinding, as it will be stored) would give away permissions `user` does not
 * hold; does nothing for other kinds. `operation` is the request's: a create names no
 * object, so an `escalate` rule restricted by resourceNames does not cover it (as in
 * Kubernetes).
 */
export function checkRbacWrite(authorizer: RbacAuthorizer, user: UserInfo, obj: KubeObject, operation: 'create' | 'update'): void {
  if (user.groups.includes(SYSTEM_MASTERS)) return;
  const namespace = obj.metadata?.namespace ?? '';
  const name = operation === 'create' ? '' : (obj.metadata?.name ?? '');
  switch (obj.kind) {
    case 'Role':
    case 'ClusterRole': {
      const role = obj as Role | ClusterRole;
      if (mayOnRole(authorizer, user, 'escalate', obj.kind, namespace, name)) return;
      if (obj.kind === 'ClusterRole' && (role as ClusterRole).aggregationRule) {
        throw forbiddenWrite(obj, 'must have cluster-admin privileges to use the aggregationRule');
      }
      const rules = Array.isArray(role.rules) ? role.rules : [];
      const missing = missingRights(authorizer, user, obj.kind === 'Role' ? namespace : '', rules);
      if (missing !== undefined) throw forbiddenWrite(obj, missing);
      return;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const binding = obj as RoleBinding | ClusterRoleBinding;
      const ref = binding.roleRef;
      const bindingNamespace = obj.kind === 'RoleBinding' ? namespace : '';
      // `bind` is checked in the binding's namespace (cluster-wide for a ClusterRoleBinding), on the role's name.
      if (ref && mayOnRole(authorizer, user, 'bind', ref.kind, bindingNamespace, ref.name)) return;
      const found = authorizer.roleRefRules(ref, bindingNamespace);
      if ('error' in found) throw forbiddenWrite(obj, found.error);
      const missing = missingRights(authorizer, user, bindingNamespace, found.rules as PolicyRule[]);
      if (missing !== undefined) throw forbiddenWrite(obj, missing);
      return;
    }
    default:
      return;
  }
}
