import assert from 'node:assert/strict';
import { StatusError, type AuthnRequest, type AuthnResult, type Authenticator, type AuthzAttributes } from '../../../apimachinery/index.js';
import {
  allowsAnonymous,
  bearerToken,
  checkRequest,
  ClientCertificateAuthenticator,
  forbidden,
  requestAttributes,
  UnionAuthenticator,
} from '../../../auth/index.js';
import { RbacFixture, subject } from './rbac-fixture.js';

/** An authenticator that answers the given result for the bearer token `token`, null otherwise. */
function fixed(token: string, result: AuthnResult): Authenticator {
  return { authenticate: async (req) => (bearerToken(req) === token ? result : null) };
}

const withToken = (token: string): AuthnRequest => ({ headers: { authorization: `Bearer ${token}` } });

describe('auth/union-authenticator and request checks', () => {
  describe('bearerToken', () => {
    const cases: [string | string[] | undefined, string | undefined][] = [
      ['Bearer abc', 'abc'],
      ['bearer abc', 'abc'],
      ['  BEARER abc  ', 'abc'],
      ['Bearer abc extra', 'abc'],
      ['Bearer  abc', undefined],
      ['Bearer', undefined],
      ['Basic abc', undefined],
      [['Bearer first', 'Bearer second'], 'first'],
      [undefined, undefined],
    ];
    for (const [header, token] of cases) {
      it(`${JSON.stringify(header)} → ${String(token)}`, () => {
        assert.equal(bearerToken({ headers: { authorization: header } }), token);
      });
    }
  });

  describe('ClientCertificateAuthenticator', () => {
    const certs = new ClientCertificateAuthenticator();
    it('maps CN to the user and O to groups', async () => {
      assert.deepEqual(await certs.authenticate({ headers: {}, clientCertificate: { commonName: 'eu-1', organizations: ['fedgate:members', 'fedgate:members'], serialNumber: '0a' } }), {
        user: { username: 'eu-1', groups: ['fedgate:members'], extra: { 'authentication.kubernetes.io/credential-id': ['X509SN=0a'] } },
      });
    });
    it('takes no certificate, or one without a CN', async () => {
      assert.equal(await certs.authenticate({ headers: {} }), null);
      assert.equal(await certs.authenticate({ headers: {}, clientCertificate: { commonName: '', organizations: ['x'] } }), null);
    });
  });

  describe('UnionAuthenticator', () => {
    const alice: AuthnResult = { user: { username: 'alice', groups: ['dev'] } };
    const chain = new UnionAuthenticator([
      new ClientCertificateAuthenticator(),
      fixed('good', alice),
      fixed('expired', { error: 'token has expired' }),
      fixed('vault', { user: { username: 'sa', groups: [] }, audiences: ['vault'] }),
      { authenticate: async (req) => (bearerToken(req) === 'boom' ? Promise.reject(new Error('store unavailable')) : null) },
    ]);

    it('the first authenticator that knows the user wins, and the user is system:authenticated', async () => {
      assert.deepEqual(await chain.authenticate(withToken('good')), { user: { username: 'alice', groups: ['dev', 'system:authenticated'] } });
      const cert = await chain.authenticate({ headers: { authorization: 'Bearer expired' }, clientCertificate: { commonName: 'ops', organizations: ['system:masters'] } });
      assert.deepEqual(cert, { user: { username: 'ops', groups: ['system:masters', 'system:authenticated'] } }, 'a valid certificate wins over a bad token');
      assert.deepEqual(await chain.authenticate(withToken('vault')), { user: { username: 'sa', groups: ['system:authenticated'] }, audiences: ['vault'] });
    });

    it('does not change what an authenticator returned (cached users stay intact)', async () => {
      await chain.authenticate(withToken('good'));
      assert.deepEqual(alice, { user: { username: 'alice', groups: ['dev'] } });
    });

    it('refused or unknown credentials are errors, never anonymous', async () => {
      assert.deepEqual(await chain.authenticate(withToken('expired')), { error: 'token has expired' });
      assert.deepEqual(await chain.authenticate(withToken('nobody-knows')), { error: 'invalid bearer token' });
      assert.deepEqual(await chain.authenticate(withToken('boom')), { error: 'store unavailable' });
    });

    it('no credentials: the anonymous user, or null when anonymous is off', async () => {
      assert.deepEqual(await chain.authenticate({ headers: {} }), { user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } });
      assert.deepEqual(await chain.authenticate({ headers: { authorization: 'Basic YTpi' } }), { user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } });
      assert.equal(await new UnionAuthenticator([fixed('good', alice)], { anonymous: false }).authenticate({ headers: {} }), null);
    });
  });

  describe('forbidden messages', () => {
    const bob = { username: 'bob', groups: [] };
    it('words a denied resource request as kube-apiserver does', () => {
      const named = forbidden(requestAttributes('DELETE', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, bob));
      assert.equal(named.code, 403);
      assert.equal(named.message, 'deployments.apps "web" is forbidden: User "bob" cannot delete resource "deployments" in API group "apps" in the namespace "shop"');
      assert.deepEqual(named.details, { kind: 'deployments', name: 'web', group: 'apps' });
      const list = forbidden(requestAttributes('GET', '/api/v1/secrets', undefined, bob), 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found');
      assert.equal(list.message, 'secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "x" not found');
      const sub = forbidden(requestAttributes('PUT', '/apis/apps/v1/namespaces/shop/deployments/web/scale', undefined, bob));
      assert.match(sub.message, /cannot update resource "deployments\/scale"/);
      const path = forbidden({ user: bob, verb: 'get', resourceRequest: false, path: '/metrics' } as AuthzAttributes);
      assert.equal(path.message, 'forbidden: User "bob" cannot get path "/metrics"');
    });
  });

  describe('checkRequest', () => {
    let f: RbacFixture;
    const chain = new UnionAuthenticator([fixed('alice', { user: { username: 'alice', groups: [] } }), fixed('expired', { error: 'token has expired' })]);
    beforeEach(async () => {
      f = await new RbacFixture().start();
      await f.create(f.roleBinding('shop', 'alice-view', 'ClusterRole', 'view', [subject.user('alice')]));
    });
    afterEach(async () => {
      await f.stop();
    });

    const status = async (p: Promise<unknown>): Promise<[number, string, string | undefined]> => {
      try {
        await p;
        return [200, '', undefined];
      } catch (err) {
        assert.ok(err instanceof StatusError, String(err));
        return [err.code, err.message, err.cause instanceof Error ? err.cause.message : undefined];
      }
    };

    it('lets an allowed request through with its user and attributes', async () => {
      const ok = await checkRequest(chain, f.authorizer, { method: 'GET', path: '/apis/apps/v1/namespaces/shop/deployments', query: { watch: 'true' }, headers: { authorization: 'Bearer alice' } });
      assert.equal(ok.user.username, 'alice');
      assert.equal(ok.attributes.verb, 'watch');
      assert.equal(ok.decision.allowed, true);
    });

    it('401 for refused credentials and for anonymous requests off the health paths; 403 when not allowed', async () => {
      assert.deepEqual(await status(checkRequest(chain, f.authorizer, { method: 'GET', path: '/api/v1/namespaces/shop/pods', headers: { authorization: 'Bearer expired' } })), [401, 'Unauthorized', 'token has expired']);
      assert.deepEqual(await status(checkRequest(chain, f.authorizer, { method: 'GET', path: '/version', headers: {} })), [401, 'Unauthorized', 'anonymous requests are not served here']);
      assert.deepEqual(await status(checkRequest(chain, f.authorizer, { method: 'GET', path: '/api/v1/namespaces/shop/secrets', headers: { authorization: 'Bearer alice' } })), [
        403,
        'secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "shop"',
        undefined,
      ]);
    });

    it('serves the health paths to anyone, without authorization', async () => {
      for (const path of ['/healthz', '/livez', '/readyz', '/readyz/informers']) {
        const ok = await checkRequest(chain, f.authorizer, { method: 'GET', path, headers: {} });
        assert.equal(ok.user.username, 'system:anonymous', path);
      }
      assert.equal(allowsAnonymous('/healthzx'), false);
      assert.equal(allowsAnonymous('/metrics'), false);
    });
  });
});
