import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { builtinResources, memberResources, ResourceRegistry } from '../../../apimachinery/index.js';
import { aggregatedDiscovery, definitionName, OpenApiDocuments, toOpenApiSchema } from '../../../gateway/index.js';

type Json = any;

const gateway = new OpenApiDocuments(new ResourceRegistry(), { podLogs: false });
const member = new OpenApiDocuments(new ResourceRegistry([...builtinResources, ...memberResources]), { podLogs: true });

function doc(docs: OpenApiDocuments, path: string): Json {
  const d = docs.v3Documents().get(path);
  assert.ok(d, `${path} is published`);
  return JSON.parse(d.json);
}

describe('OpenAPI documents', () => {
  it('indexes every group-version with the hash of its document', () => {
    const index = gateway.v3Index() as { paths: Record<string, { serverRelativeURL: string }> };
    assert.ok(index.paths['api/v1'] && index.paths['apis/apps/v1'] && index.paths['apis/policy.fedgate.io/v1alpha1']);
    const apps = gateway.v3Documents().get('apis/apps/v1')!;
    assert.equal(apps.hash, createHash('sha512').update(apps.json).digest('hex').toUpperCase());
    assert.equal(index.paths['apis/apps/v1']!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${apps.hash}`);
  });

  it('marks every operation with its group-version-kind and action, and offers field validation on patches', () => {
    const apps = doc(gateway, 'apis/apps/v1');
    const item = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
    assert.equal(item.patch['x-kubernetes-action'], 'patch');
    assert.ok(item.patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'));
    assert.deepEqual(Object.keys(item.patch.requestBody.content).sort(), [
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    assert.ok(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].get);
    assert.ok(apps.paths['/apis/apps/v1/deployments'].get, 'the all-namespaces list');
    assert.ok(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status'].patch);
  });

  it('does not offer strategic merge patch for the federation kinds, as for CRDs', () => {
    const policy = doc(gateway, 'apis/policy.fedgate.io/v1alpha1');
    const patch = policy.paths['/apis/policy.fedgate.io/v1alpha1/namespaces/{namespace}/propagationpolicies/{name}'].patch;
    assert.ok(!('application/strategic-merge-patch+json' in patch.requestBody.content));
    assert.ok('application/merge-patch+json' in patch.requestBody.content);
  });

  it('publishes each kind with its GVK and the list and patch extensions kubectl computes patches from', () => {
    const apps = doc(gateway, 'apis/apps/v1');
    const d = apps.components.schemas[definitionName({ group: 'apps', version: 'v1' }, 'Deployment')];
    assert.deepEqual(d['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const podSpec = d.properties.spec.properties.template.properties.spec;
    assert.equal(podSpec.properties.containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(podSpec.properties.containers['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(podSpec.properties.containers['x-kubernetes-list-map-keys'], ['name']);
    const container = podSpec.properties.containers.items;
    assert.equal(container.properties.ports['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.equal(container.properties.env['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(podSpec.properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.equal(d.properties.spec.properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.equal(d.properties.metadata.properties.finalizers['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(d.properties.spec.properties.strategy.properties.rollingUpdate.properties.maxSurge.allOf, [
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
    ]);
    assert.ok(apps.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']);
    const core = doc(gateway, 'api/v1');
    assert.equal(core.components.schemas['io.k8s.api.core.v1.Service'].properties.spec.properties.ports['x-kubernetes-patch-merge-key'], 'port');
  });

  it('turns JSON Schema unions and open objects into OpenAPI 3.0', () => {
    assert.deepEqual(toOpenApiSchema({ enum: ['A', 'B'] }), { type: 'string', enum: ['A', 'B'] });
    assert.deepEqual(toOpenApiSchema({}), { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(toOpenApiSchema({ type: 'object' }), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(toOpenApiSchema({ type: ['string', 'number'], description: 'q' }), {
      description: 'q',
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }],
    });
    assert.deepEqual(toOpenApiSchema({ type: 'object', required: [], properties: { a: { type: 'integer', minimum: 0 } } }), {
      type: 'object',
      properties: { a: { type: 'integer', minimum: 0 } },
    });
  });

  it('serves pods/log on a member and a Swagger 2.0 document with consumes per patch', () => {
    const core = doc(member, 'api/v1');
    assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get['x-kubernetes-action'], 'connect');
    assert.equal(doc(gateway, 'api/v1').paths['/api/v1/namespaces/{namespace}/pods/{name}/log'], undefined);
    const v2 = JSON.parse(gateway.v2Json());
    assert.equal(v2.swagger, '2.0');
    const patch = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
    assert.ok(patch.parameters.some((p: Json) => p.in === 'body') && patch.parameters.some((p: Json) => p.name === 'fieldValidation'));
    assert.ok(v2.definitions['io.k8s.api.apps.v1.Deployment']);
  });
});

describe('aggregated discovery', () => {
  it('lists the core group at /api and the named groups at /apis, with scope, short names and subresources', () => {
    const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
    const core = aggregatedDiscovery(registry, 'core', 'v2', { podLogs: true }) as Json;
    assert.equal(core.kind, 'APIGroupDiscoveryList');
    assert.equal(core.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.equal(core.items.length, 1);
    const v1 = core.items[0].versions[0];
    assert.equal(v1.version, 'v1');
    const pods = v1.resources.find((r: Json) => r.resource === 'pods');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.equal(pods.scope, 'Namespaced');
    assert.deepEqual(pods.subresources.map((s: Json) => s.subresource), ['status', 'log']);
    assert.equal(v1.resources.find((r: Json) => r.resource === 'namespaces').scope, 'Cluster');
    const groups = aggregatedDiscovery(new ResourceRegistry(), 'groups', 'v2beta1') as Json;
    assert.equal(groups.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    const policy = groups.items.find((g: Json) => g.metadata.name === 'policy.fedgate.io');
    const pp = policy.versions[0].resources.find((r: Json) => r.resource === 'propagationpolicies');
    assert.deepEqual([pp.shortNames, pp.categories, pp.responseKind], [['pp'], ['fedgate'], { group: 'policy.fedgate.io', version: 'v1alpha1', kind: 'PropagationPolicy' }]);
  });
});
