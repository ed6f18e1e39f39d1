import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../apimachinery/index.js';
import { APPLIED_KEYS_ANNOTATION, isOwnManaged } from '../../../../member-cluster/agent/index.js';
import { desiredObject, mergeIntoStored, objectForCreate, releaseObject } from '../../../../member-cluster/agent/managed-object.js';

const core = (kind: string) => ({ group: '', kind });

describe('member-cluster/agent managed objects', () => {
  it('desiredObject marks the object and records the keys the gateway sets', () => {
    const d = desiredObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', uid: 'x', labels: { a: '1' }, annotations: { b: '2' } }, data: {}, status: { x: 1 } });
    assert.deepEqual(d.metadata.labels, { a: '1', 'app.kubernetes.io/managed-by': 'fedgate' });
    assert.deepEqual(JSON.parse(d.metadata.annotations![APPLIED_KEYS_ANNOTATION]!), { labels: ['a', 'app.kubernetes.io/managed-by'], annotations: ['b'] });
    assert.equal(d.metadata.uid, undefined);
    assert.equal(d.status, undefined);
  });

  it('merges labels and annotations three-way: gateway keys replaced, dropped ones removed, member keys kept', () => {
    const first = desiredObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1', old: 'x' } }, data: { k: 'v' } });
    const stored: KubeObject = structuredClone(first);
    stored.metadata.uid = 'u';
    stored.metadata.labels!['member'] = 'own';
    stored.metadata.annotations!['member.io/note'] = 'kept';
    const next = desiredObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '2' } }, data: { k: 'w' } });
    mergeIntoStored(core('ConfigMap'), stored, next);
    assert.deepEqual(stored.metadata.labels, { a: '2', member: 'own', 'app.kubernetes.io/managed-by': 'fedgate' });
    assert.equal(stored.metadata.annotations!['member.io/note'], 'kept');
    assert.equal(stored.metadata.uid, 'u');
    assert.deepEqual(stored['data'], { k: 'w' });
  });

  it('a top-level field the gateway no longer sends is removed; status stays', () => {
    const stored: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'c' }, status: { s: 1 } };
    mergeIntoStored(core('Secret'), stored, desiredObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==' } }));
    assert.equal(stored['stringData'], undefined);
    assert.deepEqual(stored.status, { s: 1 });
  });

  it('a namespace is created Active with its finalizer, and keeps its finalizers on update', () => {
    const created = objectForCreate(core('Namespace'), desiredObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }));
    assert.deepEqual(created.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(created.status, { phase: 'Active' });
    mergeIntoStored(core('Namespace'), created, desiredObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }));
    assert.deepEqual(created.spec, { finalizers: ['kubernetes'] });
  });

  it('isOwnManaged excludes owned objects and derived kinds; releaseObject removes the mark', () => {
    const obj = desiredObject({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' } });
    assert.equal(isOwnManaged(core('Endpoints'), obj), false);
    assert.equal(isOwnManaged(core('ConfigMap'), obj), true);
    assert.equal(isOwnManaged(core('ConfigMap'), { metadata: { ...obj.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] } }), false);
    releaseObject(obj);
    assert.equal(obj.metadata.labels, undefined);
    assert.equal(obj.metadata.annotations, undefined);
  });
});
