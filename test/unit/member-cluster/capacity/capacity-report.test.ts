import assert from 'node:assert/strict';
import { builtinResources, memberResources, ResourceRegistry, storeKey } from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../../../controller/index.js';
import type { Endpoints, Service } from '../../../../member-cluster/api-types.js';
import { CapacityReader, capacityReport, fitCount } from '../../../../member-cluster/capacity/index.js';
import { openStore } from '../../../../store/index.js';
import { makeNode, makePod } from '../scheduler/objects.js';

const big = { cpu: '4', memory: '8Gi', pods: '110' };

function service(namespace: string, name: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { ports: [{ port: 80 }] } };
}

function endpoints(namespace: string, name: string, subsets: Endpoints['subsets']): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace, name }, subsets };
}

describe('capacity report', () => {
  it('sums capacity over all nodes and available over Ready schedulable nodes, minus requests of pods holding resources', () => {
    const nodes = [
      makeNode('n0', big),
      makeNode('n1', big),
      makeNode('down', big, { ready: false }),
      makeNode('cordoned', big, { unschedulable: true }),
    ];
    const pods = [
      makePod('a', { cpu: '1500m', memory: '1Gi' }, { nodeName: 'n0' }),
      makePod('b', { cpu: '500m' }, { nodeName: 'n1' }),
      makePod('finished', { cpu: '3' }, { nodeName: 'n1', phase: 'Succeeded' }),
      makePod('pending', { cpu: '3' }),
      makePod('on-down', { cpu: '1' }, { nodeName: 'down' }),
      // Overcommitted node counts 0, never negative.
    ];
    const r = capacityReport(nodes, pods, [], []);
    assert.deepEqual(r.capacity, { cpu: '16', memory: '32Gi', pods: '440' });
    assert.deepEqual(r.allocatable, { cpu: '16', memory: '32Gi', pods: '440' });
    assert.deepEqual(r.available, { cpu: '6', memory: '15Gi', pods: '218' });
    assert.deepEqual(r.nodes, { ready: 3, total: 4 });

    const over = capacityReport([makeNode('n', { cpu: '1', memory: '1Gi', pods: '10' })], [makePod('x', { cpu: '2' }, { nodeName: 'n' })], [], []);
    assert.deepEqual(over.available, { cpu: '0', memory: '1Gi', pods: '9' });
  });

  it('counts distinct ready and total endpoint addresses per Service', () => {
    const services = [service('shop', 'web'), service('shop', 'api'), service('kube-system', 'dns'), service('a', 'lonely')];
    const eps = [
      endpoints('shop', 'web', [
        { addresses: [{ ip: '127.1.0.2' }, { ip: '127.1.0.3' }], notReadyAddresses: [{ ip: '127.1.0.4' }], ports: [{ name: 'http', port: 8080 }] },
        { addresses: [{ ip: '127.1.0.2' }], ports: [{ name: 'metrics', port: 9090 }] },
      ]),
      endpoints('shop', 'api', [{ notReadyAddresses: [{ ip: '127.1.0.9' }], ports: [{ port: 80 }] }]),
    ];
    const r = capacityReport([], [], services, eps, { excludeNamespaces: ['kube-system'] });
    assert.deepEqual(r.services, [
      { namespace: 'a', name: 'lonely', readyEndpoints: 0, totalEndpoints: 0 },
      { namespace: 'shop', name: 'api', readyEndpoints: 0, totalEndpoints: 1 },
      { namespace: 'shop', name: 'web', readyEndpoints: 2, totalEndpoints: 3 },
    ]);
  });

  it('counts how many more replicas fit node by node, with the scheduler filters', () => {
    const nodes = [
      makeNode('n0', { cpu: '2', memory: '4Gi', pods: '110' }, { labels: { zone: 'a' } }),
      makeNode('n1', { cpu: '2', memory: '4Gi', pods: '3' }, { labels: { zone: 'a' } }),
      makeNode('n2', { cpu: '8', memory: '64Gi', pods: '110' }, { labels: { zone: 'b' } }),
      makeNode('tainted', big, { labels: { zone: 'a' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
      makeNode('down', big, { labels: { zone: 'a' }, ready: false }),
    ];
    const pods = [makePod('a', { cpu: '500m', memory: '1Gi' }, { nodeName: 'n0' }), makePod('b', { cpu: '100m' }, { nodeName: 'n1' })];
    const template = makePod('t', { cpu: '500m', memory: '512Mi' }).spec;
    // n0: cpu 1500/500 = 3; n1: cpu 1900/500 = 3 but pods 3-1 = 2; n2: cpu 16; tainted: untolerated; down: not ready.
    assert.deepEqual(fitCount(template, nodes, pods), { total: 21, perNode: { n0: 3, n1: 2, n2: 16, tainted: 0, down: 0 } });
    const tolerant = { ...template, tolerations: [{ key: 'gpu', operator: 'Exists' as const }] };
    assert.deepEqual(fitCount(tolerant, nodes, pods), { total: 29, perNode: { n0: 3, n1: 2, n2: 16, tainted: 8, down: 0 } });
    const zoneA = { ...tolerant, nodeSelector: { zone: 'a' } };
    assert.deepEqual(fitCount(zoneA, nodes, pods), { total: 13, perNode: { n0: 3, n1: 2, n2: 0, tainted: 8, down: 0 } });
    // A pod without requests is limited by the pods count alone.
    assert.equal(fitCount(makePod('e').spec, [nodes[1]!], pods).total, 2);
  });

  it('reads the report from the informers', async () => {
    const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
    const store = await openStore('sqlite::memory:');
    const informers = new SharedInformerFactory(store, registry, { logger: silentLogger });
    try {
      const put = (plural: string, obj: { metadata: { namespace?: string; name?: string } }) =>
        store.create(storeKey(registry.resolve(plural)!, obj.metadata.namespace, obj.metadata.name!), JSON.stringify(obj));
      await put('nodes', makeNode('n0', { cpu: '2', memory: '2Gi', pods: '10' }));
      await put('pods', makePod('p', { cpu: '1' }, { nodeName: 'n0' }));
      await put('services', service('shop', 'web'));
      await put('endpoints', endpoints('shop', 'web', [{ addresses: [{ ip: '127.1.0.5' }], ports: [{ port: 80 }] }]));
      const reader = new CapacityReader(informers);
      assert.equal(reader.hasSynced(), false);
      informers.start();
      await informers.waitForSync();
      assert.equal(reader.hasSynced(), true);
      const r = reader.report();
      assert.deepEqual(r.available, { cpu: '1', memory: '2Gi', pods: '9' });
      assert.deepEqual(r.services, [{ namespace: 'shop', name: 'web', readyEndpoints: 1, totalEndpoints: 1 }]);
      assert.equal(reader.fitCount(makePod('t', { cpu: '300m' }).spec).total, 3);
    } finally {
      informers.stop();
      await store.close();
    }
  });
});
