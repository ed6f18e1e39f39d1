import assert from 'node:assert/strict';
import type { UserInfo } from '../../../apimachinery/index.js';
import { RbacAuthorizer, requestAttributes, subjectAccessReview } from '../../../auth/index.js';
import { SharedInformerFactory, silentLogger } from '../../../controller/index.js';
import { RbacFixture, subject, user } from './rbac-fixture.js';
import { collectionPath, rbacAllows, RESOURCES, SCOPES, VERBS, type ResourceName, type Scope, type Verb } from '../../fixtures/rbac-matrix.js';

const USERS: Record<string, UserInfo> = {
  admin: user('admin', 'system:masters'),
  alice: user('alice'),
  bob: user('bob'),
  carol: user('carol'),
  anonymous: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
};

/** The HTTP request of one matrix cell: method, path and query. */
function request(verb: Verb, resource: ResourceName, scope: Scope): { method: string; path: string; query?: Record<string, string> } {
  const collection = collectionPath(resource, scope);
  const item = `${collection}/x`;
  switch (verb) {
    case 'get':
      return { method: 'GET', path: item };
    case 'list':
      return { method: 'GET', path: collection };
    case 'watch':
      return { method: 'GET', path: collection, query: { watch: 'true' } };
    case 'create':
      return { method: 'POST', path: collection };
    case 'update':
      return { method: 'PUT', path: item };
    case 'patch':
      return { method: 'PATCH', path: item };
    case 'delete':
      return { method: 'DELETE', path: item };
  }
}

describe('auth/rbac-authorizer', () => {
  let f: RbacFixture;

  beforeEach(async () => {
    f = await new RbacFixture().start();
  });
  afterEach(async () => {
    await f.stop();
  });

  it('decides the users × verbs × resources × namespaces matrix exactly as Kubernetes', async () => {
    await f.create(f.roleBinding('shop', 'alice-edit', 'ClusterRole', 'edit', [subject.user('alice')]));
    await f.create(f.roleBinding('shop', 'bob-view', 'ClusterRole', 'view', [subject.user('bob')]));
    let cells = 0;
    const wrong: string[] = [];
    for (const [who, u] of Object.entries(USERS)) {
      for (const verb of VERBS) {
        for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
          for (const scope of SCOPES) {
            const { method, path, query } = request(verb, resource, scope);
            const attrs = requestAttributes(method, path, query, u);
            assert.equal(attrs.verb, verb, `${method} ${path}`);
            const decision = f.authorizer.authorize(attrs);
            cells++;
            if (decision.allowed !== rbacAllows(who, verb, resource, scope)) {
              wrong.push(`${who} ${verb} ${resource} in ${scope}: got ${decision.allowed ? 'allowed' : 'denied'} (${decision.reason})`);
            }
          }
        }
      }
    }
    assert.equal(cells, 5 * 7 * 4 * 3);
    assert.deepEqual(wrong, []);
  });

  it('says which binding allowed a request, in Kubernetes words', async () => {
    await f.create(f.roleBinding('shop', 'alice-edit', 'ClusterRole', 'edit', [subject.user('bob'), subject.user('alice')]));
    const allowed = f.authorizer.authorize(requestAttributes('POST', '/apis/apps/v1/namespaces/shop/deployments', undefined, USERS['alice']!));
    assert.deepEqual(allowed, { allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-edit/shop" of ClusterRole "edit" to User "alice"' });
    const masters = f.authorizer.authorize(requestAttributes('DELETE', '/api/v1/namespaces/x', undefined, USERS['admin']!));
    assert.deepEqual(masters, { allowed: true, reason: '' });
    const denied = f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/shop/secrets/s', undefined, USERS['carol']!));
    assert.deepEqual(denied, { allowed: false, reason: '' });
  });

  it('ClusterRoleBindings grant everywhere; Group subjects match by group', async () => {
    await f.create(f.clusterRoleBinding('auditors-view', 'view', [subject.group('auditors')]));
    const dave = user('dave', 'auditors');
    for (const path of ['/apis/apps/v1/namespaces/bank/deployments', '/apis/apps/v1/deployments', '/api/v1/namespaces']) {
      const d = f.authorizer.authorize(requestAttributes('GET', path, undefined, dave));
      assert.equal(d.allowed, true, path);
      assert.equal(d.reason, 'RBAC: allowed by ClusterRoleBinding "auditors-view" of ClusterRole "view" to Group "auditors"');
    }
    assert.equal(f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/bank/secrets', undefined, dave)).allowed, false, 'view never reads Secrets');
    assert.equal(f.authorizer.authorize(requestAttributes('POST', '/apis/apps/v1/namespaces/bank/deployments', undefined, dave)).allowed, false);
    assert.equal(f.authorizer.authorize(requestAttributes('GET', '/apis/apps/v1/deployments', undefined, user('erin'))).allowed, false);
  });

  it('a RoleBinding to a Role uses the Role of its own namespace; a missing role is named in the reason', async () => {
    await f.create(f.role('shop', 'reader', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }]));
    await f.create(f.roleBinding('shop', 'frank-reader', 'Role', 'reader', [subject.user('frank')]));
    await f.create(f.roleBinding('bank', 'frank-reader', 'Role', 'reader', [subject.user('frank')]));
    const frank = user('frank');
    assert.deepEqual(f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/shop/configmaps', undefined, frank)), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "frank-reader/shop" of Role "reader" to User "frank"',
    });
    assert.deepEqual(f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/bank/configmaps', undefined, frank)), {
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "reader" not found',
    });
    await f.create(f.clusterRoleBinding('frank-ghosts', 'ghost', [subject.user('frank')]));
    assert.deepEqual(f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/bank/configmaps', undefined, frank)), {
      allowed: false,
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "ghost" not found, role.rbac.authorization.k8s.io "reader" not found]',
    });
  });

  it('resourceNames allow named requests only; a list pinned by fieldSelector counts as named', async () => {
    await f.create(f.role('shop', 'one-config', [{ verbs: ['get', 'list', 'watch', 'create', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'] }]));
    await f.create(f.roleBinding('shop', 'gina', 'Role', 'one-config', [subject.user('gina')]));
    const gina = user('gina');
    const can = (method: string, path: string, query?: Record<string, string>): boolean => f.authorizer.authorize(requestAttributes(method, path, query, gina)).allowed;
    assert.equal(can('GET', '/api/v1/namespaces/shop/configmaps/app-config'), true);
    assert.equal(can('PUT', '/api/v1/namespaces/shop/configmaps/app-config'), true);
    assert.equal(can('GET', '/api/v1/namespaces/shop/configmaps/other'), false);
    assert.equal(can('GET', '/api/v1/namespaces/shop/configmaps'), false, 'list');
    assert.equal(can('GET', '/api/v1/namespaces/shop/configmaps', { watch: 'true' }), false, 'watch');
    assert.equal(can('POST', '/api/v1/namespaces/shop/configmaps'), false, 'create');
    assert.equal(can('GET', '/api/v1/namespaces/shop/configmaps', { watch: 'true', fieldSelector: 'metadata.name=app-config' }), true, 'watch of that one object');
    assert.equal(can('GET', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.name=other' }), false);
  });

  it('subresource rules: resource/subresource and */subresource, and no resource/* wildcard', async () => {
    await f.create(
      f.role('shop', 'scaler', [
        { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/status'] },
        { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] },
        { verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments/*'] },
      ]),
    );
    await f.create(f.roleBinding('shop', 'hank', 'Role', 'scaler', [subject.user('hank')]));
    const hank = user('hank');
    const can = (method: string, path: string): boolean => f.authorizer.authorize(requestAttributes(method, path, undefined, hank)).allowed;
    assert.equal(can('GET', '/apis/apps/v1/namespaces/shop/deployments/web/status'), true);
    assert.equal(can('GET', '/apis/apps/v1/namespaces/shop/deployments/web'), false);
    assert.equal(can('PUT', '/apis/apps/v1/namespaces/shop/deployments/web/scale'), true);
    assert.equal(can('PUT', '/apis/apps/v1/namespaces/shop/statefulsets/db/scale'), true);
    assert.equal(can('PUT', '/apis/apps/v1/namespaces/shop/deployments/web'), false);
    assert.equal(can('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web/status'), false, 'deployments/* is not a wildcard');
  });

  it('ServiceAccount subjects: the binding namespace by default, an explicit one, and the service account groups', async () => {
    await f.create(f.roleBinding('shop', 'deployer', 'ClusterRole', 'edit', [subject.serviceAccount('deployer')]));
    await f.create(f.roleBinding('shop', 'ci-from-tools', 'ClusterRole', 'view', [subject.serviceAccount('ci', 'tools')]));
    await f.create(f.roleBinding('bank', 'all-sa-in-bank', 'ClusterRole', 'view', [subject.group('system:serviceaccounts:bank')]));
    const sa = (ns: string, name: string): UserInfo => ({
      username: `system:serviceaccount:${ns}:${name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    });
    const post = (u: UserInfo, ns: string): { allowed: boolean; reason: string } =>
      f.authorizer.authorize(requestAttributes('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, undefined, u));
    const list = (u: UserInfo, ns: string): boolean => f.authorizer.authorize(requestAttributes('GET', `/apis/apps/v1/namespaces/${ns}/deployments`, undefined, u)).allowed;
    assert.deepEqual(post(sa('shop', 'deployer'), 'shop'), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "deployer/shop" of ClusterRole "edit" to ServiceAccount "deployer/shop"',
    });
    assert.equal(post(sa('bank', 'deployer'), 'shop').allowed, false, 'the same name in another namespace is another account');
    assert.equal(list(sa('tools', 'ci'), 'shop'), true);
    assert.equal(list(sa('shop', 'ci'), 'shop'), false);
    assert.equal(list(sa('bank', 'anything'), 'bank'), true);
    assert.equal(list(sa('shop', 'anything'), 'bank'), false);
    assert.equal(list(user('system:serviceaccount:bank:x'), 'bank'), false, 'a user named like an account has not got its groups');
  });

  it('authenticated users get discovery, version, health and the self reviews; anonymous only public info', async () => {
    const carol = USERS['carol']!;
    const anonymous = USERS['anonymous']!;
    for (const path of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/version', '/openapi/v2', '/healthz', '/readyz', '/livez']) {
      assert.equal(f.authorizer.authorize(requestAttributes('GET', path, undefined, carol)).allowed, true, path);
    }
    assert.equal(f.authorizer.authorize(requestAttributes('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', undefined, carol)).allowed, true);
    assert.equal(f.authorizer.authorize(requestAttributes('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', undefined, carol)).allowed, true);
    assert.equal(f.authorizer.authorize(requestAttributes('POST', '/apis/authentication.k8s.io/v1/tokenreviews', undefined, carol)).allowed, false);
    assert.equal(f.authorizer.authorize(requestAttributes('GET', '/metrics', undefined, carol)).allowed, false);
    assert.equal(f.authorizer.authorize(requestAttributes('GET', '/metrics', undefined, user('prometheus', 'system:monitoring'))).allowed, true);
    for (const path of ['/healthz', '/version']) assert.equal(f.authorizer.authorize(requestAttributes('GET', path, undefined, anonymous)).allowed, true, path);
    for (const path of ['/api', '/apis', '/openapi/v2']) assert.equal(f.authorizer.authorize(requestAttributes('GET', path, undefined, anonymous)).allowed, false, path);
    assert.equal(f.authorizer.authorize(requestAttributes('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', undefined, anonymous)).allowed, false);
  });

  it('edit and admin never reach Clusters or ClusterPropagationPolicies, even bound cluster-wide', async () => {
    await f.create(f.clusterRoleBinding('ivan-admin', 'admin', [subject.user('ivan')]));
    const ivan = user('ivan');
    const can = (method: string, path: string): boolean => f.authorizer.authorize(requestAttributes(method, path, undefined, ivan)).allowed;
    assert.equal(can('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters'), false);
    assert.equal(can('DELETE', '/apis/cluster.fedgate.io/v1alpha1/clusters/eu'), false);
    assert.equal(can('POST', '/apis/policy.fedgate.io/v1alpha1/clusterpropagationpolicies'), false);
    assert.equal(can('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings'), true, 'admin manages RoleBindings');
    assert.equal(can('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'), false);
    assert.equal(can('POST', '/apis/networking.fedgate.io/v1alpha1/namespaces/shop/trafficpolicies'), true);
    assert.equal(can('POST', '/api/v1/namespaces/shop/serviceaccounts/builder/token'), true);
  });

  it('follows binding changes through the watch: a deleted binding denies, a new one allows', async () => {
    const attrs = requestAttributes('DELETE', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, USERS['alice']!);
    assert.equal(f.authorizer.authorize(attrs).allowed, false);
    await f.create(f.roleBinding('shop', 'alice-edit', 'ClusterRole', 'edit', [subject.user('alice')]));
    assert.equal(f.authorizer.authorize(attrs).allowed, true);
    await f.delete('RoleBinding', 'shop', 'alice-edit');
    assert.equal(f.authorizer.authorize(attrs).allowed, false);
    // A role losing its rule takes effect too.
    await f.create(f.clusterRole('deleter', [{ verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments'] }]));
    await f.create(f.clusterRoleBinding('alice-deleter', 'deleter', [subject.user('alice')]));
    assert.equal(f.authorizer.authorize(attrs).allowed, true);
    await f.delete('ClusterRole', undefined, 'deleter');
    assert.deepEqual(f.authorizer.authorize(attrs), { allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "deleter" not found' });
  });

  it('lists the rules of a user with their sources', async () => {
    await f.create(f.roleBinding('shop', 'bob-view', 'ClusterRole', 'view', [subject.user('bob')]));
    const cluster = f.authorizer.rulesFor(USERS['bob']!);
    assert.ok(cluster.rules.some((r) => r.source === 'ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'));
    assert.ok(!cluster.rules.some((r) => r.source.startsWith('RoleBinding')));
    const shop = f.authorizer.rulesFor(USERS['bob']!, 'shop');
    assert.ok(shop.rules.some((r) => r.source === 'RoleBinding "bob-view/shop" of ClusterRole "view" to User "bob"'));
    assert.deepEqual(shop.errors, []);
  });

  it('answers SelfSubjectAccessReview specs', async () => {
    await f.create(f.roleBinding('shop', 'bob-view', 'ClusterRole', 'view', [subject.user('bob')]));
    const bob = USERS['bob']!;
    assert.deepEqual(subjectAccessReview(f.authorizer, bob, { resourceAttributes: { namespace: 'shop', verb: 'list', group: 'apps', resource: 'deployments' } }), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "bob-view/shop" of ClusterRole "view" to User "bob"',
    });
    assert.deepEqual(subjectAccessReview(f.authorizer, bob, { resourceAttributes: { namespace: 'shop', verb: 'get', resource: 'secrets', name: 's' } }), { allowed: false });
    assert.equal(subjectAccessReview(f.authorizer, bob, { nonResourceAttributes: { path: '/version', verb: 'get' } }).allowed, true);
    assert.equal(subjectAccessReview(f.authorizer, bob, { nonResourceAttributes: { path: '/metrics', verb: 'get' } }).allowed, false);
  });

  it('denies everyone but system:masters until its caches have synced', async () => {
    const factory = new SharedInformerFactory(f.store, f.registry, { logger: silentLogger });
    const cold = new RbacAuthorizer(factory);
    assert.equal(cold.hasSynced(), false);
    assert.equal(cold.authorize(requestAttributes('GET', '/version', undefined, USERS['carol']!)).allowed, false);
    assert.equal(cold.authorize(requestAttributes('GET', '/version', undefined, USERS['admin']!)).allowed, true);
    factory.start();
    await factory.waitForSync();
    assert.equal(cold.authorize(requestAttributes('GET', '/version', undefined, USERS['carol']!)).allowed, true);
    factory.stop();
  });

  it('ignores malformed stored bindings and roles instead of failing', async () => {
    await f.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'broken' }, subjects: 'alice', roleRef: 'x' } as never);
    await f.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'odd' }, rules: [null, 'x', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }] } as never);
    await f.create(f.clusterRoleBinding('kim-odd', 'odd', [subject.user('kim'), { kind: 'Robot', name: 'kim' } as never]));
    assert.equal(f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/a/pods/p', undefined, user('kim'))).allowed, true);
    assert.equal(f.authorizer.authorize(requestAttributes('GET', '/api/v1/namespaces/a/pods/p', undefined, user('alice'))).allowed, false);
  });
});
