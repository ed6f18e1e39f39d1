import assert from 'node:assert/strict';
import {
  builtinResources,
  compileAllSchemas,
  reviewResources,
  schemaFor,
  validateObject,
  validateObjectUpdate,
  type ResourceInfo,
  type StatusCause,
} from '../../../apimachinery/index.js';

const all = [...builtinResources, ...reviewResources];

function resource(kind: string): ResourceInfo {
  const r = all.find((x) => x.kind === kind);
  assert.ok(r, kind);
  return r;
}

function check(obj: Record<string, unknown>): string[] {
  return validateObject(resource(obj['kind'] as string), obj).map((c: StatusCause) => `${c.field ?? ''}:${c.reason}`);
}

const rbac = 'rbac.authorization.k8s.io/v1';

describe('validation of the RBAC and review kinds', () => {
  it('registers and compiles every kind (reviews are create-only)', () => {
    compileAllSchemas();
    for (const r of all) assert.ok(schemaFor(r), r.kind);
    for (const r of reviewResources) {
      assert.equal(r.createOnly, true);
      assert.deepEqual(r.verbs, ['create']);
    }
    assert.deepEqual(resource('ClusterRole').verbs.length, 8);
    assert.equal(resource('ServiceAccount').namespaced, true);
  });

  it('accepts Kubernetes manifests, names like system:basic-user included', () => {
    assert.deepEqual(check({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'system:basic-user' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }), []);
    assert.deepEqual(
      check({ apiVersion: rbac, kind: 'Role', metadata: { name: 'pod-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'], resourceNames: ['a'] }] }),
      [],
    );
    assert.deepEqual(
      check({
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: { name: 'read-pods', namespace: 'shop' },
        subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'Group', name: 'dev' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }],
        roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
      }),
      [],
    );
    assert.deepEqual(
      check({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }),
      [],
    );
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: 'tools' }, automountServiceAccountToken: false }), []);
  });

  it('refuses bad names: not "..", no "/" or "%"', () => {
    assert.deepEqual(check({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'a/b' }, rules: [] }), ['metadata.name:FieldValueInvalid']);
    assert.deepEqual(check({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: '..' }, rules: [] }), ['metadata.name:FieldValueInvalid']);
    assert.deepEqual(check({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'Not_DNS', namespace: 'a' } }), ['metadata.name:FieldValueInvalid']);
  });

  it('checks policy rules like ValidatePolicyRule', () => {
    const role = (rules: unknown[], kind = 'ClusterRole'): Record<string, unknown> => ({ apiVersion: rbac, kind, metadata: kind === 'Role' ? { name: 'r', namespace: 'a' } : { name: 'r' }, rules });
    assert.deepEqual(check(role([{ verbs: [], apiGroups: [''], resources: ['pods'] }])), ['rules[0].verbs:FieldValueRequired']);
    assert.deepEqual(check(role([{ verbs: ['get'] }])), ['rules[0].apiGroups:FieldValueRequired', 'rules[0].resources:FieldValueRequired']);
    assert.deepEqual(check(role([{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }])), ['rules[0].nonResourceURLs:FieldValueInvalid']);
    assert.deepEqual(check(role([{ verbs: ['get'], nonResourceURLs: ['/x'] }], 'Role')), ['rules[0].nonResourceURLs:FieldValueInvalid']);
    assert.deepEqual(check(role([{ apiGroups: [''], resources: ['pods'] }])), ['rules[0].verbs:FieldValueRequired']);
    assert.deepEqual(check(role([{ verbs: 'get', apiGroups: [''], resources: ['pods'] }])), ['rules[0].verbs:FieldValueInvalid', 'rules[0].verbs:FieldValueRequired']);
    assert.deepEqual(check({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'x' }, aggregationRule: { clusterRoleSelectors: [] } }), ['aggregationRule.clusterRoleSelectors:FieldValueRequired']);
  });

  it('checks bindings like ValidateRoleBinding: roleRef and subjects', () => {
    const binding = (kind: string, roleRef: unknown, subjects: unknown[]): Record<string, unknown> => ({
      apiVersion: rbac,
      kind,
      metadata: kind === 'RoleBinding' ? { name: 'b', namespace: 'a' } : { name: 'b' },
      roleRef,
      subjects,
    });
    const ref = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    assert.deepEqual(check(binding('ClusterRoleBinding', { ...ref, kind: 'Role' }, [])), ['roleRef.kind:FieldValueNotSupported']);
    assert.deepEqual(check(binding('RoleBinding', { ...ref, apiGroup: 'rbac' }, [])), ['roleRef.apiGroup:FieldValueNotSupported']);
    assert.deepEqual(check(binding('RoleBinding', { ...ref, name: 'a/b' }, [])), ['roleRef.name:FieldValueInvalid']);
    assert.deepEqual(check({ apiVersion: rbac, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'a' } }), ['roleRef:FieldValueRequired']);
    assert.deepEqual(check(binding('ClusterRoleBinding', ref, [{ kind: 'ServiceAccount', name: 'ci' }])), ['subjects[0].namespace:FieldValueRequired']);
    assert.deepEqual(check(binding('RoleBinding', ref, [{ kind: 'ServiceAccount', name: 'ci' }])), [], 'a RoleBinding defaults the namespace');
    assert.deepEqual(check(binding('RoleBinding', ref, [{ kind: 'ServiceAccount', name: 'ci', apiGroup: 'rbac.authorization.k8s.io' }])), ['subjects[0].apiGroup:FieldValueNotSupported']);
    assert.deepEqual(check(binding('RoleBinding', ref, [{ kind: 'User', name: 'x', apiGroup: 'example.com' }])), ['subjects[0].apiGroup:FieldValueNotSupported']);
    assert.deepEqual(check(binding('RoleBinding', ref, [{ kind: 'Robot', name: 'x' }])), ['subjects[0].kind:FieldValueNotSupported']);
    assert.deepEqual(check(binding('RoleBinding', ref, [{ kind: 'User', name: '' }])), ['subjects[0].name:FieldValueRequired']);
  });

  it('a binding’s roleRef cannot change on update', () => {
    const old = { apiVersion: rbac, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] };
    const moreSubjects = { ...old, subjects: [{ kind: 'User', name: 'x' }] };
    assert.deepEqual(validateObjectUpdate(resource('RoleBinding'), old, moreSubjects), []);
    const otherRole = { ...old, roleRef: { ...old.roleRef, name: 'edit' } };
    assert.deepEqual(
      validateObjectUpdate(resource('RoleBinding'), old, otherRole).map((c) => [c.field, c.reason, c.message.endsWith('cannot change roleRef')]),
      [['roleRef', 'FieldValueInvalid', true]],
    );
    assert.equal(validateObjectUpdate(resource('ClusterRoleBinding'), old, otherRole).length, 1);
    assert.deepEqual(validateObjectUpdate(resource('ConfigMap'), old, otherRole), []);
  });

  it('reviews need no name and check their specs', () => {
    const ssar = (spec: unknown, metadata?: unknown): Record<string, unknown> => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec, ...(metadata === undefined ? {} : { metadata }) });
    assert.deepEqual(check(ssar({ resourceAttributes: { verb: 'get', resource: 'pods' } })), []);
    assert.deepEqual(check(ssar({ nonResourceAttributes: { verb: 'get', path: '/x' } }, { creationTimestamp: null })), []);
    assert.deepEqual(check(ssar({})), ['spec.resourceAttributes:FieldValueInvalid']);
    assert.deepEqual(check(ssar({ resourceAttributes: {}, nonResourceAttributes: {} })), ['spec.nonResourceAttributes:FieldValueInvalid']);
    assert.deepEqual(check(ssar({ resourceAttributes: {} }, { namespace: 'x', labels: { 'bad key!': 'v' } })), ['metadata.labels:FieldValueInvalid']);
    assert.deepEqual(check({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview' }), ['spec:FieldValueRequired', 'spec.resourceAttributes:FieldValueInvalid']);
    assert.deepEqual(check({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }), []);
    assert.deepEqual(check({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 't', audiences: ['a'] } }), []);
  });
});
