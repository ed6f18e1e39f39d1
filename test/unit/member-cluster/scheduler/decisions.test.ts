import assert from 'node:assert/strict';
import {
  buildNodeInfos,
  filterNode,
  findUntoleratedTaint,
  needsScheduling,
  podRequests,
  resourceFitFilter,
  schedulePod,
  toleratesTaint,
  unschedulableMessage,
} from '../../../../member-cluster/scheduler/index.js';
import type { Node, Pod } from '../../../../member-cluster/api-types.js';
import { makeNode, makePod } from './objects.js';

const small = { cpu: '1', memory: '1Gi', pods: '110' };

function decide(pod: Pod, nodes: Node[], pods: Pod[] = []) {
  return schedulePod(pod, buildNodeInfos(nodes, pods).values());
}

describe('scheduler decisions', () => {
  it('computes pod requests as Kubernetes: max(init containers, sum of containers), limits as default requests, one pod slot', () => {
    const pod = makePod('p', { cpu: '250m', memory: '100Mi' }, { extraContainers: [{ cpu: '250m' }], initRequests: [{ cpu: '2' }, { memory: '50Mi' }] });
    assert.deepEqual(podRequests(pod.spec), { cpu: 2000, memory: 100 * 2 ** 20, pods: 1 });
    const limitsOnly = makePod('l');
    limitsOnly.spec.containers[0]!.resources = { limits: { cpu: '300m' }, requests: { memory: '1Mi' } };
    assert.deepEqual(podRequests(limitsOnly.spec), { cpu: 300, memory: 2 ** 20, pods: 1 });
    assert.deepEqual(podRequests({ containers: [{ name: 'a' }] }), { pods: 1 });
  });

  it('fits requests against allocatable minus bound pods, ignoring finished pods and pods of other nodes', () => {
    const nodes = [makeNode('n1', { cpu: '1', memory: '1Gi', pods: '3' })];
    const bound = [
      makePod('a', { cpu: '600m' }, { nodeName: 'n1' }),
      makePod('done', { cpu: '900m' }, { nodeName: 'n1', phase: 'Succeeded' }),
      makePod('failed', { cpu: '900m' }, { nodeName: 'n1', phase: 'Failed' }),
      makePod('elsewhere', { cpu: '900m' }, { nodeName: 'n2' }),
      makePod('pending', { cpu: '900m' }),
    ];
    const info = buildNodeInfos(nodes, bound).get('n1')!;
    assert.deepEqual(info.requested, { cpu: 600, pods: 1 });
    const req = (r: Record<string, string>) => podRequests(makePod('x', r).spec);
    assert.deepEqual(resourceFitFilter(makePod('x').spec, req({ cpu: '400m' }), info), []);
    assert.deepEqual(resourceFitFilter(makePod('x').spec, req({ cpu: '401m' }), info), ['Insufficient cpu']);
    assert.deepEqual(resourceFitFilter(makePod('x').spec, req({ cpu: '2', memory: '2Gi' }), info), ['Insufficient cpu', 'Insufficient memory']);
    assert.deepEqual(resourceFitFilter(makePod('x').spec, req({ 'example.com/gpu': '1' }), info), ['Insufficient example.com/gpu']);
    const full = buildNodeInfos(nodes, [1, 2, 3].map((i) => makePod(`p${i}`, {}, { nodeName: 'n1' }))).get('n1')!;
    assert.deepEqual(resourceFitFilter(makePod('x').spec, req({}), full), ['Too many pods']);
  });

  it('filters not-ready and cordoned nodes, and nodeSelector mismatches', () => {
    const nodes = [
      makeNode('down', small, { ready: false }),
      makeNode('cordoned', small, { unschedulable: true }),
      makeNode('ssd', small, { labels: { disk: 'ssd' } }),
      makeNode('hdd', small, { labels: { disk: 'hdd' } }),
    ];
    const infos = buildNodeInfos(nodes, []);
    const pod = makePod('p', {}, { nodeSelector: { disk: 'ssd' } });
    const req = podRequests(pod.spec);
    assert.deepEqual(filterNode(pod.spec, req, infos.get('down')!), ['node(s) were not ready']);
    assert.deepEqual(filterNode(pod.spec, req, infos.get('cordoned')!), ['node(s) were unschedulable']);
    assert.deepEqual(filterNode(pod.spec, req, infos.get('hdd')!), ["node(s) didn't match Pod's node affinity/selector"]);
    assert.deepEqual(filterNode(pod.spec, req, infos.get('ssd')!), []);
    const r = decide(pod, nodes);
    assert.equal(r.nodeName, 'ssd');
    const nowhere = decide(makePod('q', {}, { nodeSelector: { disk: 'nvme' } }), nodes);
    assert.equal(
      nowhere.nodeName === undefined && nowhere.message,
      "0/4 nodes are available: 1 node(s) were not ready, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector.",
    );
  });

  it('matches tolerations to taints: Equal, Exists, empty key with Exists, effects; PreferNoSchedule never blocks', () => {
    const t = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, t), true);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu' }, t), true);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, t), false);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, t), true);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, t), false);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, t), true);
    assert.equal(toleratesTaint({ operator: 'Exists' }, t), true);
    assert.equal(toleratesTaint({ operator: 'Equal', value: 'gpu' }, t), false);
    assert.equal(toleratesTaint({ key: 'other', operator: 'Exists' }, t), false);
    const taints = [
      { key: 'soft', effect: 'PreferNoSchedule' as const },
      { key: 'evict', value: 'yes', effect: 'NoExecute' as const },
    ];
    assert.deepEqual(findUntoleratedTaint(taints, []), taints[1]);
    assert.equal(findUntoleratedTaint(taints, [{ key: 'evict', operator: 'Exists' }]), undefined);

    const nodes = [makeNode('a', small, { taints: [t] }), makeNode('b', small, { taints: [taints[1]!] })];
    const r = decide(makePod('p'), nodes);
    assert.equal(
      r.nodeName === undefined && r.message,
      '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {evict: yes}.',
    );
    assert.equal(decide(makePod('p', {}, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), nodes).nodeName, 'a');
    assert.equal(decide(makePod('p', {}, { tolerations: [{ operator: 'Exists' }] }), nodes).nodeName, 'a');
  });

  it('explains an oversized pod as kube-scheduler does', () => {
    const nodes = ['n0', 'n1', 'n2'].map((n) => makeNode(n, small));
    const r = decide(makePod('big', { cpu: '2' }), nodes);
    assert.equal(r.nodeName, undefined);
    assert.equal(r.nodeName === undefined && r.message, '0/3 nodes are available: 3 Insufficient cpu.');
    assert.equal(unschedulableMessage(0, new Map()), 'no nodes available to schedule pods');
    assert.equal(
      unschedulableMessage(3, new Map([['a', ['Insufficient memory', 'Insufficient cpu']], ['b', ['Insufficient cpu']], ['c', ['Too many pods']]])),
      '0/3 nodes are available: 1 Insufficient memory, 1 Too many pods, 2 Insufficient cpu.',
    );
  });

  it('spreads replicas of one owner first, then prefers the least allocated node, then the node name', () => {
    const nodes = ['n0', 'n1', 'n2'].map((n) => makeNode(n, { cpu: '4', memory: '8Gi', pods: '110' }));
    // Equal nodes: the name decides.
    assert.equal(decide(makePod('p', { cpu: '1' }), nodes).nodeName, 'n0');
    // Least allocated wins when owners do not differ.
    const busy = [makePod('x', { cpu: '2' }, { nodeName: 'n0' }), makePod('y', { cpu: '1' }, { nodeName: 'n1' })];
    assert.equal(decide(makePod('p', { cpu: '1' }), nodes, busy).nodeName, 'n2');
    // Spread beats free room: n2 is emptiest but already runs a replica of the same owner.
    const replicas = [
      makePod('r0', { cpu: '100m' }, { nodeName: 'n2', owner: 'web' }),
      makePod('big0', { cpu: '3' }, { nodeName: 'n0' }),
      makePod('big1', { cpu: '2' }, { nodeName: 'n1' }),
    ];
    assert.equal(decide(makePod('r1', { cpu: '100m' }, { owner: 'web' }), nodes, replicas).nodeName, 'n1');
    // A pod of another owner is not pushed away by them.
    assert.equal(decide(makePod('o', { cpu: '100m' }, { owner: 'api' }), nodes, replicas).nodeName, 'n2');
    // Placing replicas one by one spreads them evenly, whatever the order of nodes.
    const placed: Pod[] = [];
    for (let i = 0; i < 6; i++) {
      const pod = makePod(`w${i}`, { cpu: '100m' }, { owner: 'web' });
      const r = decide(pod, [...nodes].reverse(), placed);
      assert.ok(r.nodeName);
      placed.push({ ...pod, spec: { ...pod.spec, nodeName: r.nodeName } });
    }
    const perNode = ['n0', 'n1', 'n2'].map((n) => placed.filter((p) => p.spec.nodeName === n).length);
    assert.deepEqual(perNode, [2, 2, 2]);
    assert.deepEqual(placed.slice(0, 3).map((p) => p.spec.nodeName), ['n0', 'n1', 'n2']);
  });

  it('schedules only unbound, live pods meant for the default scheduler', () => {
    assert.equal(needsScheduling(makePod('a')), true);
    assert.equal(needsScheduling(makePod('b', {}, { nodeName: 'n' })), false);
    assert.equal(needsScheduling(makePod('c', {}, { phase: 'Failed' })), false);
    const deleting = makePod('d');
    deleting.metadata.deletionTimestamp = new Date().toISOString();
    assert.equal(needsScheduling(deleting), false);
    const other = makePod('e');
    (other.spec as { schedulerName?: string }).schedulerName = 'my-scheduler';
    assert.equal(needsScheduling(other), false);
    (other.spec as { schedulerName?: string }).schedulerName = 'default-scheduler';
    assert.equal(needsScheduling(other), true);
  });
});
