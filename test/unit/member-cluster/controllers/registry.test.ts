import assert from 'node:assert/strict';
import type { Deployment, Pod, ReplicaSet } from '../../../../member-cluster/api-types.js';
import { controllerDescriptors, startControllers } from '../../../../member-cluster/controllers/index.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

describe('member-cluster/controllers/registry', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await newFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('lists every controller once', () => {
    const names = controllerDescriptors.map((d) => d.name);
    assert.deepEqual(names, ['deployment', 'replicaset', 'job', 'daemonset', 'statefulset', 'endpoints', 'garbage-collector', 'namespace']);
  });

  it('switches controllers on and off by name and rejects unknown names', async () => {
    const some = startControllers(f.ctx, ['*', '-job', '-daemonset']);
    assert.deepEqual(some.names, ['deployment', 'replicaset', 'statefulset', 'endpoints', 'garbage-collector', 'namespace']);
    await some.stop();
    const one = startControllers(f.ctx, ['endpoints']);
    assert.deepEqual(one.names, ['endpoints']);
    await one.stop();
    assert.throws(() => startControllers(f.ctx, ['nope']), /unknown controller "nope"/);
  });

  it('runs a Deployment to ready pods end to end with the runners (pods marked ready by the test)', async () => {
    const running = startControllers(f.ctx);
    f.ctx.informers.start();
    try {
      await f.create<Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) },
      });
      let pods: Pod[] = [];
      for (let i = 0; i < 200 && pods.length < 2; i++) {
        await f.settle();
        pods = await f.list<Pod>('pods', 'default');
      }
      assert.equal(pods.length, 2);
      for (const p of pods) await f.setPod(p, { nodeName: 'm1-node-0', ip: '127.1.0.5', ready: true });
      let d: Deployment | undefined;
      for (let i = 0; i < 200 && d?.status?.availableReplicas !== 2; i++) {
        await f.settle();
        d = await f.get<Deployment>('deployments', 'default', 'web');
      }
      assert.equal(d?.status?.availableReplicas, 2);
      // Deleting the Deployment lets the garbage collector remove its ReplicaSet and pods.
      await f.store.delete('/registry/apps/deployments/default/web');
      let left = 1;
      for (let i = 0; i < 200 && left > 0; i++) {
        await f.settle();
        left = (await f.list<ReplicaSet>('replicasets', 'default')).length + (await f.list<Pod>('pods', 'default')).length;
      }
      assert.equal(left, 0);
    } finally {
      await running.stop();
    }
  });
});
