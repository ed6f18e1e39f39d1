import assert from 'node:assert/strict';
import { builtinResources } from '../../../apimachinery/index.js';
import { describeObject } from '../../../cli/describers.js';
import { LAST_APPLIED_ANNOTATION } from '../../../cli/three-way-merge.js';

const find = (plural: string) => builtinResources.find((r) => r.plural === plural)!;
const now = Date.parse('2024-01-01T01:00:00Z');

describe('cli/describers', () => {
  it('describes a federated Deployment: metadata, replicas, pod template, placement, member clusters, conditions', () => {
    const text = describeObject(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { [LAST_APPLIED_ANNOTATION]: '{}', note: 'x' }, creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }] } },
        },
        status: {
          replicas: 3,
          updatedReplicas: 3,
          availableReplicas: 2,
          unavailableReplicas: 1,
          placement: { policy: 'shop/web', clusters: [{ name: 'eu', replicas: 2 }, { name: 'us', replicas: 1 }], excluded: [{ name: 'ap', reason: 'cluster is not Ready' }], failover: [] },
          clusters: [
            { cluster: 'eu', replicas: 2, applied: true, synced: true, status: { readyReplicas: 2 } },
            { cluster: 'us', replicas: 1, applied: false, synced: false, lastError: 'quota exceeded', reason: 'Forbidden' },
          ],
          conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: '2 of 3 replicas available' }],
        },
      },
      find('deployments'),
      now,
    );
    assert.match(text, /^Name:\s+web$/m);
    assert.match(text, /^Namespace:\s+shop$/m);
    assert.match(text, /^Annotations:\s+note=x$/m, 'the last-applied annotation is left out');
    assert.doesNotMatch(text, /last-applied/);
    assert.match(text, /\(60m ago\)/);
    assert.match(text, /^Replicas:\s+3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable$/m);
    assert.match(text, /^\s+Image:\s+nginx:1$/m);
    assert.match(text, /^\s+Environment:\s+A=1$/m);
    assert.match(text, /^\s+Policy:\s+shop\/web$/m);
    assert.match(text, /^\s+Clusters:\s+eu \(2 replicas\), us \(1 replica\)$/m);
    assert.match(text, /^\s+Excluded:\s+ap: cluster is not Ready$/m);
    assert.match(text, /^\s+eu\s+2\s+True\s+True\s+2\/2\s/m);
    assert.match(text, /^\s+us\s+1\s+False\s+False\s+0\/1\s+-\s+Forbidden: quota exceeded$/m);
    assert.match(text, /^\s+Available\s+False\s+MinimumReplicasUnavailable\s+2 of 3 replicas available$/m);
  });

  it('never prints Secret values, only their sizes', () => {
    const text = describeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'Opaque', data: { password: Buffer.from('hunter22').toString('base64') } }, find('secrets'), now);
    assert.match(text, /^password:\s+8 bytes$/m);
    assert.doesNotMatch(text, /hunter22|aHVudGVyMjI/);
  });

  it('describes a Cluster with its resources, and other kinds by their spec and status', () => {
    const cluster = describeObject(
      {
        apiVersion: 'cluster.fedgate.io/v1alpha1',
        kind: 'Cluster',
        metadata: { name: 'eu' },
        spec: { region: 'eu', zone: 'eu-1', apiEndpoint: 'http://127.0.0.1:10443' },
        status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Heartbeat' }], nodes: { ready: 2, total: 3 }, capacity: { cpu: '8', memory: '16Gi' }, allocatable: { cpu: '7' } },
      },
      find('clusters'),
      now,
    );
    assert.match(cluster, /^API Endpoint:\s+http:\/\/127\.0\.0\.1:10443$/m);
    assert.match(cluster, /^Nodes:\s+2 ready of 3$/m);
    assert.match(cluster, /^\s+cpu\s+8\s+7\s+-$/m);
    assert.match(cluster, /^\s+Ready\s+True\s+Heartbeat$/m);

    const policy = describeObject({ apiVersion: 'policy.fedgate.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'p', namespace: 'n' }, spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] }, status: { observed: 1 } }, find('propagationpolicies'), now);
    assert.match(policy, /^Kind:\s+PropagationPolicy$/m);
    assert.match(policy, /^Spec:\n\s+resourceSelectors:\n\s+- apiVersion: apps\/v1$/m);
    assert.match(policy, /^Status:\n\s+observed: 1$/m);
  });
});
