import assert from 'node:assert/strict';
import { apiSchemaFor, isBadRequest, parseFieldValidation, ResourceRegistry, strictDecodingError, unknownFields } from '../../../apimachinery/index.js';

const registry = new ResourceRegistry();
const schemaOf = (name: string) => apiSchemaFor(registry.resolve(name)!);

describe('field validation', () => {
  it('names undeclared fields with their paths, inside lists too', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { any: 'key' }, colour: 'red' },
      spec: {
        replica: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'web', image: 'w', imagePullPolcy: 'Always', resources: { requests: { cpu: '1' } } }] } },
      },
      status: { anything: { goes: true } },
    };
    assert.deepEqual(unknownFields(deployment, schemaOf('deployments')), ['metadata.colour', 'spec.replica', 'spec.template.spec.containers[0].imagePullPolcy']);
  });

  it('keeps maps, open objects and kinds without a schema as they are', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'any-key': 'v' } };
    assert.deepEqual(unknownFields(cm, schemaOf('configmaps')), []);
    const policy = { apiVersion: 'policy.fedgate.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'p' }, spec: { resourceSelectors: [], suspension: { whatever: 1 } } };
    assert.deepEqual(unknownFields(policy, schemaOf('pp')), []);
    assert.deepEqual(unknownFields({ anything: 1 }, undefined), []);
  });

  it('reads the fieldValidation directive (Warn by default) and words the Strict error as kube-apiserver', () => {
    assert.equal(parseFieldValidation(undefined), 'Warn');
    assert.equal(parseFieldValidation('Strict'), 'Strict');
    assert.equal(parseFieldValidation('Ignore'), 'Ignore');
    assert.throws(() => parseFieldValidation('strict'), isBadRequest);
    const err = strictDecodingError('ConfigMap', 'v1', ['dta', 'x.y']);
    assert.equal(err.code, 400);
    assert.equal(err.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta", unknown field "x.y"');
  });
});
