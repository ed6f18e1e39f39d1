/**
 * Schemas of `rbac.authorization.k8s.io/v1` (Role, ClusterRole, RoleBinding,
 * ClusterRoleBinding) and of core v1 ServiceAccount, after k8s.io/api/rbac/v1 and core/v1:
 * rule and subject lists are atomic, as Kubernetes marks them.
 */
import type { SchemaObject } from 'ajv';
import { atomicList, bool, describe, keyedList, labelSelector, objectSchema, str } from './meta-v1.js';

const strings = atomicList(str);

/** rbacv1.PolicyRule. Which fields must go together is checked semantically (validation-rbac.ts). */
const policyRule: SchemaObject = {
  type: 'object',
  description: 'Verbs allowed on resources (apiGroups + resources, optionally resourceNames) or on non-resource URLs.',
  required: ['verbs'],
  properties: {
    verbs: describe('get, list, watch, create, update, patch, delete, deletecollection, ...; "*" means all.', strings),
    apiGroups: describe('API groups of the resources ("" is core); "*" means all.', strings),
    resources: describe('Plural resources, "resource/subresource" or "*/subresource"; "*" means all.', strings),
    resourceNames: describe('When set, only objects with these names (never lists, watches or creates).', strings),
    nonResourceURLs: describe('Paths such as /healthz or /apis/*; ClusterRoles only.', strings),
  },
};

const rules = describe('What the role allows.', atomicList(policyRule));

/** rbacv1.Subject. */
const subject: SchemaObject = {
  type: 'object',
  'x-kubernetes-map-type': 'atomic',
  required: ['kind', 'name'],
  properties: {
    kind: describe('User, Group or ServiceAccount.', str),
    apiGroup: describe('rbac.authorization.k8s.io for User and Group, "" for ServiceAccount.', str),
    name: str,
    namespace: describe('ServiceAccount subjects: its namespace.', str),
  },
};

/** rbacv1.RoleRef. */
const roleRef: SchemaObject = {
  type: 'object',
  'x-kubernetes-map-type': 'atomic',
  description: 'The Role or ClusterRole granted; cannot change after creation.',
  required: ['apiGroup', 'kind', 'name'],
  properties: { apiGroup: str, kind: str, name: str },
};

function binding(description: string): SchemaObject {
  return {
    ...objectSchema(undefined, { description, extra: { subjects: describe('Who is granted the role.', atomicList(subject)), roleRef } }),
    required: ['roleRef'],
  };
}

/** Schemas of the RBAC group, by kind. */
export const rbacV1Schemas: Readonly<Record<string, SchemaObject>> = {
  Role: objectSchema(undefined, { description: 'Rules within one namespace.', extra: { rules } }),
  ClusterRole: objectSchema(undefined, {
    description: 'Rules granted cluster-wide by a ClusterRoleBinding or within a namespace by a RoleBinding.',
    extra: {
      rules,
      aggregationRule: { type: 'object', properties: { clusterRoleSelectors: atomicList(labelSelector) } },
    },
  }),
  RoleBinding: binding('Grants a Role or ClusterRole to subjects within the namespace of the binding.'),
  ClusterRoleBinding: binding('Grants a ClusterRole to subjects in every namespace and at cluster scope.'),
};

/** core v1 ServiceAccount: an identity for workloads, kept beside the RBAC kinds that grant it rights. */
export const serviceAccountSchema: SchemaObject = objectSchema(undefined, {
  description: 'An identity for workloads; its tokens authenticate as system:serviceaccount:NAMESPACE:NAME.',
  extra: {
    secrets: keyedList({ type: 'object', properties: { name: str, namespace: str, kind: str, apiVersion: str, uid: str } }, ['name']),
    imagePullSecrets: atomicList({ type: 'object', properties: { name: str } }),
    automountServiceAccountToken: bool,
  },
});
