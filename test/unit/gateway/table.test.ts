import assert from 'node:assert/strict';
import { builtinResources, memberResources, ResourceRegistry, type KubeObject } from '../../../apimachinery/index.js';
import { humanDuration, parseIncludeObject, printerFor, tableFor, type TableOptions } from '../../../gateway/index.js';

const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const opts = (o: Partial<TableOptions> = {}): TableOptions => ({ includeObject: 'Metadata', now: NOW, federated: false, version: 'v1', ...o });

function rowOf(resource: string, obj: KubeObject, o: Partial<TableOptions> = {}): Record<string, unknown> {
  const table = tableFor(registry.resolve(resource)!, [obj], opts(o));
  return Object.fromEntries(table.columnDefinitions.map((c, i) => [c.name, table.rows[0]!.cells[i]]));
}

describe('Table printing', () => {
  it('formats ages as kubectl does', () => {
    const cases: [number, string][] = [
      [0, '0s'], [59, '59s'], [119, '119s'], [120, '2m'], [200, '3m20s'], [600, '10m'], [3 * 3600 - 1, '179m'],
      [3 * 3600, '3h'], [5 * 3600 + 180, '5h3m'], [20 * 3600, '20h'], [3 * 86400 + 4 * 3600, '3d4h'], [30 * 86400, '30d'],
      [800 * 86400, '2y70d'], [9 * 365 * 86400, '9y'],
    ];
    for (const [s, text] of cases) assert.equal(humanDuration(s * 1000), text, `${s}s`);
    assert.equal(humanDuration(-500), '0s');
    assert.equal(humanDuration(-5000), '<invalid>');
  });

  it('prints Deployments with READY, UP-TO-DATE, AVAILABLE, AGE, and containers, images, selector when wide', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', creationTimestamp: ago(300) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'fluent:2' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const table = tableFor(registry.resolve('deploy')!, [d], opts());
    assert.deepEqual(table.columnDefinitions.map((c) => `${c.name}${c.priority ? '*' : ''}`), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']);
    assert.deepEqual(table.rows[0]!.cells, ['web', '2/3', 3, 2, '5m', 'web,log', 'nginx:1.27,fluent:2', 'app=web']);
    assert.deepEqual(table.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: d.metadata });
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  });

  it('includes the whole object, its metadata or nothing, as includeObject says', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } };
    const r = registry.resolve('cm')!;
    assert.deepEqual(tableFor(r, [cm], opts({ includeObject: 'Object' })).rows[0]!.object, cm);
    assert.equal(tableFor(r, [cm], opts({ includeObject: 'None' })).rows[0]!.object, undefined);
    assert.equal(parseIncludeObject(undefined), 'Metadata');
    assert.throws(() => parseIncludeObject('All'), /unrecognized includeObject/);
    assert.equal(rowOf('cm', cm)['Data'], 2);
  });

  it('prints Services with type, addresses and ports', () => {
    const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', creationTimestamp: ago(10) }, spec, status });
    assert.deepEqual(rowOf('svc', svc({ clusterIP: '10.0.0.5', ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } })), {
      Name: 's', Type: 'ClusterIP', 'Cluster-IP': '10.0.0.5', 'External-IP': '<none>', 'Port(s)': '80/TCP,53/UDP', Age: '10s', Selector: 'app=web',
    });
    assert.equal(rowOf('svc', svc({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] }))['External-IP'], '<pending>');
    const lb = rowOf('svc', svc({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '127.0.0.9' }] } }));
    assert.equal(lb['External-IP'], '127.0.0.9');
    assert.equal(lb['Port(s)'], '80:30080/TCP');
  });

  it('prints Pods with readiness, the waiting reason, restarts and the node', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', creationTimestamp: ago(3600) },
      spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        podIP: '10.1.0.4',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          { name: 'b', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } },
        ],
      },
    };
    const row = rowOf('po', pod);
    assert.deepEqual([row['Ready'], row['Status'], row['Restarts'], row['Age'], row['IP'], row['Node']], ['1/2', 'CrashLoopBackOff', '3 (90s ago)', '60m', '10.1.0.4', 'n1']);
    assert.equal(rowOf('po', { ...pod, metadata: { ...pod.metadata, deletionTimestamp: ago(1) } })['Status'], 'Terminating');
  });

  it('prints Clusters from their status, and federated templates with where they run', () => {
    const cluster = {
      apiVersion: 'cluster.fedgate.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'eu-west', creationTimestamp: ago(86400 * 2) },
      spec: { region: 'eu', weight: 2 },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodes: { ready: 3, total: 3 }, allocatable: { cpu: '12' }, available: { cpu: '9500m' } },
    };
    const row = rowOf('clusters', cluster);
    assert.deepEqual([row['Name'], row['Ready'], row['Region'], row['Weight'], row['Nodes'], row['Age'], row['CPU']], ['eu-west', 'True', 'eu', 2, '3/3', '2d', '9500m/12']);
    assert.equal(rowOf('clusters', { ...cluster, status: {} })['Ready'], 'Unknown');

    const template = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: ago(5) },
      spec: { replicas: 3 },
      status: {
        readyReplicas: 2,
        clusters: [
          { cluster: 'eu-west', replicas: 2, applied: true, status: { readyReplicas: 2 } },
          { cluster: 'us-east', replicas: 1, applied: false },
          { cluster: 'ap-south', applied: false, lastError: 'refused' },
        ],
      },
    };
    const names = printerFor(registry.resolve('deploy')!, true).columns.map((c) => c.definition.name);
    assert.deepEqual(names.slice(0, 6), ['Name', 'Ready', 'Up-to-date', 'Available', 'Clusters', 'Age']);
    assert.equal(rowOf('deploy', template, { federated: true })['Clusters'], 'eu-west 2/2, us-east 0/1, ap-south error');
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {}, status: { clusters: [{ cluster: 'a', applied: true }, { cluster: 'b', applied: false }] } };
    assert.equal(rowOf('svc', svc, { federated: true })['Clusters'], 'a, b pending');
    assert.equal(rowOf('svc', { ...svc, status: {} }, { federated: true })['Clusters'], '<none>');
    assert.equal(rowOf('deploy', template)['Clusters'], undefined, 'a member shows no CLUSTERS column');
  });

  it('prints policies and kinds without a printer of their own', () => {
    const pp = {
      apiVersion: 'policy.fedgate.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'web', creationTimestamp: ago(1) },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, { apiVersion: 'v1', kind: 'Service', labelSelector: { matchLabels: { app: 'web' } } }],
        placement: { clusterAffinity: { clusterNames: ['eu-west', 'us-east'] }, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' } },
      },
    };
    const row = rowOf('pp', pp);
    assert.deepEqual([row['Resources'], row['Placement'], row['Clusters']], ['Deployment/web, Service(app=web)', 'Divided(Weighted)', 'eu-west,us-east']);
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r', creationTimestamp: ago(1) }, revision: 4 };
    assert.equal(rowOf('controllerrevisions', cr)['Revision'], 4);
    assert.deepEqual(printerFor({ group: 'example.com', plural: 'widgets' }).columns.map((c) => c.definition.name), ['Name', 'Age']);
  });
});
