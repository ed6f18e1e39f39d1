import assert from 'node:assert/strict';
import { decodeReviewProtobuf } from '../../../gateway/review-protobuf.js';

/** Protobuf encoding of length-delimited fields (what client-go sends for these kinds). */
function field(n: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from('k8s\0'), field(1, typeMeta), field(2, raw)]);
}

describe('gateway/review-protobuf', () => {
  it('decodes a SelfSubjectAccessReview as kubectl auth can-i sends it', () => {
    const attrs = Buffer.concat([field(1, 'shop'), field(2, 'create'), field(3, 'apps'), field(5, 'deployments')]);
    const spec = field(1, attrs);
    const body = envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', Buffer.concat([field(1, Buffer.alloc(0)), field(2, spec)]));
    assert.deepEqual(decodeReviewProtobuf(body), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'shop', verb: 'create', group: 'apps', resource: 'deployments' } },
    });
    const nonResource = envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', field(2, field(2, Buffer.concat([field(1, '/metrics'), field(2, 'get')]))));
    assert.deepEqual((decodeReviewProtobuf(nonResource) as { spec: unknown }).spec, { nonResourceAttributes: { path: '/metrics', verb: 'get' } });
  });

  it('decodes a SelfSubjectReview, and refuses other kinds and broken bodies with 400', () => {
    assert.deepEqual(decodeReviewProtobuf(envelope('authentication.k8s.io/v1', 'SelfSubjectReview', Buffer.alloc(0))), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: {},
    });
    assert.throws(() => decodeReviewProtobuf(envelope('v1', 'Secret', Buffer.alloc(0))), (e: { code?: number }) => e.code === 400);
    assert.throws(() => decodeReviewProtobuf(Buffer.from('{"kind":"x"}')), /k8s envelope/);
    assert.throws(() => decodeReviewProtobuf(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x50, 0x01])])), /truncated/);
  });
});
