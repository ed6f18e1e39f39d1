/**
 * The default roles and bindings, after Kubernetes' bootstrap policy
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go) narrowed to what fedgate
 * serves, and its startup reconciliation (pkg/registry/rbac/reconciliation):
 *
 * - a missing role or binding is created;
 * - an existing one gets the rules (subjects) it lacks added, keeping whatever users added;
 * - one annotated `rbac.authorization.kubernetes.io/autoupdate: "false"` is left alone;
 * - a binding whose roleRef differs is deleted and re-created (roleRef is immutable).
 *
 * Roles: `cluster-admin` (everything), `admin` ⊃ `edit` ⊃ `view` (namespaced work: `view`
 * reads everything but Secrets; `edit` also writes and reads Secrets; `admin` also manages
 * Roles and RoleBindings; none reaches Clusters or ClusterPropagationPolicies, which are
 * cluster-scoped), and the `system:` roles every authenticated user is bound to: discovery,
 * /version, /healthz and friends, SelfSubjectAccessReview and SelfSubjectReview.
 */
import {
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
  Groups,
  isAlreadyExists,
  isConflict,
  isNotFound,
  RBAC_API_VERSION,
  RBAC_AUTOUPDATE_ANNOTATION,
  RBAC_BOOTSTRAPPING_LABEL,
  RBAC_BOOTSTRAPPING_VALUE,
  RBAC_GROUP,
  SYSTEM_AUTHENTICATED,
  SYSTEM_MASTERS,
  SYSTEM_UNAUTHENTICATED,
  type ClusterRole,
  type ClusterRoleBinding,
  type KubeObject,
  type PolicyRule,
  type Subject,
} from '../apimachinery/index.js';
import type { Store } from '../store/index.js';
import { rulesCover } from './rbac-rules.js';
import { createStoredObject, decodeStored, keyOf, resourceOfKind, updateStoredObject } from './stored-objects.js';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];

/** Group a member-cluster workload API also serves; the same roles work there. */
const APPS = 'apps';
const BATCH = 'batch';
const CORE = '';

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

/** `view`: read namespaced objects, not Secrets (Kubernetes' aggregate-to-view). */
const VIEW_RULES: PolicyRule[] = [
  rule(READ, [CORE], [
    'configmaps',
    'endpoints',
    'persistentvolumeclaims',
    'persistentvolumeclaims/status',
    'pods',
    'serviceaccounts',
    'services',
    'services/status',
  ]),
  rule(READ, [CORE], ['events', 'pods/log', 'pods/status', 'namespaces/status']),
  // Read access to namespaces at namespace scope means reading *this* namespace.
  rule(READ, [CORE], ['namespaces']),
  rule(READ, [APPS], [
    'controllerrevisions',
    'daemonsets',
    'daemonsets/status',
    'deployments',
    'deployments/scale',
    'deployments/status',
    'replicasets',
    'replicasets/scale',
    'replicasets/status',
    'statefulsets',
    'statefulsets/scale',
    'statefulsets/status',
  ]),
  rule(READ, [BATCH], ['jobs', 'jobs/status']),
  rule(READ, [Groups.policy], ['propagationpolicies', 'propagationpolicies/status', 'overridepolicies', 'overridepolicies/status']),
  rule(READ, [Groups.networking], ['trafficpolicies', 'trafficpolicies/status']),
];

/** What `edit` adds to `view`: write namespaced objects, read and write Secrets (aggregate-to-edit). */
const EDIT_ONLY_RULES: PolicyRule[] = [
  rule(['impersonate'], [CORE], ['serviceaccounts']),
  rule(WRITE, [CORE], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(WRITE, [CORE], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'secrets', 'serviceaccounts', 'services', 'services/proxy', 'events']),
  rule(['create'], [CORE], ['serviceaccounts/token']),
  rule(READ, [CORE], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(WRITE, [APPS], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  rule(WRITE, [BATCH], ['jobs']),
  rule(WRITE, [Groups.policy], ['propagationpolicies', 'overridepolicies']),
  rule(WRITE, [Groups.networking], ['trafficpolicies']),
];

/** What `admin` adds to `edit`: Roles and RoleBindings of the namespace (aggregate-to-admin). */
const ADMIN_ONLY_RULES: PolicyRule[] = [
  rule(['create'], [AUTHORIZATION_GROUP], ['localsubjectaccessreviews']),
  rule(READ_WRITE, [RBAC_GROUP], ['roles', 'rolebindings']),
];

/** Paths of discovery and version information (`system:discovery`). */
const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
/** Paths everyone may read, authenticated or not (`system:public-info-viewer`). */
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
/** Paths of monitoring (`system:monitoring`). */
const MONITORING_URLS = ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/readyz', '/readyz/*'];

function clusterRole(name: string, rules: PolicyRule[]): ClusterRole {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { [RBAC_BOOTSTRAPPING_LABEL]: RBAC_BOOTSTRAPPING_VALUE },
      annotations: { [RBAC_AUTOUPDATE_ANNOTATION]: 'true' },
    },
    rules,
  };
}

/** Labels that aggregate a ClusterRole into `admin`, `edit` and `view` (Kubernetes' names). */
export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/** A role whose rules are aggregated from the roles labelled `label: "true"`, starting with `rules` (what aggregation will find). */
function aggregatedRole(name: string, label: string, rules: PolicyRule[]): ClusterRole {
  return { ...clusterRole(name, rules), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] } };
}

/** A role carrying rules into the aggregated roles named by `labels`. */
function aggregateTo(name: string, rules: PolicyRule[], labels: string[]): ClusterRole {
  const role = clusterRole(name, rules);
  for (const label of labels) role.metadata.labels![label] = 'true';
  return role;
}

function groupSubject(name: string): Subject {
  return { kind: 'Group', apiGroup: RBAC_GROUP, name };
}

function clusterRoleBinding(name: string, role: string, subjects: Subject[]): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      labels: { [RBAC_BOOTSTRAPPING_LABEL]: RBAC_BOOTSTRAPPING_VALUE },
      annotations: { [RBAC_AUTOUPDATE_ANNOTATION]: 'true' },
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  };
}

/** The default ClusterRoles, in creation order. */
export function bootstrapClusterRoles(): ClusterRole[] {
  const edit = [...VIEW_RULES, ...EDIT_ONLY_RULES];
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    // admin ⊃ edit ⊃ view through aggregation, as in Kubernetes: their rules are the union of
    // the system:aggregate-to-* roles and of any ClusterRole labelled aggregate-to-<role>.
    aggregatedRole('admin', AGGREGATE_TO_ADMIN, [...edit, ...ADMIN_ONLY_RULES]),
    aggregatedRole('edit', AGGREGATE_TO_EDIT, edit),
    aggregatedRole('view', AGGREGATE_TO_VIEW, VIEW_RULES),
    aggregateTo('system:aggregate-to-admin', ADMIN_ONLY_RULES, [AGGREGATE_TO_ADMIN]),
    aggregateTo('system:aggregate-to-edit', EDIT_ONLY_RULES, [AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT]),
    aggregateTo('system:aggregate-to-view', VIEW_RULES, [AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW]),
    clusterRole('system:discovery', [urls(['get'], DISCOVERY_URLS)]),
    clusterRole('system:public-info-viewer', [urls(['get'], PUBLIC_INFO_URLS)]),
    clusterRole('system:monitoring', [urls(['get'], MONITORING_URLS)]),
    clusterRole('system:basic-user', [
      rule(['create'], [AUTHORIZATION_GROUP], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], [AUTHENTICATION_GROUP], ['selfsubjectreviews']),
    ]),
  ];
}

/** The default ClusterRoleBindings, in creation order. */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [groupSubject(SYSTEM_MASTERS)]),
    clusterRoleBinding('system:discovery', 'system:discovery', [groupSubject(SYSTEM_AUTHENTICATED)]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [groupSubject(SYSTEM_AUTHENTICATED)]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [groupSubject(SYSTEM_AUTHENTICATED), groupSubject(SYSTEM_UNAUTHENTICATED)]),
    clusterRoleBinding('system:monitoring', 'system:monitoring', [groupSubject('system:monitoring')]),
  ];
}

/** What `ensureBootstrapPolicy` did, by `Kind/name`. */
export interface BootstrapPolicyResult {
  created: string[];
  updated: string[];
  /** Annotated `autoupdate: "false"`: left as they are. */
  protected: string[];
}

/** Options of `ensureBootstrapPolicy`. */
export interface BootstrapPolicyOptions {
  /** Creation time of new objects (the system clock by default). */
  now?: Date;
}

/** Compare-and-swap attempts per object before giving up on a store that keeps changing under us. */
const MAX_ATTEMPTS = 5;

/** Expected keys first, then existing ones over them (reconciliation's merge: user values win). */
function mergeMaps(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> {
  return { ...expected, ...existing };
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}

function sameSubject(a: Subject, b: Subject): boolean {
  return a.kind === b.kind && (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function isProtected(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[RBAC_AUTOUPDATE_ANNOTATION] === 'false';
}

/** The reconciled form of an existing role, or undefined when nothing needs to change. */
function reconcileRole(existing: ClusterRole, expected: ClusterRole): ClusterRole | undefined {
  const out = structuredClone(existing);
  out.metadata.annotations = mergeMaps(expected.metadata.annotations, existing.metadata.annotations);
  out.metadata.labels = mergeMaps(expected.metadata.labels, existing.metadata.labels);
  let changed = !sameMap(out.metadata.annotations, existing.metadata.annotations) || !sameMap(out.metadata.labels, existing.metadata.labels);
  if (expected.aggregationRule && !existing.aggregationRule) {
    out.aggregationRule = structuredClone(expected.aggregationRule);
    changed = true;
  }
  const current = Array.isArray(existing.rules) ? existing.rules : [];
  const { missing } = rulesCover(current, expected.rules ?? []);
  if (missing.length > 0) {
    out.rules = [...current, ...missing];
    changed = true;
  }
  return changed ? out : undefined;
}

/** The reconciled form of an existing binding (subjects added, metadata merged), or undefined when it is up to date. */
function reconcileBinding(existing: ClusterRoleBinding, expected: ClusterRoleBinding): ClusterRoleBinding | undefined {
  const out = structuredClone(existing);
  out.metadata.annotations = mergeMaps(expected.metadata.annotations, existing.metadata.annotations);
  out.metadata.labels = mergeMaps(expected.metadata.labels, existing.metadata.labels);
  let changed = !sameMap(out.metadata.annotations, existing.metadata.annotations) || !sameMap(out.metadata.labels, existing.metadata.labels);
  const subjects = Array.isArray(existing.subjects) ? [...existing.subjects] : [];
  for (const s of expected.subjects ?? []) {
    if (!subjects.some((x) => sameSubject(x, s))) {
      subjects.push(s);
      changed = true;
    }
  }
  out.subjects = subjects;
  return changed ? out : undefined;
}

function sameRoleRef(a: ClusterRoleBinding, b: ClusterRoleBinding): boolean {
  const x = a.roleRef ?? { apiGroup: '', kind: '', name: '' };
  return x.apiGroup === b.roleRef.apiGroup && x.kind === b.roleRef.kind && x.name === b.roleRef.name;
}

/**
 * Creates the default ClusterRoles and ClusterRoleBindings that are missing and reconciles
 * the ones present (see the module doc). Idempotent; safe when several gateways start on one
 * store at once (every write is a compare-and-swap, retried on Conflict or AlreadyExists).
 */
export async function ensureBootstrapPolicy(store: Store, options: BootstrapPolicyOptions = {}): Promise<BootstrapPolicyResult> {
  const now = options.now ?? new Date();
  const result: BootstrapPolicyResult = { created: [], updated: [], protected: [] };
  const roles = resourceOfKind('ClusterRole');
  const bindings = resourceOfKind('ClusterRoleBinding');

  for (const expected of bootstrapClusterRoles()) {
    const id = `ClusterRole/${expected.metadata.name}`;
    await withRetries(id, async () => {
      const kv = await store.get(keyOf(roles, expected));
      if (!kv) {
        await createStoredObject(store, roles, expected, now);
        result.created.push(id);
        return;
      }
      const existing = decodeStored<ClusterRole>(kv);
      if (isProtected(existing)) {
        result.protected.push(id);
        return;
      }
      const next = reconcileRole(existing, expected);
      if (!next) return;
      await updateStoredObject(store, roles, next, kv.modRevision);
      result.updated.push(id);
    });
  }

  for (const expected of bootstrapClusterRoleBindings()) {
    const id = `ClusterRoleBinding/${expected.metadata.name}`;
    await withRetries(id, async () => {
      const key = keyOf(bindings, expected);
      const kv = await store.get(key);
      if (!kv) {
        await createStoredObject(store, bindings, expected, now);
        result.created.push(id);
        return;
      }
      const existing = decodeStored<ClusterRoleBinding>(kv);
      if (isProtected(existing)) {
        result.protected.push(id);
        return;
      }
      if (!sameRoleRef(existing, expected)) {
        // roleRef cannot change in place: replace the binding, keeping its extra subjects.
        const replacement = reconcileBinding({ ...existing, roleRef: expected.roleRef }, expected) ?? { ...existing, roleRef: expected.roleRef };
        await store.delete(key, kv.modRevision);
        await createStoredObject(store, bindings, replacement, now);
        result.updated.push(id);
        return;
      }
      const next = reconcileBinding(existing, expected);
      if (!next) return;
      await updateStoredObject(store, bindings, next, kv.modRevision);
      result.updated.push(id);
    });
  }
  return result;
}

/** Runs one object's reconcile again when another writer got there first. */
async function withRetries(id: string, attempt: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await attempt();
      return;
    } catch (err) {
      const raced = isConflict(err) || isAlreadyExists(err) || isNotFound(err);
      if (!raced || i >= MAX_ATTEMPTS) throw new Error(`bootstrap policy: cannot reconcile ${id}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}
