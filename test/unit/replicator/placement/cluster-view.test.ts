import assert from 'node:assert/strict';
import type { Cluster } from '../../../../apimachinery/index.js';
import { clusterViewOf } from '../../../../replicator/placement/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

describe('replicator/placement/cluster-view', () => {
  it('reads the fields placement decides on', () => {
    const cluster: Cluster = {
      apiVersion: 'cluster.fedgate.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'eu-west', labels: { env: 'prod' } },
      spec: { region: 'eu', zone: 'eu-west-1', provider: 'onprem', weight: 3, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        available: { cpu: '1500m', memory: '1Gi', pods: '10' },
        nodeSummaries: [{ name: 'n1', ready: true, allocatable: { cpu: '2' }, free: { cpu: '1500m' } }],
      },
    };
    const view = clusterViewOf(cluster, NOW);
    assert.deepEqual(view, {
      name: 'eu-west',
      labels: { env: 'prod' },
      region: 'eu',
      zone: 'eu-west-1',
      provider: 'onprem',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      ready: true,
      weight: 3,
      available: { cpu: 1500, memory: 1024 ** 3, pods: 10 },
      nodes: [{ name: 'n1', ready: true, allocatable: { cpu: '2' }, free: { cpu: '1500m' } }],
    });
    // The view shares nothing with the Cluster.
    view.labels['env'] = 'changed';
    assert.equal(cluster.metadata.labels!['env'], 'prod');
  });

  it('defaults the weight to 1 and marks NotReady since the last transition', () => {
    const view = clusterViewOf(
      {
        apiVersion: 'cluster.fedgate.io/v1alpha1',
        kind: 'Cluster',
        metadata: { name: 'us' },
        status: { conditions: [{ type: 'Ready', status: 'Unknown', lastTransitionTime: '2024-05-01T11:59:00Z' }] },
      },
      NOW,
    );
    assert.equal(view.weight, 1);
    assert.equal(view.ready, false);
    assert.equal(view.notReadySince, NOW - 60_000);
  });

  it('counts a cluster without a Ready condition as NotReady since now', () => {
    const view = clusterViewOf({ apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name: 'ap' } }, NOW);
    assert.equal(view.ready, false);
    assert.equal(view.notReadySince, NOW);
    assert.equal(view.available, undefined);
  });
});
