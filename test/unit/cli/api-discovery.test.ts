import assert from 'node:assert/strict';
import { builtinResources, type ResourceInfo } from '../../../apimachinery/index.js';
import { ApiResources, resourcePath } from '../../../cli/api-discovery.js';
import { parseResourceArgs } from '../../../cli/resource-args.js';

describe('cli/api-discovery', () => {
  const v2: ResourceInfo = { ...builtinResources.find((r) => r.plural === 'deployments')!, version: 'v2' };
  const api = new ApiResources([...builtinResources, v2]);

  it('resolves what users type as kubectl does', () => {
    for (const typed of ['deployments', 'deployment', 'deploy', 'Deployment', 'deployments.apps', 'deploy.apps']) {
      const r = api.resolve(typed);
      assert.equal(`${r.group}/${r.version}/${r.plural}`, 'apps/v1/deployments', typed);
    }
    assert.equal(api.resolve('deployments.v2.apps').version, 'v2');
    assert.equal(api.resolve('pp').kind, 'PropagationPolicy');
    assert.equal(api.resolve('clusters.cluster.fedgate.io').kind, 'Cluster');
    assert.throws(() => api.resolve('pods'), /the server doesn't have a resource type "pods"/);
    assert.throws(() => api.resolve('deployments.batch'), /doesn't have a resource type "deployments\.batch"/);
  });

  it('maps manifests to resources by apiVersion and kind, naming what is not served', () => {
    assert.equal(api.forKind('policy.fedgate.io/v1alpha1', 'PropagationPolicy').plural, 'propagationpolicies');
    assert.throws(() => api.forKind('example.com/v1', 'Widget'), /no matches for kind "Widget" in version "example\.com\/v1"/);
    assert.throws(() => api.forKind('v1', 'Deployment'), /no matches for kind "Deployment" in version "v1"/);
  });

  it('builds REST paths', () => {
    const deploy = api.resolve('deploy');
    assert.equal(resourcePath(deploy, 'shop', 'web'), '/apis/apps/v1/namespaces/shop/deployments/web');
    assert.equal(resourcePath(deploy, undefined), '/apis/apps/v1/deployments');
    assert.equal(resourcePath(api.resolve('ns'), 'ignored', 'shop'), '/api/v1/namespaces/shop');
  });

  it('parses KIND NAME..., KIND,KIND, KIND/NAME and categories', () => {
    const simple = parseResourceArgs(['deploy', 'a', 'b'], api);
    assert.deepEqual(simple.map((r) => [r.resource.plural, r.names]), [['deployments', ['a', 'b']]]);
    const several = parseResourceArgs(['svc,deploy'], api);
    assert.deepEqual(several.map((r) => r.resource.plural), ['services', 'deployments']);
    const slashed = parseResourceArgs(['deploy/a', 'svc/b', 'deployment/c'], api);
    assert.deepEqual(slashed.map((r) => [r.resource.plural, r.names]), [['deployments', ['a', 'c']], ['services', ['b']]]);
    assert.deepEqual(parseResourceArgs(['all'], api).map((r) => r.resource.plural), ['services', 'deployments', 'jobs']);
    assert.throws(() => parseResourceArgs(['deploy', 'svc/b'], api), /no need to specify a resource type/);
    assert.throws(() => parseResourceArgs(['deploy/'], api), /single resource and name/);
    assert.throws(() => parseResourceArgs([], api), /must specify the type of resource/);
  });
});
