import assert from 'node:assert/strict';
import { isBadRequest } from '../../../apimachinery/index.js';
import { decodeContinue, encodeContinue } from '../../../gateway/continue-token.js';

describe('gateway/continue-token', () => {
  const prefix = '/registry/core/configmaps/shop/';

  it('round-trips revision and key through an opaque base64url token', () => {
    const token = encodeContinue({ rev: 42, key: `${prefix}cm-10` });
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.ok(!token.includes('cm-10'), 'the token is opaque');
    assert.deepEqual(decodeContinue(token, prefix), { rev: 42, key: `${prefix}cm-10` });
  });

  it('holds keys with any characters', () => {
    const key = `${prefix}a.b-c/ü`;
    assert.deepEqual(decodeContinue(encodeContinue({ rev: 7, key }), prefix), { rev: 7, key });
  });

  it('rejects garbage with BadRequest', () => {
    for (const t of ['not a token', '!!!', Buffer.from('{"rev":"x","key":1}').toString('base64url'), Buffer.from('[]').toString('base64url'), Buffer.from('null').toString('base64url')]) {
      assert.throws(() => decodeContinue(t, prefix), isBadRequest, t);
    }
  });

  it('rejects a revision that is not a positive integer', () => {
    const t = Buffer.from(JSON.stringify({ rev: 0, key: `${prefix}a` })).toString('base64url');
    assert.throws(() => decodeContinue(t, prefix), isBadRequest);
  });

  it('rejects a token issued for another collection', () => {
    const token = encodeContinue({ rev: 3, key: '/registry/core/secrets/shop/a' });
    assert.throws(() => decodeContinue(token, prefix), isBadRequest);
    const otherNamespace = encodeContinue({ rev: 3, key: '/registry/core/configmaps/shopping/a' });
    assert.throws(() => decodeContinue(otherNamespace, prefix), isBadRequest);
  });
});
