import assert from 'node:assert/strict';
import { isBadRequest, StatusError } from '../../../apimachinery/index.js';
import { aggregatedDiscoveryVersion, parseAccept, responseShape } from '../../../gateway/index.js';

const KUBECTL_GET = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const KUBECTL_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('content negotiation', () => {
  it('parses media ranges with parameters, in order', () => {
    assert.deepEqual(parseAccept('application/json;as=Table;v=v1;g=meta.k8s.io, */*'), [
      { type: 'application', subtype: 'json', params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' } },
      { type: '*', subtype: '*', params: {} },
    ]);
    assert.deepEqual(parseAccept(undefined), [{ type: '*', subtype: '*', params: {} }]);
  });

  it('answers kubectl get with a v1 Table, and plain clients with the object', () => {
    assert.deepEqual(responseShape(KUBECTL_GET, true), { kind: 'table', version: 'v1' });
    assert.deepEqual(responseShape('application/json;as=Table;v=v1beta1;g=meta.k8s.io', false), { kind: 'table', version: 'v1beta1' });
    assert.deepEqual(responseShape('application/json;as=Table;v=v2;g=meta.k8s.io,application/json', false), { kind: 'object' });
    assert.deepEqual(responseShape(undefined, false), { kind: 'object' });
    assert.deepEqual(responseShape('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', true), { kind: 'partial', version: 'v1' });
  });

  it('is 406 when nothing acceptable is offered', () => {
    assert.throws(() => responseShape('application/vnd.kubernetes.protobuf', false), (err: unknown) => err instanceof StatusError && err.code === 406 && !isBadRequest(err));
    assert.throws(() => responseShape('application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io', true), (err: unknown) => err instanceof StatusError && err.code === 406);
  });

  it('finds the aggregated discovery version kubectl asks for first', () => {
    assert.equal(aggregatedDiscoveryVersion(KUBECTL_DISCOVERY), 'v2');
    assert.equal(aggregatedDiscoveryVersion('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'), 'v2beta1');
    assert.equal(aggregatedDiscoveryVersion('application/json, */*'), undefined);
    assert.equal(aggregatedDiscoveryVersion('application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), undefined);
  });
});
