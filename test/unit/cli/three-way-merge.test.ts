import assert from 'node:assert/strict';
import { jsonEqual, LAST_APPLIED_ANNOTATION, lastAppliedOf, threeWayMergePatch, withLastApplied } from '../../../cli/three-way-merge.js';

describe('cli/three-way-merge', () => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', uid: 'u1', resourceVersion: '7', labels: { app: 'web', team: 'a' } },
    spec: { replicas: 3, paused: false, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
    status: { replicas: 3 },
  };

  it('is empty when the live object already says what the manifest says (server fields are left alone)', () => {
    const manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web', team: 'a' } }, spec: { replicas: 3 } };
    assert.deepEqual(threeWayMergePatch(manifest, manifest, live), {});
  });

  it('sets changed fields and replaces changed lists whole', () => {
    const manifest = { metadata: { name: 'web' }, spec: { replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } };
    assert.deepEqual(threeWayMergePatch(undefined, manifest, live), {
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
    });
  });

  it('deletes what the last applied manifest had and the new one dropped, but not fields others set', () => {
    const original = { metadata: { name: 'web', labels: { app: 'web', team: 'a' } }, spec: { replicas: 3 } };
    const manifest = { metadata: { name: 'web', labels: { app: 'web' } }, spec: {} };
    // team was applied before and is gone now: deleted; replicas too; paused (set by someone else) stays.
    assert.deepEqual(threeWayMergePatch(original, manifest, live), { metadata: { labels: { team: null } }, spec: { replicas: null } });
    // A manifest without the whole section deletes the section it applied before.
    assert.deepEqual(threeWayMergePatch(original, { metadata: original.metadata }, live), { spec: null });
  });

  it('records the manifest in the last-applied annotation, without the annotation itself', () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { a: '1', [LAST_APPLIED_ANNOTATION]: 'old' } }, data: { k: 'v' } };
    const out = withLastApplied(manifest);
    assert.equal(out.metadata!.annotations!['a'], '1');
    const recorded = lastAppliedOf(out);
    assert.deepEqual(recorded, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { a: '1' } }, data: { k: 'v' } });
    assert.deepEqual(lastAppliedOf(withLastApplied({ metadata: { name: 'x' } })), { metadata: { name: 'x', annotations: {} } });
    assert.equal(manifest.metadata.annotations[LAST_APPLIED_ANNOTATION], 'old', 'the input is not changed');
    assert.equal(lastAppliedOf({ metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: '{not json' } } }), undefined);
  });

  it("writes the annotation as kubectl does: sorted keys, annotations always present, HTML escaped, a final newline", () => {
    const out = withLastApplied({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'shop' } });
    assert.equal((out as any).metadata.annotations[LAST_APPLIED_ANNOTATION], '{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"shop"}}\n');
    const html = withLastApplied({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { q: 'a<b && c>d' } });
    assert.match((html as any).metadata.annotations[LAST_APPLIED_ANNOTATION], /"q":"a\\u003cb \\u0026\\u0026 c\\u003ed"/);
  });

  it('compares JSON structurally, ignoring key order', () => {
    assert.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!jsonEqual([1, 2], [2, 1]));
  });
});
