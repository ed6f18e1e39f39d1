/**
 * Impersonation through `checkRequest` over real RBAC (SQLite store, bootstrap policy,
 * informers): who may act as whom, the user the request then runs as, and the refusals.
 */
import assert from 'node:assert/strict';
import { StatusError, type Authenticator, type UserInfo } from '../../../apimachinery/index.js';
import { checkRequest } from '../../../auth/index.js';
import { RbacFixture, subject, user } from './rbac-fixture.js';

/** Authenticates `authorization: Bearer <name>` as the user of that name in `users`. */
function namedUsers(users: Record<string, UserInfo>): Authenticator {
  return {
    authenticate: async (req) => {
      const header = req.headers['authorization'];
      const name = typeof header === 'string' ? header.replace(/^Bearer /, '') : undefined;
      if (name === undefined) return null;
      const found = users[name];
      return found ? { user: found } : { error: 'unknown token' };
    },
  };
}

describe('auth/impersonation', () => {
  let f: RbacFixture;
  let authn: Authenticator;
  const USERS = { admin: user('admin', 'system:masters'), ops: user('ops'), dev: user('dev'), bob: user('bob') };

  before(async () => {
    f = await new RbacFixture().start();
    authn = namedUsers(USERS);
    // ops may impersonate bob and the group "qa", nothing else.
    await f.create(
      f.clusterRole('impersonate-bob', [
        { verbs: ['impersonate'], apiGroups: [''], resources: ['users'], resourceNames: ['bob'] },
        { verbs: ['impersonate'], apiGroups: [''], resources: ['groups'], resourceNames: ['qa'] },
      ]),
    );
    await f.create(f.clusterRoleBinding('ops-impersonates', 'impersonate-bob', [subject.user('ops')]));
    // dev has edit in shop, which lets it act as the service accounts of shop (as in Kubernetes).
    await f.create(f.roleBinding('shop', 'dev-edit', 'ClusterRole', 'edit', [subject.user('dev')]));
    // bob may read pods in shop.
    await f.create(f.roleBinding('shop', 'bob-view', 'ClusterRole', 'view', [subject.user('bob')]));
  });
  after(() => f.stop());

  const check = (who: string, headers: Record<string, string | string[]>, path = '/api/v1/namespaces/shop/pods', method = 'GET') =>
    checkRequest(authn, f.authorizer, { method, path, headers: { authorization: `Bearer ${who}`, ...headers } });

  async function refused(p: Promise<unknown>, code: number, message: RegExp): Promise<void> {
    await assert.rejects(p, (err: unknown) => err instanceof StatusError && err.code === code && message.test(err.message));
  }

  it('an allowed impersonation runs the request as the impersonated user, and names the impersonator', async () => {
    const r = await check('ops', { 'impersonate-user': 'bob' });
    assert.equal(r.user.username, 'bob');
    assert.deepEqual(r.user.groups, ['system:authenticated']);
    assert.equal(r.impersonator?.username, 'ops');
    assert.equal(r.attributes.user.username, 'bob', 'authorized as bob');
    const withGroup = await check('ops', { 'impersonate-user': 'bob', 'impersonate-group': 'qa' });
    assert.deepEqual(withGroup.user.groups, ['qa', 'system:authenticated']);
  });

  it('the impersonated user is still authorized: bob cannot delete, so neither can ops as bob', async () => {
    await refused(check('ops', { 'impersonate-user': 'bob' }, '/api/v1/namespaces/shop/pods/p', 'DELETE'), 403, /User "bob" cannot delete resource "pods"/);
  });

  it('refuses impersonating a user, group, uid or extra the requester may not impersonate', async () => {
    await refused(check('ops', { 'impersonate-user': 'carol' }), 403, /users "carol" is forbidden: User "ops" cannot impersonate resource "users" in API group "" at the cluster scope/);
    await refused(check('ops', { 'impersonate-user': 'bob', 'impersonate-group': 'system:masters' }), 403, /groups "system:masters" is forbidden: User "ops" cannot impersonate/);
    await refused(check('ops', { 'impersonate-user': 'bob', 'impersonate-uid': 'u-1' }), 403, /uids.authentication.k8s.io "u-1" is forbidden/);
    await refused(check('ops', { 'impersonate-user': 'bob', 'impersonate-extra-scopes': 'view' }), 403, /userextras\.authentication\.k8s\.io "view" is forbidden: User "ops" cannot impersonate resource "userextras\/scopes"/);
    await refused(check('bob', { 'impersonate-user': 'admin' }), 403, /User "bob" cannot impersonate/);
  });

  it('service accounts: edit in a namespace allows acting as its service accounts, with their groups', async () => {
    const r = await check('dev', { 'impersonate-user': 'system:serviceaccount:shop:deployer' }, '/version');
    assert.equal(r.user.username, 'system:serviceaccount:shop:deployer');
    assert.deepEqual(r.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated']);
    await refused(check('dev', { 'impersonate-user': 'system:serviceaccount:bank:deployer' }, '/version'), 403, /serviceaccounts "deployer" is forbidden: User "dev" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "bank"/);
    await refused(check('dev', { 'impersonate-user': 'system:serviceaccount:shop' }), 400, /invalid service account user name/);
  });

  it('system:masters may impersonate anyone, with uid and extras; anonymous gets system:unauthenticated', async () => {
    const r = await check('admin', { 'impersonate-user': 'carol', 'impersonate-group': ['dev', 'qa'], 'impersonate-uid': 'u-7', 'impersonate-extra-scopes%2Fone': 'a, b' }, '/version');
    assert.deepEqual(r.user, { username: 'carol', groups: ['dev', 'qa', 'system:authenticated'], uid: 'u-7', extra: { 'scopes/one': ['a', 'b'] } });
    const anon = await check('admin', { 'impersonate-user': 'system:anonymous' }, '/version');
    assert.deepEqual(anon.user.groups, ['system:unauthenticated']);
  });

  it('malformed headers are 400: groups without a user, two users', async () => {
    await refused(check('admin', { 'impersonate-group': 'qa' }), 400, /requested \[group qa\] without impersonating a user/);
    await refused(check('admin', { 'impersonate-user': ['a', 'b'] }), 400, /only one user may be impersonated/);
  });

  it('without impersonation headers nothing changes', async () => {
    const r = await check('bob', {});
    assert.equal(r.user.username, 'bob');
    assert.equal(r.impersonator, undefined);
  });
});
