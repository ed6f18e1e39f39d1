import assert from 'node:assert/strict';
import { isWatchParam, parseResourcePath, verbOf } from '../../../gateway/request-path.js';

describe('gateway/request-path', () => {
  describe('parseResourcePath', () => {
    it('parses core namespaced paths', () => {
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/shop/configmaps'), {
        group: '',
        version: 'v1',
        namespace: 'shop',
        plural: 'configmaps',
      });
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/shop/configmaps/web'), {
        group: '',
        version: 'v1',
        namespace: 'shop',
        plural: 'configmaps',
        name: 'web',
      });
    });

    it('parses group paths with subresources', () => {
      assert.deepEqual(parseResourcePath('/apis/apps/v1/namespaces/shop/deployments/web/status'), {
        group: 'apps',
        version: 'v1',
        namespace: 'shop',
        plural: 'deployments',
        name: 'web',
        subresource: 'status',
      });
    });

    it('parses all-namespaces and cluster-scoped paths', () => {
      assert.deepEqual(parseResourcePath('/apis/apps/v1/deployments'), { group: 'apps', version: 'v1', plural: 'deployments' });
      assert.deepEqual(parseResourcePath('/apis/cluster.fedgate.io/v1alpha1/clusters/eu-west'), {
        group: 'cluster.fedgate.io',
        version: 'v1alpha1',
        plural: 'clusters',
        name: 'eu-west',
      });
    });

    it('treats /namespaces/{name} and its status and finalize as the namespace itself', () => {
      assert.deepEqual(parseResourcePath('/api/v1/namespaces'), { group: '', version: 'v1', plural: 'namespaces' });
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/shop'), { group: '', version: 'v1', plural: 'namespaces', name: 'shop' });
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/shop/status'), {
        group: '',
        version: 'v1',
        plural: 'namespaces',
        name: 'shop',
        subresource: 'status',
      });
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/shop/finalize'), {
        group: '',
        version: 'v1',
        plural: 'namespaces',
        name: 'shop',
        subresource: 'finalize',
      });
    });

    it('decodes percent-escapes and accepts a trailing slash', () => {
      assert.equal(parseResourcePath('/api/v1/namespaces/a%2Db/configmaps/')?.namespace, 'a-b');
    });

    it('returns undefined for discovery and foreign paths', () => {
      for (const p of ['/', '/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/metrics', '/version']) {
        assert.equal(parseResourcePath(p), undefined, p);
      }
    });

    it('rejects too deep, empty-segment and badly escaped paths', () => {
      assert.equal(parseResourcePath('/api/v1/namespaces/a/configmaps/b/status/extra'), undefined);
      assert.equal(parseResourcePath('/api/v1//configmaps'), undefined);
      assert.equal(parseResourcePath('/api/v1/namespaces/%E0%A4%A/configmaps'), undefined);
    });
  });

  describe('verbOf', () => {
    it('maps methods to Kubernetes verbs', () => {
      assert.equal(verbOf('GET', {}, false), 'list');
      assert.equal(verbOf('GET', {}, true), 'watch');
      assert.equal(verbOf('GET', { name: 'a' }, false), 'get');
      assert.equal(verbOf('GET', { name: 'a' }, true), 'watch');
      assert.equal(verbOf('POST', {}, false), 'create');
      assert.equal(verbOf('PUT', { name: 'a' }, false), 'update');
      assert.equal(verbOf('PATCH', { name: 'a' }, false), 'patch');
      assert.equal(verbOf('DELETE', { name: 'a' }, false), 'delete');
      assert.equal(verbOf('DELETE', {}, false), 'deletecollection');
    });

    it('refuses methods a path does not take', () => {
      assert.equal(verbOf('POST', { name: 'a' }, false), undefined);
      assert.equal(verbOf('PUT', {}, false), undefined);
      assert.equal(verbOf('PATCH', {}, false), undefined);
      assert.equal(verbOf('OPTIONS', {}, false), undefined);
      assert.equal(verbOf('DELETE', { name: 'a', subresource: 'status' }, false), undefined);
      assert.equal(verbOf('POST', { name: 'a', subresource: 'status' }, false), undefined);
    });

    it('serves get, update and patch on subresources', () => {
      assert.equal(verbOf('GET', { name: 'a', subresource: 'status' }, false), 'get');
      assert.equal(verbOf('PUT', { name: 'a', subresource: 'status' }, false), 'update');
      assert.equal(verbOf('PATCH', { name: 'a', subresource: 'status' }, false), 'patch');
    });
  });

  it('reads watch=true and watch=1 as kube-apiserver does', () => {
    assert.equal(isWatchParam('true'), true);
    assert.equal(isWatchParam('1'), true);
    assert.equal(isWatchParam('false'), false);
    assert.equal(isWatchParam('0'), false);
    assert.equal(isWatchParam(undefined), false);
  });
});
