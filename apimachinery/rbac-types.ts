/**
 * The RBAC kinds of `rbac.authorization.k8s.io/v1` (Role, ClusterRole, RoleBinding,
 * ClusterRoleBinding) and core v1 ServiceAccount, field for field as k8s.io/api/rbac/v1
 * and k8s.io/api/core/v1 define them, so manifests written for Kubernetes apply unchanged.
 */
import type { LabelSelectorObject } from './label-selector.js';
import type { KubeObject } from './object.js';

/** The RBAC API group. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The apiVersion of the RBAC kinds. */
export const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;

/** `*` in verbs, apiGroups, resources and nonResourceURLs: everything. */
export const RBAC_ALL = '*';

/** Annotation on bootstrap roles and bindings: `"false"` keeps the server from reconciling them. */
export const RBAC_AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
/** Label on every bootstrap role and binding. */
export const RBAC_BOOTSTRAPPING_LABEL = 'kubernetes.io/bootstrapping';
/** Value of RBAC_BOOTSTRAPPING_LABEL. */
export const RBAC_BOOTSTRAPPING_VALUE = 'rbac-defaults';

/** rbacv1.PolicyRule: resource rules (apiGroups + resources) or non-resource rules (nonResourceURLs), never both. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  /** When set, the rule applies only to requests naming one of these objects. */
  resourceNames?: string[];
  /** Paths such as `/healthz` or `/apis/*`; only in ClusterRoles. */
  nonResourceURLs?: string[];
}

/** The kinds a binding subject can have. */
export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** rbacv1.Subject. `apiGroup` is `rbac.authorization.k8s.io` for User and Group, `''` for ServiceAccount. */
export interface Subject {
  kind: SubjectKind | string;
  name: string;
  apiGroup?: string;
  /** ServiceAccount subjects: its namespace (defaults to the RoleBinding's own). */
  namespace?: string;
}

/** rbacv1.RoleRef: what a binding grants. Immutable once the binding exists. */
export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | string;
  name: string;
}

/** rbacv1.AggregationRule. */
export interface AggregationRule {
  clusterRoleSelectors?: LabelSelectorObject[];
}

/** rbacv1.Role: rules within one namespace. */
export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

/** rbacv1.ClusterRole: rules granted cluster-wide (ClusterRoleBinding) or within a namespace (RoleBinding). */
export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: AggregationRule;
}

/** rbacv1.RoleBinding: grants a Role or ClusterRole to subjects within the binding's namespace. */
export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

/** rbacv1.ClusterRoleBinding: grants a ClusterRole to subjects in every namespace and at cluster scope. */
export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

/** corev1.ServiceAccount: an identity for workloads; its tokens authenticate as `system:serviceaccount:NS:NAME`. */
export interface ServiceAccount extends KubeObject {
  secrets?: { name?: string; namespace?: string; kind?: string; apiVersion?: string; uid?: string }[];
  imagePullSecrets?: { name?: string }[];
  automountServiceAccountToken?: boolean;
}
