import assert from 'node:assert/strict';
import { builtinResources, type KubeObject, type ResourceInfo } from '../../../apimachinery/index.js';
import {
  formatTimestamp,
  generationChanged,
  hasPendingFinalizers,
  markDeleting,
  prepareForCreate,
  prepareForUpdate,
  sameStoredObject,
  validateUpdate,
} from '../../../gateway/object-strategy.js';

function resource(plural: string): ResourceInfo {
  const r = builtinResources.find((x) => x.plural === plural);
  if (!r) throw new Error(plural);
  return r;
}

const deployments = resource('deployments');
const configmaps = resource('configmaps');
const namespaces = resource('namespaces');
const now = new Date('2026-01-02T03:04:05.678Z');

function stored(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'u-1', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '10', labels: { a: '1' } },
    spec: { replicas: 2 },
    status: { readyReplicas: 2 },
  };
}

describe('gateway/object-strategy', () => {
  it('formats timestamps with second precision', () => {
    assert.equal(formatTimestamp(now), '2026-01-02T03:04:05Z');
  });

  describe('create', () => {
    it('sets server-owned metadata and resets status for kinds with a status subresource', () => {
      const out = prepareForCreate(
        deployments,
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', uid: 'mine', resourceVersion: '5', generation: 9, deletionTimestamp: 'x' }, spec: {}, status: { replicas: 4 } },
        { now, uid: 'server-uid' },
      );
      assert.equal(out.metadata.uid, 'server-uid');
      assert.equal(out.metadata.generation, 1);
      assert.equal(out.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
      assert.equal(out.metadata.resourceVersion, undefined, 'the version is the store revision, never stored');
      assert.equal(out.metadata.deletionTimestamp, undefined);
      assert.equal(out.status, undefined);
    });

    it('keeps top-level data of kinds without a status subresource', () => {
      const out = prepareForCreate(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } }, { now, uid: 'u' });
      assert.deepEqual(out['data'], { k: 'v' });
    });

    it('starts namespaces Active with the kubernetes finalizer', () => {
      const out = prepareForCreate(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { now, uid: 'u' });
      assert.deepEqual(out.spec, { finalizers: ['kubernetes'] });
      assert.deepEqual(out.status, { phase: 'Active' });
    });
  });

  describe('generation rule', () => {
    it('moves generation on a spec change only', () => {
      const next = stored();
      (next.spec as { replicas: number }).replicas = 5;
      assert.equal(prepareForUpdate(deployments, stored(), next, undefined).metadata.generation, 4);
    });

    it('keeps generation on metadata-only changes', () => {
      const next = stored();
      next.metadata.labels = { a: '2' };
      const out = prepareForUpdate(deployments, stored(), next, undefined);
      assert.equal(out.metadata.generation, 3);
      assert.deepEqual(out.metadata.labels, { a: '2' });
    });

    it('keeps generation on a status write', () => {
      const next = stored();
      next.status = { readyReplicas: 0 };
      const out = prepareForUpdate(deployments, stored(), next, 'status');
      assert.equal(out.metadata.generation, 3);
      assert.deepEqual(out.status, { readyReplicas: 0 });
    });

    it('never moves for resources without generation fields', () => {
      const old: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', generation: 1 }, data: { a: '1' } };
      const next: KubeObject = { ...old, data: { a: '2' } };
      assert.equal(generationChanged(configmaps, old, next), false);
      assert.equal(prepareForUpdate(configmaps, old, next, undefined).metadata.generation, 1);
    });

    it('compares deeply, not by identity', () => {
      assert.equal(generationChanged(deployments, stored(), stored()), false);
    });
  });

  describe('update', () => {
    it('ignores status and server-owned metadata on the main endpoint', () => {
      const next = stored();
      next.status = { readyReplicas: 99 };
      next.metadata.uid = 'forged';
      next.metadata.creationTimestamp = '1999-01-01T00:00:00Z';
      next.metadata.generation = 100;
      const out = prepareForUpdate(deployments, stored(), next, undefined);
      assert.deepEqual(out.status, { readyReplicas: 2 });
      assert.equal(out.metadata.uid, 'u-1');
      assert.equal(out.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
      assert.equal(out.metadata.generation, 3);
      assert.equal(out.metadata.resourceVersion, undefined);
    });

    it('writes only status through /status', () => {
      const next = stored();
      (next.spec as { replicas: number }).replicas = 50;
      next.metadata.labels = { b: '2' };
      next.status = { readyReplicas: 1 };
      const out = prepareForUpdate(deployments, stored(), next, 'status');
      assert.deepEqual(out.spec, { replicas: 2 });
      assert.deepEqual(out.metadata.labels, { a: '1' });
      assert.deepEqual(out.status, { readyReplicas: 1 });
    });

    it('keeps namespace finalizers out of reach of the main endpoint, within reach of /finalize', () => {
      const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', generation: 1 }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
      const cleared: KubeObject = { ...ns, spec: { finalizers: [] } };
      assert.deepEqual(prepareForUpdate(namespaces, ns, cleared, undefined).spec, { finalizers: ['kubernetes'] });
      assert.deepEqual(prepareForUpdate(namespaces, ns, cleared, 'finalize').spec, { finalizers: [] });
    });

    it('forbids new finalizers on an object being deleted', () => {
      const old = stored();
      old.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
      old.metadata.finalizers = ['a'];
      const next = stored();
      next.metadata.finalizers = ['a', 'b'];
      assert.equal(validateUpdate(old, next)[0]?.field, 'metadata.finalizers');
      next.metadata.finalizers = [];
      assert.deepEqual(validateUpdate(old, next), []);
    });

    it('recognises a write that changes nothing', () => {
      const a = stored();
      const b = stored();
      b.metadata.resourceVersion = '11';
      assert.equal(sameStoredObject(a, b), true);
      b.metadata.labels = {};
      assert.equal(sameStoredObject(a, b), false);
    });
  });

  describe('delete', () => {
    it('marks deleting; a namespace goes Terminating', () => {
      const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
      assert.equal(hasPendingFinalizers(namespaces, ns), true);
      const out = markDeleting(namespaces, ns, now);
      assert.equal(out.metadata.deletionTimestamp, '2026-01-02T03:04:05Z');
      assert.deepEqual(out.status, { phase: 'Terminating' });
    });

    it('sees pending metadata finalizers', () => {
      const obj = stored();
      assert.equal(hasPendingFinalizers(deployments, obj), false);
      obj.metadata.finalizers = ['x'];
      assert.equal(hasPendingFinalizers(deployments, obj), true);
    });
  });
});
