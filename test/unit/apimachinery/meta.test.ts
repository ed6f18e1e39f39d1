import assert from 'node:assert/strict';
import { controllerOf, hasFinalizer, isBeingDeleted, newControllerRef, type KubeObject } from '../../../apimachinery/index.js';

const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'u-1' } };

describe('meta', () => {
  it('isBeingDeleted follows deletionTimestamp', () => {
    assert.equal(isBeingDeleted({ metadata: {} }), false);
    assert.equal(isBeingDeleted({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }), true);
  });

  it('hasFinalizer', () => {
    assert.equal(hasFinalizer({ metadata: {} }, 'a/b'), false);
    assert.equal(hasFinalizer({ metadata: { finalizers: ['x', 'a/b'] } }, 'a/b'), true);
    assert.equal(hasFinalizer({ metadata: { finalizers: ['x'] } }, 'a/b'), false);
  });

  it('newControllerRef and controllerOf round-trip; other owners are ignored', () => {
    const ref = newControllerRef(owner);
    assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1', controller: true, blockOwnerDeletion: true });
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u-2' };
    assert.deepEqual(controllerOf({ metadata: { ownerReferences: [other, ref] } }), ref);
    assert.equal(controllerOf({ metadata: { ownerReferences: [other] } }), undefined);
    assert.equal(controllerOf({ metadata: {} }), undefined);
  });

  it('newControllerRef needs an owner that was stored (name and uid)', () => {
    assert.throws(() => newControllerRef({ ...owner, metadata: { name: 'web' } }), /uid/);
  });
});
