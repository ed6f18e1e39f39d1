import assert from 'node:assert/strict';
import type { DaemonSet, Node, Pod } from '../../../../member-cluster/api-types.js';
import { DaemonSetController, toleratesTaint } from '../../../../member-cluster/controllers/daemonset.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

function node(name: string, labels: Record<string, string>, spec: Node['spec'] = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec };
}

describe('member-cluster/controllers/daemonset', () => {
  let f: Fixture;
  let c: DaemonSetController;
  beforeEach(async () => {
    f = await newFixture();
    c = new DaemonSetController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    c.writer.close();
    await f.close();
  });

  const reconcile = async (): Promise<void> => {
    await c.reconcile('kube-system/agent');
    await f.settle();
  };
  const podsByNode = async (): Promise<string[]> => (await f.list<Pod>('pods', 'kube-system')).map((p) => p.spec.nodeName ?? '?').sort();

  it('runs one pod per matching node, honouring nodeSelector, taints and unschedulable', async () => {
    await f.create(node('n0', { disk: 'ssd' }));
    await f.create(node('n1', { disk: 'ssd' }, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    await f.create(node('n2', { disk: 'hdd' }));
    await f.create(node('n3', { disk: 'ssd' }, { unschedulable: true }));
    await f.create(node('n4', { disk: 'ssd' }, { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }));
    const spec = template({ app: 'agent' });
    spec.spec.nodeSelector = { disk: 'ssd' };
    const ds = await f.create<DaemonSet>({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: spec },
    });
    await reconcile();
    assert.deepEqual(await podsByNode(), ['n0', 'n4']);
    const pods = await f.list<Pod>('pods', 'kube-system');
    assert.ok(pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid && p.metadata.labels?.['app'] === 'agent'));
    let status = (await f.get<DaemonSet>('daemonsets', 'kube-system', 'agent'))!.status!;
    assert.deepEqual([status.desiredNumberScheduled, status.currentNumberScheduled, status.numberReady], [2, 2, 0]);
    // Tolerating the taint adds n1; a pod is not duplicated on a second pass.
    await f.update<DaemonSet>('daemonsets', 'kube-system', 'agent', (d) => {
      d.spec.template.spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
    });
    await reconcile();
    await reconcile();
    const byNode = await podsByNode();
    assert.deepEqual([...new Set(byNode)], ['n0', 'n1', 'n4']);
    assert.equal(byNode.length, 3);
    // The node loses its label: its pod goes.
    await f.update<Node>('nodes', undefined, 'n0', (n) => {
      n.metadata.labels = { disk: 'hdd' };
    });
    await reconcile();
    assert.deepEqual(await podsByNode(), ['n1', 'n4']);
    for (const p of await f.list<Pod>('pods', 'kube-system')) await f.setPod(p, { ready: true, ip: '127.1.0.7' });
    await reconcile();
    status = (await f.get<DaemonSet>('daemonsets', 'kube-system', 'agent'))!.status!;
    assert.deepEqual([status.desiredNumberScheduled, status.currentNumberScheduled, status.numberReady, status.numberMisscheduled], [2, 2, 2, 0]);
  });

  it('matches tolerations like Kubernetes', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoExecute' as const };
    assert.equal(toleratesTaint([{ operator: 'Exists' }], taint), true);
    assert.equal(toleratesTaint([{ key: 'k', operator: 'Exists', effect: 'NoExecute' }], taint), true);
    assert.equal(toleratesTaint([{ key: 'k', operator: 'Equal', value: 'w' }], taint), false);
    assert.equal(toleratesTaint([{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }], taint), false);
    assert.equal(toleratesTaint(undefined, taint), false);
  });
});
