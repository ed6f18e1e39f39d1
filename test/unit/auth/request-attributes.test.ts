import assert from 'node:assert/strict';
import { isBadRequest, type AuthzAttributes, type UserInfo } from '../../../apimachinery/index.js';
import { requestAttributes } from '../../../auth/index.js';

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };

/** The attributes without the user, for comparison. */
function attrs(method: string, path: string, query?: Record<string, string>): Omit<AuthzAttributes, 'user'> {
  const { user, ...rest } = requestAttributes(method, path, query, alice);
  assert.equal(user, alice);
  return rest;
}

describe('auth/request-attributes', () => {
  describe('resource requests: verbs from the HTTP method', () => {
    const cases: [string, string, Record<string, string> | undefined, string][] = [
      ['GET', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, 'get'],
      ['HEAD', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, 'get'],
      ['GET', '/apis/apps/v1/namespaces/shop/deployments', undefined, 'list'],
      ['GET', '/apis/apps/v1/namespaces/shop/deployments', { watch: 'true' }, 'watch'],
      ['GET', '/apis/apps/v1/namespaces/shop/deployments', { watch: '1' }, 'watch'],
      ['GET', '/apis/apps/v1/namespaces/shop/deployments', { watch: 'false' }, 'list'],
      ['GET', '/apis/apps/v1/namespaces/shop/deployments', { watch: '0' }, 'list'],
      ['POST', '/apis/apps/v1/namespaces/shop/deployments', undefined, 'create'],
      ['PUT', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, 'update'],
      ['PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, 'patch'],
      ['DELETE', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, 'delete'],
      ['DELETE', '/apis/apps/v1/namespaces/shop/deployments', undefined, 'deletecollection'],
      // Kubernetes: any other method is its own verb, in lower case.
      ['OPTIONS', '/apis/apps/v1/namespaces/shop/deployments/web', undefined, 'options'],
      ['post', '/api/v1/namespaces/shop/configmaps', undefined, 'create'],
    ];
    for (const [method, path, query, verb] of cases) {
      it(`${method} ${path}${query ? `?${new URLSearchParams(query)}` : ''} is ${verb || 'no verb'}`, () => {
        assert.equal(attrs(method, path, query).verb, verb);
      });
    }
  });

  it('parses a namespaced object path of a named group', () => {
    assert.deepEqual(attrs('GET', '/apis/apps/v1/namespaces/shop/deployments/web'), {
      verb: 'get',
      resourceRequest: true,
      apiGroup: 'apps',
      apiVersion: 'v1',
      resource: 'deployments',
      namespace: 'shop',
      name: 'web',
      path: '/apis/apps/v1/namespaces/shop/deployments/web',
    });
  });

  it('parses the core group, subresources and cluster-scoped paths', () => {
    assert.deepEqual(attrs('PUT', '/api/v1/namespaces/shop/services/web/status'), {
      verb: 'update',
      resourceRequest: true,
      apiGroup: '',
      apiVersion: 'v1',
      resource: 'services',
      subresource: 'status',
      namespace: 'shop',
      name: 'web',
      path: '/api/v1/namespaces/shop/services/web/status',
    });
    assert.deepEqual(attrs('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters/eu'), {
      verb: 'get',
      resourceRequest: true,
      apiGroup: 'cluster.fedgate.io',
      apiVersion: 'v1alpha1',
      resource: 'clusters',
      name: 'eu',
      path: '/apis/cluster.fedgate.io/v1alpha1/clusters/eu',
    });
    const all = attrs('GET', '/apis/apps/v1/deployments');
    assert.equal(all.verb, 'list');
    assert.equal(all.namespace, undefined, 'a list across namespaces has no namespace');
    assert.equal(all.name, undefined);
  });

  it('reads namespaces like Kubernetes: the namespace itself carries its own name as namespace', () => {
    const list = attrs('GET', '/api/v1/namespaces');
    assert.equal(list.verb, 'list');
    assert.equal(list.resource, 'namespaces');
    assert.equal(list.namespace, undefined);

    const one = attrs('GET', '/api/v1/namespaces/shop');
    assert.deepEqual([one.verb, one.resource, one.name, one.namespace, one.subresource], ['get', 'namespaces', 'shop', 'shop', undefined]);

    const status = attrs('PUT', '/api/v1/namespaces/shop/status');
    assert.deepEqual([status.verb, status.resource, status.name, status.namespace, status.subresource], ['update', 'namespaces', 'shop', 'shop', 'status']);

    const finalize = attrs('PUT', '/api/v1/namespaces/shop/finalize');
    assert.deepEqual([finalize.resource, finalize.name, finalize.subresource], ['namespaces', 'shop', 'finalize']);

    const del = attrs('DELETE', '/api/v1/namespaces/shop');
    assert.equal(del.verb, 'delete');
  });

  it('reads the /watch/ path prefix as the watch verb', () => {
    const many = attrs('GET', '/apis/apps/v1/watch/namespaces/shop/deployments');
    assert.deepEqual([many.verb, many.resource, many.namespace, many.name], ['watch', 'deployments', 'shop', undefined]);
    const one = attrs('GET', '/api/v1/watch/namespaces/shop/configmaps/cfg');
    assert.deepEqual([one.verb, one.resource, one.namespace, one.name], ['watch', 'configmaps', 'shop', 'cfg']);
    const cluster = attrs('GET', '/api/v1/watch/namespaces');
    assert.deepEqual([cluster.verb, cluster.resource, cluster.namespace], ['watch', 'namespaces', undefined]);
  });

  it('a watch of one named object (GET with ?watch) is the watch verb, not get', () => {
    const a = attrs('GET', '/api/v1/namespaces/shop/configmaps/cfg', { watch: 'true' });
    assert.deepEqual([a.verb, a.name], ['watch', 'cfg']);
    // A subresource read stays a get, as the API server serves it.
    assert.equal(attrs('GET', '/api/v1/namespaces/shop/pods/p/log', { watch: 'true' }).verb, 'get');
  });

  it('names a list or watch pinned by fieldSelector=metadata.name, as Kubernetes does', () => {
    const w = attrs('GET', '/api/v1/namespaces/shop/configmaps', { watch: 'true', fieldSelector: 'metadata.name=cfg' });
    assert.deepEqual([w.verb, w.name], ['watch', 'cfg']);
    const l = attrs('GET', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.name==cfg' });
    assert.deepEqual([l.verb, l.name], ['list', 'cfg']);
    assert.equal(attrs('GET', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.name!=cfg' }).name, undefined);
    assert.equal(attrs('GET', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.namespace=shop' }).name, undefined);
    // Unparseable selectors leave the request unnamed (the API server refuses them later).
    assert.equal(attrs('GET', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.name' }).name, undefined);
    // A DELETE of a collection stays deletecollection whatever the query says.
    assert.equal(attrs('DELETE', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.name=cfg' }).verb, 'deletecollection');
  });

  it('accepts URLSearchParams and array-valued queries (Koa) alike', () => {
    const fromParams = requestAttributes('GET', '/api/v1/namespaces/shop/pods', new URLSearchParams('watch=true'), alice);
    const fromKoa = requestAttributes('GET', '/api/v1/namespaces/shop/pods', { watch: ['1', 'false'] }, alice);
    assert.equal(fromParams.verb, 'watch');
    assert.equal(fromKoa.verb, 'watch');
  });

  it('decodes percent-encoded segments and ignores repeated slashes at the ends', () => {
    const a = attrs('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Adiscovery/');
    assert.deepEqual([a.resource, a.name], ['clusterroles', 'system:discovery']);
  });

  describe('non-resource requests: the path, and the lower-cased method as verb', () => {
    const cases: [string, string, string][] = [
      ['GET', '/healthz', 'get'],
      ['GET', '/livez/ping', 'get'],
      ['GET', '/version', 'get'],
      ['GET', '/api', 'get'],
      ['GET', '/api/v1', 'get'],
      ['GET', '/apis', 'get'],
      ['GET', '/apis/apps', 'get'],
      ['GET', '/apis/apps/v1', 'get'],
      ['GET', '/openapi/v2', 'get'],
      ['POST', '/metrics', 'post'],
      ['HEAD', '/', 'head'],
      ['GET', '/other/a/b/c', 'get'],
      ['GET', '/api/v1/%zz', 'get'],
    ];
    for (const [method, path, verb] of cases) {
      it(`${method} ${path}`, () => {
        assert.deepEqual(attrs(method, path), { verb, resourceRequest: false, path });
      });
    }
  });

  it('refuses /watch/ or /proxy/ without anything after it with BadRequest', () => {
    assert.throws(() => requestAttributes('GET', '/apis/apps/v1/watch', undefined, alice), (err: unknown) => isBadRequest(err));
    assert.throws(() => requestAttributes('GET', '/api/v1/proxy', undefined, alice), (err: unknown) => isBadRequest(err));
  });

  it('proxy paths keep the rest of the path out of the subresource', () => {
    const a = attrs('GET', '/api/v1/proxy/namespaces/shop/services/web/some/path');
    assert.deepEqual([a.verb, a.resource, a.name, a.subresource], ['proxy', 'services', 'web', undefined]);
  });
});
