import assert from 'node:assert/strict';
import type { KubeObject, PropagationPolicy, ResourceSelector } from '../../../../apimachinery/index.js';
import { matchPolicy, selectorMatches } from '../../../../replicator/placement/index.js';

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
  spec: { replicas: 3 },
};

function policy(name: string, selectors: ResourceSelector[], opts: { namespace?: string; priority?: number; deleting?: boolean } = {}): PropagationPolicy {
  return {
    apiVersion: 'policy.fedgate.io/v1alpha1',
    kind: opts.namespace ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    metadata: {
      name,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { resourceSelectors: selectors, ...(opts.priority !== undefined ? { priority: opts.priority } : {}) },
  };
}

const byKind: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment' };
const byName: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const byLabel: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'web' } } };

describe('replicator/placement/policy-match', () => {
  it('matches selectors by apiVersion, kind, namespace, name and labels', () => {
    assert.ok(selectorMatches(byKind, web));
    assert.ok(selectorMatches(byName, web));
    assert.ok(selectorMatches(byLabel, web));
    assert.ok(!selectorMatches({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, web));
    assert.ok(!selectorMatches({ apiVersion: 'v1', kind: 'Deployment' }, web));
    assert.ok(!selectorMatches({ ...byKind, namespace: 'other' }, web));
    assert.ok(selectorMatches({ ...byKind, namespace: 'shop' }, web));
    assert.ok(!selectorMatches({ ...byKind, name: 'api' }, web));
    assert.ok(!selectorMatches({ ...byKind, labelSelector: { matchLabels: { app: 'api' } } }, web));
    assert.ok(selectorMatches({ ...byKind, labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] } }, web));
    // An invalid selector matches nothing rather than everything.
    assert.ok(!selectorMatches({ ...byKind, labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] } }, web));
  });

  it('prefers a PropagationPolicy of the namespace over any ClusterPropagationPolicy', () => {
    const pp = policy('pp', [byKind], { namespace: 'shop' });
    const cpp = policy('cpp', [byName], { priority: 100 });
    assert.equal(matchPolicy(web, [pp], [cpp])?.metadata.name, 'pp');
    assert.equal(matchPolicy(web, [], [cpp])?.metadata.name, 'cpp');
  });

  it('ignores PropagationPolicies of other namespaces', () => {
    const other = policy('other', [byName], { namespace: 'elsewhere' });
    assert.equal(matchPolicy(web, [other], []), undefined);
  });

  it('picks the highest priority, then the most specific selector, then the name', () => {
    const kindHigh = policy('z-kind', [byKind], { namespace: 'shop', priority: 5 });
    const nameLow = policy('a-name', [byName], { namespace: 'shop', priority: 1 });
    assert.equal(matchPolicy(web, [nameLow, kindHigh], [])?.metadata.name, 'z-kind');

    const kind = policy('a-kind', [byKind], { namespace: 'shop' });
    const label = policy('b-label', [byLabel], { namespace: 'shop' });
    const name = policy('c-name', [byName], { namespace: 'shop' });
    assert.equal(matchPolicy(web, [kind, label, name], [])?.metadata.name, 'c-name');
    assert.equal(matchPolicy(web, [kind, label], [])?.metadata.name, 'b-label');
    // A policy's best selector counts.
    const mixed = policy('d-mixed', [{ apiVersion: 'v1', kind: 'ConfigMap' }, byName], { namespace: 'shop' });
    assert.equal(matchPolicy(web, [label, mixed], [])?.metadata.name, 'd-mixed');

    const twin1 = policy('beta', [byLabel], { namespace: 'shop' });
    const twin2 = policy('alpha', [byLabel], { namespace: 'shop' });
    assert.equal(matchPolicy(web, [twin1, twin2], [])?.metadata.name, 'alpha');
    assert.equal(matchPolicy(web, [twin2, twin1], [])?.metadata.name, 'alpha');
  });

  it('skips policies being deleted', () => {
    const dying = policy('dying', [byName], { namespace: 'shop', deleting: true });
    const cpp = policy('cpp', [byKind]);
    assert.equal(matchPolicy(web, [dying], [cpp])?.metadata.name, 'cpp');
    assert.equal(matchPolicy(web, [dying], [policy('gone', [byKind], { deleting: true })]), undefined);
  });

  it('matches cluster-scoped templates only by ClusterPropagationPolicies', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const sel = { apiVersion: 'v1', kind: 'Namespace' };
    assert.equal(matchPolicy(ns, [policy('pp', [sel], { namespace: 'shop' })], [policy('cpp', [sel])])?.metadata.name, 'cpp');
  });
});
