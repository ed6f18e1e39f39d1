import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isBadRequest,
  isInvalid,
  RBAC_API_VERSION,
  ResourceRegistry,
  StatusError,
  storeKey,
  type KubeObject,
  type ServiceAccount,
} from '../../../apimachinery/index.js';
import { ensureAdminToken, GatewayAuth, issueUserToken, loadOrCreateServiceAccountKey, userTokenSecretName } from '../../../auth/index.js';
import { openStore, type Store } from '../../../store/index.js';
import { tick } from './rbac-fixture.js';

const registry = new ResourceRegistry();

async function put(store: Store, obj: KubeObject): Promise<void> {
  const r = registry.list().find((x) => x.kind === obj.kind)!;
  await store.create(storeKey(r, obj.metadata.namespace, obj.metadata.name!), JSON.stringify(obj));
}

describe('auth/gateway-auth', () => {
  let dir: string;
  let store: Store;
  let auth: GatewayAuth;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedgate-auth-'));
    store = await openStore('sqlite::memory:');
    auth = new GatewayAuth({ store, serviceAccountKey: await loadOrCreateServiceAccountKey(dir) });
    await auth.start();
  });
  afterEach(async () => {
    auth.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Retries a check until the informers caught up with the last write (each retry yields to the event loop). */
  async function eventually<T>(fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let i = 0; i < 500; i++) {
      try {
        return await fn();
      } catch (err) {
        last = err;
        await tick();
      }
    }
    throw last;
  }

  const get = (token: string | undefined, path: string, method = 'GET'): ReturnType<GatewayAuth['check']> =>
    auth.check({ method, path, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('the admin token is system:masters and may do anything', async () => {
    const admin = await ensureAdminToken(store, dir);
    const ok = await eventually(() => get(admin, '/apis/cluster.fedgate.io/v1alpha1/clusters/eu', 'DELETE'));
    assert.equal(ok.user.username, 'admin');
    assert.deepEqual(ok.user.groups, ['system:masters', 'system:authenticated']);
  });

  it('a user token with a RoleBinding, a service account token from a TokenRequest, and the reviews', async () => {
    const alice = await issueUserToken(store, { user: 'alice' });
    await put(store, { apiVersion: RBAC_API_VERSION, kind: 'RoleBinding', metadata: { name: 'alice-edit', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'alice' }] });
    await eventually(() => get(alice.token, '/apis/apps/v1/namespaces/shop/deployments', 'POST'));
    await assert.rejects(get(alice.token, '/apis/apps/v1/namespaces/bank/deployments', 'POST'), (err: unknown) => err instanceof StatusError && err.code === 403);
    await assert.rejects(get('abcdefabcdef.' + 'x'.repeat(43), '/version'), (err: unknown) => err instanceof StatusError && err.code === 401);
    await assert.rejects(get(undefined, '/version'), (err: unknown) => err instanceof StatusError && err.code === 401);
    assert.equal((await get(undefined, '/healthz')).user.username, 'system:anonymous');

    // kubectl auth can-i
    const aliceUser = (await get(alice.token, '/version')).user;
    const review = auth.selfSubjectAccessReview(aliceUser, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'shop', verb: 'delete', group: 'apps', resource: 'deployments' } },
      status: { allowed: false },
    });
    assert.deepEqual(review.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-edit/shop" of ClusterRole "edit" to User "alice"' });
    const no = auth.selfSubjectAccessReview(aliceUser, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/metrics', verb: 'get' } } });
    assert.deepEqual(no.status, { allowed: false });
    assert.throws(() => auth.selfSubjectAccessReview(aliceUser, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} }), (err: unknown) => isInvalid(err) && /exactly one of/.test(String(err)));
    assert.throws(
      () => auth.selfSubjectAccessReview(aliceUser, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: {}, nonResourceAttributes: {} } }),
      (err: unknown) => isInvalid(err),
    );
    assert.throws(() => auth.selfSubjectAccessReview(aliceUser, null), (err: unknown) => isInvalid(err));

    // kubectl auth whoami
    assert.deepEqual(auth.selfSubjectReview(aliceUser, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }).status, {
      userInfo: { username: 'alice', groups: ['system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': [`token-id=${alice.id}`] } },
    });

    // kubectl create token, then the token at work
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'shop', uid: 'sa-uid-1' } };
    await put(store, sa);
    await put(store, { apiVersion: RBAC_API_VERSION, kind: 'RoleBinding', metadata: { name: 'builder-view', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] });
    const tr = auth.tokenRequest(sa, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    const saCheck = await eventually(() => get(tr.status!.token, '/apis/apps/v1/namespaces/shop/deployments'));
    assert.equal(saCheck.user.username, 'system:serviceaccount:shop:builder');
    assert.equal(saCheck.decision.reason, 'RBAC: allowed by RoleBinding "builder-view/shop" of ClusterRole "view" to ServiceAccount "builder/shop"');

    // TokenReview
    const reviewed = await auth.tokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: tr.status!.token } });
    assert.equal(reviewed.status?.authenticated, true);
    assert.equal(reviewed.status?.user?.username, 'system:serviceaccount:shop:builder');
    assert.equal(reviewed.status?.user?.uid, 'sa-uid-1');
    assert.deepEqual(reviewed.status?.audiences, ['https://fedgate.default.svc']);
    const userTokenReview = await auth.tokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: alice.token } });
    assert.equal(userTokenReview.status?.user?.username, 'alice');
    const elsewhere = await auth.tokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: alice.token, audiences: ['vault'] } });
    assert.equal(elsewhere.status?.authenticated, false, 'a user token is good for the API server only');
    const bad = await auth.tokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'nonsense' } });
    assert.deepEqual(bad.status, { authenticated: false, error: 'invalid bearer token' });
    await assert.rejects(auth.tokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {} }), (err: unknown) => isBadRequest(err));

    // Deleting the account revokes its tokens.
    await store.delete(storeKey(registry.resolve('serviceaccounts')!, 'shop', 'builder'));
    await eventually(async () => {
      await assert.rejects(get(tr.status!.token, '/apis/apps/v1/namespaces/shop/deployments'), (err: unknown) => err instanceof StatusError && err.code === 401);
    });
    // Revoking the user token too.
    await store.delete(storeKey(registry.resolve('secrets')!, 'fedgate-system', userTokenSecretName(alice.id)));
    await eventually(async () => {
      await assert.rejects(get(alice.token, '/version'), (err: unknown) => err instanceof StatusError && err.code === 401);
    });
  });
});
