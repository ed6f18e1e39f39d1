import assert from 'node:assert/strict';
import { StatusError, type KubeObject, type UserInfo } from '../../../apimachinery/index.js';
import { checkRbacWrite } from '../../../auth/index.js';
import { RbacFixture, subject, user } from './rbac-fixture.js';

describe('auth/escalation (writing RBAC objects grants nothing new)', () => {
  let f: RbacFixture;
  const ann = user('ann');

  beforeEach(async () => {
    f = await new RbacFixture().start();
    // ann is admin in shop: she may write Roles and RoleBindings there.
    await f.create(f.roleBinding('shop', 'ann-admin', 'ClusterRole', 'admin', [subject.user('ann')]));
  });
  afterEach(async () => {
    await f.stop();
  });

  const refused = (u: UserInfo, obj: KubeObject, op: 'create' | 'update' = 'create'): string => {
    try {
      checkRbacWrite(f.authorizer, u, obj, op);
    } catch (err) {
      assert.ok(err instanceof StatusError && err.code === 403, String(err));
      return err.message;
    }
    assert.fail(`${obj.kind} ${obj.metadata.name} was allowed`);
  };

  it('a Role may grant only what the writer holds in its namespace', () => {
    checkRbacWrite(f.authorizer, ann, f.role('shop', 'readers', [{ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] }]), 'create');
    assert.equal(
      refused(ann, f.role('shop', 'cluster-killer', [{ verbs: ['delete', 'get'], apiGroups: ['cluster.fedgate.io'], resources: ['clusters'] }])),
      'roles.rbac.authorization.k8s.io "cluster-killer" is forbidden: user "ann" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["cluster.fedgate.io"], Resources:["clusters"], Verbs:["delete" "get"]}',
    );
    assert.match(refused(ann, f.role('bank', 'readers', [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }])), /not currently held/, 'not in another namespace');
    assert.match(refused(ann, f.clusterRole('readers', [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }])), /not currently held/, 'a ClusterRole is judged cluster-wide');
  });

  it('a binding may reference only a role whose permissions the writer holds there', () => {
    checkRbacWrite(f.authorizer, ann, f.roleBinding('shop', 'bob-edit', 'ClusterRole', 'edit', [subject.user('bob')]), 'create');
    checkRbacWrite(f.authorizer, ann, f.roleBinding('shop', 'bob-view', 'ClusterRole', 'view', [subject.user('bob')]), 'update');
    assert.match(refused(ann, f.roleBinding('shop', 'bob-root', 'ClusterRole', 'cluster-admin', [subject.user('bob')])), /attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\]/);
    assert.match(refused(ann, f.roleBinding('bank', 'bob-view', 'ClusterRole', 'view', [subject.user('bob')])), /not currently held/);
    assert.match(refused(ann, f.clusterRoleBinding('bob-view', 'view', [subject.user('bob')])), /clusterrolebindings.rbac.authorization.k8s.io "bob-view" is forbidden/);
    assert.equal(
      refused(ann, f.roleBinding('shop', 'ghost', 'Role', 'ghost', [subject.user('bob')])),
      'rolebindings.rbac.authorization.k8s.io "ghost" is forbidden: role.rbac.authorization.k8s.io "ghost" not found',
    );
  });

  it('the bind and escalate verbs allow it anyway; system:masters always may', async () => {
    await f.create(f.clusterRole('binder', [{ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['cluster-admin'] }]));
    await f.create(f.roleBinding('shop', 'ann-binder', 'ClusterRole', 'binder', [subject.user('ann')]));
    checkRbacWrite(f.authorizer, ann, f.roleBinding('shop', 'bob-root', 'ClusterRole', 'cluster-admin', [subject.user('bob')]), 'create');
    assert.match(refused(ann, f.roleBinding('bank', 'bob-root', 'ClusterRole', 'cluster-admin', [subject.user('bob')])), /not currently held/, 'bind holds in shop only');

    await f.create(f.clusterRole('escalator', [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], resourceNames: ['wide'] }]));
    await f.create(f.roleBinding('shop', 'ann-escalator', 'ClusterRole', 'escalator', [subject.user('ann')]));
    const wide = f.role('shop', 'wide', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    checkRbacWrite(f.authorizer, ann, wide, 'update');
    assert.match(refused(ann, wide, 'create'), /not currently held/, 'a create names no object: a named escalate rule does not cover it');

    const root = user('root', 'system:masters');
    checkRbacWrite(f.authorizer, root, f.clusterRoleBinding('anything', 'cluster-admin', [subject.user('x')]), 'create');
    checkRbacWrite(f.authorizer, root, { ...f.clusterRole('agg', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }, 'create');
  });

  it('an aggregationRule needs escalate; other kinds are not checked', () => {
    assert.match(refused(ann, { ...f.clusterRole('agg', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }), /must have cluster-admin privileges to use the aggregationRule/);
    checkRbacWrite(f.authorizer, user('nobody'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } }, 'create');
  });
});
