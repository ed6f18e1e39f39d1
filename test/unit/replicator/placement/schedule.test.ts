import assert from 'node:assert/strict';
import type { KubeObject, Placement, PropagationPolicy } from '../../../../apimachinery/index.js';
import {
  explainPlacement,
  failedOver,
  schedule,
  toleratesTaint,
  type ClusterView,
  type ScheduleInput,
  type ScheduleResult,
} from '../../../../replicator/placement/index.js';

const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 8 } };

function cluster(name: string, extra: Partial<ClusterView> = {}): ClusterView {
  return { name, labels: {}, taints: [], ready: true, weight: 1, ...extra };
}

const eu = cluster('eu', { region: 'eu', zone: 'eu-1', labels: { env: 'prod' } });
const us = cluster('us', { region: 'us', zone: 'us-1', labels: { env: 'prod' } });
const ap = cluster('ap', { region: 'ap', zone: 'ap-1', labels: { env: 'dev' } });
const all = [eu, us, ap];

function policy(placement: Placement, failover?: PropagationPolicy['spec']['failover']): PropagationPolicy {
  return {
    apiVersion: 'policy.fedgate.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], placement, ...(failover ? { failover } : {}) },
  };
}

function run(placement: Placement, clusters: readonly ClusterView[] = all, extra: Partial<ScheduleInput> = {}): ScheduleResult {
  return schedule({ template: deployment, replicas: 8, policy: policy(placement), clusters, ...extra });
}

function placed(r: ScheduleResult): Record<string, number | undefined> {
  return Object.fromEntries(r.clusters.map((c) => [c.name, c.replicas]));
}

function reasons(r: ScheduleResult): Record<string, string> {
  return Object.fromEntries(r.excluded.map((e) => [e.name, e.reason]));
}

const divided = (extra: Placement['replicaScheduling'] = {}): Placement['replicaScheduling'] => ({ replicaSchedulingType: 'Divided', ...extra });

describe('replicator/placement/schedule', () => {
  describe('filter', () => {
    it('keeps clusters by name and says why the others are out', () => {
      const r = run({ clusterAffinity: { clusterNames: ['eu', 'us'] } });
      assert.deepEqual(placed(r), { eu: 8, us: 8 });
      assert.deepEqual(reasons(r), { ap: 'not in clusterNames' });
    });

    it('filters by labels, fields and exclusions', () => {
      assert.deepEqual(reasons(run({ clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } } })), { ap: 'label selector does not match' });
      assert.deepEqual(reasons(run({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['us'] }] } } })), {
        ap: 'region ap not in [us]',
        eu: 'region eu not in [us]',
      });
      assert.deepEqual(reasons(run({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['eu-1'] }] } } })), {
        eu: 'zone eu-1 is in excluded [eu-1]',
      });
      assert.deepEqual(reasons(run({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['aws'] }] } } }, [eu])), {
        eu: 'provider (none) not in [aws]',
      });
      assert.deepEqual(reasons(run({ clusterAffinity: { exclude: ['us'] } })), { us: 'excluded by name' });
    });

    it('refuses untolerated NoSchedule/NoExecute taints, accepts tolerated and PreferNoSchedule ones', () => {
      const gpu = cluster('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
      const soft = cluster('soft', { taints: [{ key: 'maintenance', effect: 'PreferNoSchedule' }] });
      const evict = cluster('evict', { taints: [{ key: 'broken', effect: 'NoExecute' }] });
      let r = run({}, [gpu, soft, evict]);
      assert.deepEqual(placed(r), { soft: 8 });
      assert.deepEqual(reasons(r), { evict: 'untolerated taint broken:NoExecute', gpu: 'untolerated taint dedicated=gpu:NoSchedule' });
      r = run({ clusterTolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { key: 'broken', operator: 'Exists' }] }, [gpu, soft, evict]);
      assert.deepEqual(placed(r), { evict: 8, gpu: 8, soft: 8 });
      r = run({ clusterTolerations: [{ key: 'dedicated', value: 'cpu' }] }, [gpu]);
      assert.equal(r.error, 'no cluster fits the placement');
      assert.deepEqual(r.clusters, []);
    });

    it('implements Kubernetes toleration matching', () => {
      const taint = { key: 'k', value: 'v', effect: 'NoSchedule' as const };
      assert.ok(toleratesTaint({ operator: 'Exists' }, taint));
      assert.ok(toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint));
      assert.ok(!toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint));
      assert.ok(toleratesTaint({ key: 'k', value: 'v' }, taint));
      assert.ok(!toleratesTaint({ key: 'k', value: 'w' }, taint));
      assert.ok(!toleratesTaint({ key: 'other', operator: 'Exists' }, taint));
      assert.ok(!toleratesTaint({ value: 'v' }, taint));
    });

    it('excludes failed-over clusters, keeps a NotReady one not yet failed over', () => {
      const now = 1_000_000;
      const down = cluster('us', { ready: false, notReadySince: now - 45_000 });
      const blip = cluster('ap', { ready: false, notReadySince: now - 5_000 });
      const p = policy({}, { tolerationSeconds: 40 });
      assert.ok(failedOver(down, p, now));
      assert.ok(!failedOver(blip, p, now));
      assert.ok(!failedOver(eu, p, now));
      const unavailable = new Set([down, blip, eu].filter((c) => failedOver(c, p, now)).map((c) => c.name));
      const r = schedule({ template: deployment, replicas: 8, policy: p, clusters: [eu, down, blip], unavailable });
      assert.deepEqual(placed(r), { ap: 8, eu: 8 });
      assert.deepEqual(reasons(r), { us: 'failover: cluster NotReady for more than 40s' });
    });
  });

  describe('spread constraints', () => {
    const eu2 = cluster('eu-2', { region: 'eu', weight: 1 });
    const clusters = [eu, eu2, us, ap];

    it('keeps at most maxGroups groups, preferring groups with more clusters', () => {
      const r = run({ spreadConstraints: [{ spreadByField: 'region', maxGroups: 1 }] }, clusters);
      assert.deepEqual(placed(r), { eu: 8, 'eu-2': 8 });
      assert.equal(reasons(r)['us'], 'region us not chosen: spread by region allows at most 1 group');
    });

    it('prefers heavier groups, then names, when sizes tie', () => {
      const heavyUs = cluster('us', { region: 'us', weight: 5 });
      assert.deepEqual(placed(run({ spreadConstraints: [{ spreadByField: 'region', maxGroups: 1 }] }, [eu, heavyUs, ap])), { us: 8 });
      assert.deepEqual(placed(run({ spreadConstraints: [{ spreadByField: 'region', maxGroups: 2 }] }, [eu, us, ap])), { ap: 8, eu: 8 });
    });

    it('fails with no clusters when fewer groups than minGroups are eligible', () => {
      const r = run({ clusterAffinity: { clusterNames: ['eu', 'eu-2', 'us'] }, spreadConstraints: [{ spreadByField: 'region', minGroups: 3 }] }, clusters);
      assert.equal(r.error, 'spread by region needs at least 3 groups, only 2 groups eligible (eu, us)');
      assert.deepEqual(r.clusters, []);
      const c = run({ spreadConstraints: [{ spreadByField: 'cluster', minGroups: 5 }] }, clusters);
      assert.equal(c.error, 'spread by cluster needs at least 5 clusters, only 4 clusters eligible');
      assert.deepEqual(c.clusters, []);
    });

    it('leaves out clusters without the spread field', () => {
      const r = run({ spreadConstraints: [{ spreadByField: 'provider', minGroups: 1 }] }, [cluster('x', { provider: 'aws' }), eu]);
      assert.deepEqual(placed(r), { x: 8 });
      assert.equal(reasons(r)['eu'], 'no provider to spread by');
    });

    it('bounds clusters round-robin over the chosen regions', () => {
      const heavyEu2 = cluster('eu-2', { region: 'eu', weight: 9 });
      const r = run(
        {
          spreadConstraints: [
            { spreadByField: 'region', minGroups: 2, maxGroups: 2 },
            { spreadByField: 'cluster', maxGroups: 2 },
          ],
        },
        [eu, heavyEu2, us, ap],
      );
      // eu has two clusters so it is chosen first; the heavier eu-2 represents it; then one more region.
      assert.deepEqual(Object.keys(placed(r)), ['ap', 'eu-2']);
      assert.equal(r.error, undefined);
    });
  });

  describe('replicas', () => {
    it('duplicates spec.replicas to every cluster', () => {
      assert.deepEqual(placed(run({ replicaScheduling: { replicaSchedulingType: 'Duplicated' } })), { ap: 8, eu: 8, us: 8 });
    });

    it('places kinds without replicas everywhere, with no replica count', () => {
      const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' } };
      const r = schedule({ template: cm, replicas: undefined, policy: policy({ replicaScheduling: divided() }), clusters: all });
      assert.deepEqual(r.clusters, [{ name: 'ap' }, { name: 'eu' }, { name: 'us' }]);
    });

    it('divides by static weights: 8 → 4/2/2 for 2:1:1', () => {
      const r = run({
        replicaScheduling: divided({
          weightPreference: {
            staticWeightList: [
              { targetCluster: { clusterNames: ['eu'] }, weight: 2 },
              { targetCluster: { clusterNames: ['us'] }, weight: 1 },
              { targetCluster: { labelSelector: { matchLabels: { env: 'dev' } } }, weight: 1 },
            ],
          },
        }),
      });
      assert.deepEqual(placed(r), { ap: 2, eu: 4, us: 2 });
      assert.equal(r.error, undefined);
    });

    it('uses the first matching static entry and leaves clusters without one out', () => {
      const r = run({
        replicaScheduling: divided({
          weightPreference: {
            staticWeightList: [
              { targetCluster: { clusterNames: ['eu'] }, weight: 3 },
              { targetCluster: { labelSelector: { matchLabels: { env: 'prod' } } }, weight: 1 },
            ],
          },
        }),
      });
      assert.deepEqual(placed(r), { eu: 6, us: 2 });
      assert.equal(reasons(r)['ap'], 'static weight 0: no staticWeightList entry gives it a weight');
    });

    it('divides by Cluster.spec.weight without a weight preference', () => {
      const r = run({ replicaScheduling: divided() }, [cluster('a', { weight: 3 }), cluster('b', { weight: 1 })]);
      assert.deepEqual(placed(r), { a: 6, b: 2 });
    });

    it('divides by available replicas, counting node by node', () => {
      // a: two nodes with 1.5 cpu free each fit 1 + 1 replicas of 1 cpu (3 cpu in total would wrongly say 3).
      const a = cluster('a', {
        nodes: [
          { name: 'a1', ready: true, allocatable: {}, free: { cpu: '1500m', memory: '8Gi', pods: '100' } },
          { name: 'a2', ready: true, allocatable: {}, free: { cpu: '1500m', memory: '8Gi', pods: '100' } },
          { name: 'a3', ready: false, allocatable: {}, free: { cpu: '16', memory: '8Gi', pods: '100' } },
        ],
        available: { cpu: 3000, memory: 16 * 1024 ** 3, pods: 200 },
      });
      // b: one node with 6 cpu fits 6; its pod slots are the limit for c (3).
      const b = cluster('b', { nodes: [{ name: 'b1', ready: true, allocatable: {}, free: { cpu: '6', memory: '8Gi', pods: '100' } }] });
      const c = cluster('c', { available: { cpu: 10_000, memory: 8 * 1024 ** 3, pods: 3 } });
      const d = cluster('d', { available: { cpu: 500, memory: 8 * 1024 ** 3, pods: 10 } });
      const r = schedule({
        template: deployment,
        replicas: 11,
        policy: policy({ replicaScheduling: divided({ weightPreference: { dynamicWeight: 'AvailableReplicas' } }) }),
        clusters: [a, b, c, d],
        podRequests: { cpu: 1000, memory: 256 * 1024 ** 2 },
      });
      assert.deepEqual(placed(r), { a: 2, b: 6, c: 3 });
      assert.equal(reasons(r)['d'], 'no room for a replica (0 available replicas)');
    });

    it('refuses dynamic division when the replicas do not fit, placing nothing', () => {
      const r = schedule({
        template: deployment,
        replicas: 9,
        policy: policy({ replicaScheduling: divided({ weightPreference: { dynamicWeight: 'AvailableReplicas' } }) }),
        clusters: [cluster('a', { available: { cpu: 4000 } })],
        podRequests: { cpu: 1000 },
      });
      assert.match(r.error ?? '', /not enough room: 9 replicas requested, the eligible clusters have room for 4/);
      assert.deepEqual(r.clusters, []);
    });

    it('keeps previous shares on scale-up and shrinks them in proportion on scale-down', () => {
      const clusters = [cluster('a', { available: { cpu: 2000 } }), cluster('b', { available: { cpu: 8000 } })];
      const p = policy({ replicaScheduling: divided({ weightPreference: { dynamicWeight: 'AvailableReplicas' } }) });
      const previous = new Map([['a', 4], ['b', 2]]);
      const up = schedule({ template: deployment, replicas: 11, policy: p, clusters, podRequests: { cpu: 1000 }, previous });
      assert.deepEqual(placed(up), { a: 5, b: 6 });
      const down = schedule({ template: deployment, replicas: 3, policy: p, clusters, podRequests: { cpu: 1000 }, previous });
      assert.deepEqual(placed(down), { a: 2, b: 1 });
    });

    it('aggregates into the fewest clusters, roomiest first', () => {
      const clusters = [
        cluster('small', { available: { cpu: 2000 } }),
        cluster('big', { available: { cpu: 6000 } }),
        cluster('mid', { available: { cpu: 4000 } }),
      ];
      const p = policy({ replicaScheduling: divided({ replicaDivisionPreference: 'Aggregated' }) });
      let r = schedule({ template: deployment, replicas: 5, policy: p, clusters, podRequests: { cpu: 1000 } });
      assert.deepEqual(placed(r), { big: 5 });
      assert.equal(reasons(r)['mid'], 'not needed: Aggregated fills fewer clusters');
      r = schedule({ template: deployment, replicas: 9, policy: p, clusters, podRequests: { cpu: 1000 } });
      assert.deepEqual(Object.keys(placed(r)), ['big', 'mid']);
      assert.equal(r.clusters.reduce((s, c) => s + (c.replicas ?? 0), 0), 9);
      assert.ok(placed(r)['big']! <= 6 && placed(r)['mid']! <= 4);
    });

    it('respects min and max replicas per cluster', () => {
      const clusters = [cluster('a', { weight: 10 }), cluster('b'), cluster('c')];
      let r = run({ replicaScheduling: divided({ minReplicasPerCluster: 2 }) }, clusters);
      assert.deepEqual(placed(r), { a: 4, b: 2, c: 2 });
      r = run({ replicaScheduling: divided({ maxReplicasPerCluster: 2 }) }, clusters);
      assert.deepEqual(placed(r), { a: 2, b: 2, c: 2 });
      assert.deepEqual(r.warnings, ['2 of 8 replicas fit in no cluster: every cluster is at its maximum']);
    });

    it('leaves out clusters whose share rounds to 0, but keeps every cluster at 0 replicas', () => {
      const clusters = [cluster('a', { weight: 100 }), cluster('b')];
      let r = schedule({ template: deployment, replicas: 1, policy: policy({ replicaScheduling: divided() }), clusters });
      assert.deepEqual(placed(r), { a: 1 });
      assert.equal(reasons(r)['b'], 'received no replicas: its share rounds to 0');
      r = schedule({ template: deployment, replicas: 0, policy: policy({ replicaScheduling: divided() }), clusters });
      assert.deepEqual(placed(r), { a: 0, b: 0 });
    });

    it('does not depend on the order of clusters', () => {
      const placement: Placement = { replicaScheduling: divided(), spreadConstraints: [{ spreadByField: 'region', maxGroups: 2 }] };
      assert.deepEqual(run(placement, [ap, us, eu]), run(placement, [eu, us, ap]));
    });
  });

  describe('explain', () => {
    it('lists placed clusters with overrides and excluded ones with reasons', () => {
      const r = run({ clusterAffinity: { clusterNames: ['eu', 'us'] }, replicaScheduling: divided() });
      const e = explainPlacement(r, new Map([['eu', { overrides: ['images/rule#0'] }]]));
      assert.deepEqual(e.placed, [
        { cluster: 'eu', replicas: 4, overrides: ['images/rule#0'] },
        { cluster: 'us', replicas: 4, overrides: [] },
      ]);
      assert.deepEqual(e.excluded, [{ cluster: 'ap', reason: 'not in clusterNames' }]);
      assert.equal(e.totalReplicas, 8);
      assert.deepEqual(e.table.rows, [
        ['eu', 'yes', '4', 'overrides: images/rule#0'],
        ['us', 'yes', '4', ''],
        ['ap', 'no', '-', 'not in clusterNames'],
      ]);
      assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
    });

    it('carries the error of a failed placement', () => {
      const e = explainPlacement(run({ spreadConstraints: [{ spreadByField: 'cluster', minGroups: 9 }] }));
      assert.match(e.error ?? '', /needs at least 9 clusters/);
      assert.deepEqual(e.placed, []);
    });
  });
});
