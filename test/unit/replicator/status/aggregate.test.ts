import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../apimachinery/index.js';
import {
  aggregateDeployment,
  aggregateJob,
  aggregateService,
  memberObjectStatuses,
  type ClusterObjectState,
  type PlacedCluster,
} from '../../../../replicator/status/index.js';

const NOW = '2026-01-01T00:00:00.000Z';
const deploy = (generation: number, status?: unknown): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', generation }, spec: { replicas: 8 }, status });
const placed: PlacedCluster[] = [
  { name: 'eu', replicas: 4, target: true },
  { name: 'us', replicas: 2, target: true },
  { name: 'ap', replicas: 2, target: true },
];

function member(replicas: number, opts: { gen?: number; obs?: number; ready?: number; available?: string } = {}): ClusterObjectState['report'] {
  const status: Record<string, unknown> = { replicas, readyReplicas: opts.ready ?? replicas, availableReplicas: opts.ready ?? replicas, updatedReplicas: replicas, observedGeneration: opts.obs ?? 1 };
  if (opts.available) status['conditions'] = [{ type: 'Available', status: opts.available }];
  return { status, generation: opts.gen ?? 1, observedGeneration: opts.obs ?? 1, time: 0 };
}

function states(entries: [string, ClusterObjectState['report'], number | undefined, string?][]): Map<string, ClusterObjectState> {
  return new Map(
    entries.map(([cluster, report, appliedGeneration, error]) => [
      cluster,
      { cluster, report, appliedGeneration, ack: { templateGeneration: appliedGeneration, observedGeneration: 1, error, time: 0 } },
    ]),
  );
}

describe('replicator status: aggregation', () => {
  it('sums replica counts over the target clusters and lists every placed cluster', () => {
    const s = states([
      ['eu', member(4), 3],
      ['us', member(2), 3],
      ['ap', member(2, { ready: 1 }), 3],
    ]);
    const entries = memberObjectStatuses(placed, s, 3);
    assert.deepEqual(entries.map((e) => [e.cluster, e.replicas, e.applied, e.synced]), [
      ['ap', 2, true, true],
      ['eu', 4, true, true],
      ['us', 2, true, true],
    ]);
    const agg = aggregateDeployment(deploy(3), placed, entries, NOW);
    assert.equal(agg['replicas'], 8);
    assert.equal(agg['readyReplicas'], 7);
    assert.equal(agg['availableReplicas'], 7);
    assert.equal(agg['updatedReplicas'], 8);
    assert.equal(agg['unavailableReplicas'], 1);
    assert.equal(agg['observedGeneration'], 3);
    const conditions = agg['conditions'] as { type: string; status: string; reason: string }[];
    assert.equal(conditions.find((c) => c.type === 'Available')!.status, 'False');
    assert.equal(conditions.find((c) => c.type === 'Progressing')!.reason, 'ReplicaSetUpdated');
  });

  it('observedGeneration moves only when every target acked the generation and its member caught up', () => {
    const gen = 5;
    const prev = deploy(gen, { observedGeneration: 4 });
    // One cluster still on the old generation.
    let entries = memberObjectStatuses(placed, states([['eu', member(4), 5], ['us', member(2), 5], ['ap', member(2), 4]]), gen);
    assert.equal(aggregateDeployment(prev, placed, entries, NOW)['observedGeneration'], 4);
    // All acked, but one member controller has not observed its new generation yet.
    entries = memberObjectStatuses(placed, states([['eu', member(4), 5], ['us', member(2, { gen: 2, obs: 1 }), 5], ['ap', member(2), 5]]), gen);
    assert.equal(aggregateDeployment(prev, placed, entries, NOW)['observedGeneration'], 4);
    // A cluster that never reported.
    entries = memberObjectStatuses(placed, states([['eu', member(4), 5], ['us', member(2), 5], ['ap', undefined, 5]]), gen);
    assert.equal(aggregateDeployment(prev, placed, entries, NOW)['observedGeneration'], 4);
    // A refused apply.
    entries = memberObjectStatuses(placed, states([['eu', member(4), 5], ['us', member(2), 5], ['ap', member(2), 5, 'exists and not managed']]), gen);
    const refused = aggregateDeployment(prev, placed, entries, NOW);
    assert.equal(refused['observedGeneration'], 4);
    assert.equal((refused['conditions'] as { type: string; reason: string }[]).find((c) => c.type === 'Progressing')!.reason, 'ApplyFailed');
    assert.equal(entries.find((e) => e.cluster === 'ap')!.lastError, 'exists and not managed');
    // Everyone caught up.
    entries = memberObjectStatuses(placed, states([['eu', member(4, { available: 'True' }), 5], ['us', member(2, { available: 'True' }), 5], ['ap', member(2, { available: 'True' }), 5]]), gen);
    const done = aggregateDeployment(prev, placed, entries, NOW);
    assert.equal(done['observedGeneration'], 5);
    const conditions = done['conditions'] as { type: string; status: string; reason: string }[];
    assert.equal(conditions.find((c) => c.type === 'Available')!.status, 'True');
    assert.equal(conditions.find((c) => c.type === 'Progressing')!.reason, 'NewReplicaSetAvailable');
  });

  it('a failed-over cluster holding its copy does not count in the aggregate', () => {
    const withHeld: PlacedCluster[] = [{ name: 'eu', replicas: 6, target: true }, { name: 'us', replicas: 2, target: true }, { name: 'ap', replicas: 2, target: false }];
    const entries = memberObjectStatuses(withHeld, states([['eu', member(6), 1], ['us', member(2), 1]]), 1);
    const agg = aggregateDeployment(deploy(1), withHeld, entries, NOW);
    assert.equal(agg['replicas'], 8);
    assert.equal(agg['observedGeneration'], 1);
  });

  it('keeps a condition\'s transition time while its status does not change', () => {
    const entries = memberObjectStatuses(placed, states([['eu', member(4), 1], ['us', member(2), 1], ['ap', member(2), 1]]), 1);
    const first = aggregateDeployment(deploy(1), placed, entries, NOW);
    const second = aggregateDeployment(deploy(1, first), placed, entries, '2026-01-01T00:05:00.000Z');
    assert.deepEqual(second['conditions'], first['conditions']);
  });

  it('Jobs: counts summed, Complete only when every cluster completed', () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', generation: 1 } };
    const jp: PlacedCluster[] = [{ name: 'eu', target: true }, { name: 'us', target: true }];
    const report = (status: unknown): ClusterObjectState['report'] => ({ status, generation: 1, observedGeneration: 1, time: 0 });
    const complete = { succeeded: 1, active: 0, failed: 0, completionTime: '2026-01-01T00:02:00Z', startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Complete', status: 'True' }] };
    let entries = memberObjectStatuses(jp, states([['eu', report(complete), 1], ['us', report({ active: 1, failed: 1, startTime: '2025-12-31T23:59:00Z' }), 1]]), 1);
    let agg = aggregateJob(job, jp, entries, NOW);
    assert.deepEqual([agg['active'], agg['succeeded'], agg['failed']], [1, 1, 1]);
    assert.equal(agg['startTime'], '2025-12-31T23:59:00Z');
    assert.equal(agg['conditions'], undefined);
    entries = memberObjectStatuses(jp, states([['eu', report(complete), 1], ['us', report({ ...complete, completionTime: '2026-01-01T00:03:00Z' }), 1]]), 1);
    agg = aggregateJob(job, jp, entries, NOW);
    assert.equal((agg['conditions'] as { type: string }[])[0]!.type, 'Complete');
    assert.equal(agg['completionTime'], '2026-01-01T00:03:00Z');
  });

  it('Services: the union of the members\' load-balancer ingresses', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };
    const sp: PlacedCluster[] = [{ name: 'eu', target: true }, { name: 'us', target: true }];
    const report = (ips: string[]): ClusterObjectState['report'] => ({ status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } }, generation: 1, observedGeneration: 1, time: 0 });
    const entries = memberObjectStatuses(sp, states([['eu', report(['127.0.1.1', '127.0.1.2']), 1], ['us', report(['127.0.2.1', '127.0.1.1']), 1]]), 1);
    assert.deepEqual(aggregateService(svc, sp, entries), { loadBalancer: { ingress: [{ ip: '127.0.1.1' }, { ip: '127.0.1.2' }, { ip: '127.0.2.1' }] } });
    assert.deepEqual(aggregateService(svc, sp, []), { loadBalancer: {} });
  });
});
