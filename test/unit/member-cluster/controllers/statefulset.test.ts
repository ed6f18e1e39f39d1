import assert from 'node:assert/strict';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../../../../member-cluster/api-types.js';
import { StatefulSetController } from '../../../../member-cluster/controllers/statefulset.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

function sts(replicas: number, policy: 'OrderedReady' | 'Parallel' = 'OrderedReady'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'db',
      podManagementPolicy: policy,
      selector: { matchLabels: { app: 'db' } },
      template: template({ app: 'db' }),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

describe('member-cluster/controllers/statefulset', () => {
  let f: Fixture;
  let c: StatefulSetController;
  beforeEach(async () => {
    f = await newFixture();
    c = new StatefulSetController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    c.writer.close();
    await f.close();
  });

  const reconcile = async (): Promise<void> => {
    await c.reconcile('default/db');
    await f.settle();
  };
  const podNames = async (): Promise<string[]> => (await f.list<Pod>('pods', 'default')).map((p) => p.metadata.name ?? '').sort();
  const claimNames = async (): Promise<string[]> => (await f.list<PersistentVolumeClaim>('persistentvolumeclaims', 'default')).map((p) => p.metadata.name ?? '').sort();
  const ready = async (name: string, i: number): Promise<void> => {
    const p = (await f.get<Pod>('pods', 'default', name))!;
    await f.setPod(p, { nodeName: 'm1-node-0', ip: `127.1.0.${50 + i}`, ready: true });
  };

  it('creates pod i only after pods 0..i-1 are Running and Ready, each with its Bound claim created first', async () => {
    const s = await f.create(sts(3));
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0']);
    assert.deepEqual(await claimNames(), ['data-db-0']);
    const p0 = (await f.get<Pod>('pods', 'default', 'db-0'))!;
    assert.equal(p0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-0');
    assert.equal(p0.spec.hostname, 'db-0');
    assert.equal(p0.spec.subdomain, 'db');
    assert.equal(p0.metadata.ownerReferences?.[0]?.uid, s.metadata.uid);
    assert.deepEqual(p0.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: 'data-db-0' });
    const pvc = (await f.get<PersistentVolumeClaim>('persistentvolumeclaims', 'default', 'data-db-0'))!;
    assert.equal(pvc.status?.phase, 'Bound');
    assert.equal(pvc.metadata.ownerReferences, undefined, 'claims are owned by nobody (Retain)');
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0'], 'db-1 waits for db-0');
    await ready('db-0', 0);
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0', 'db-1']);
    await ready('db-1', 1);
    await reconcile();
    await ready('db-2', 2);
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0', 'db-1', 'db-2']);
    assert.deepEqual(await claimNames(), ['data-db-0', 'data-db-1', 'data-db-2']);
    const status = (await f.get<StatefulSet>('statefulsets', 'default', 'db'))!.status!;
    assert.deepEqual([status.replicas, status.readyReplicas, status.updatedReplicas], [3, 3, 3]);
    assert.equal(status.currentRevision, status.updateRevision);
  });

  it('re-creates a deleted pod with the same name and keeps its claim; scale-down goes from the top, one at a time, claims stay', async () => {
    await f.create(sts(3, 'Parallel'));
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0', 'db-1', 'db-2'], 'Parallel creates all at once');
    for (const [i, n] of ['db-0', 'db-1', 'db-2'].entries()) await ready(n, i);
    const old = (await f.get<Pod>('pods', 'default', 'db-1'))!;
    await f.store.delete('/registry/core/pods/default/db-1');
    await f.settle();
    await reconcile();
    const again = (await f.get<Pod>('pods', 'default', 'db-1'))!;
    assert.notEqual(again.metadata.uid, old.metadata.uid);
    assert.equal(again.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, 'data-db-1');
    assert.equal((await claimNames()).length, 3);
    await ready('db-1', 1);
    await f.update<StatefulSet>('statefulsets', 'default', 'db', (s) => {
      s.spec.replicas = 1;
      s.spec.podManagementPolicy = 'OrderedReady';
    });
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0', 'db-1'], 'highest ordinal first, one at a time');
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0']);
    assert.deepEqual(await claimNames(), ['data-db-0', 'data-db-1', 'data-db-2'], 'claims survive scale-down');
  });

  it('rolls a template change from the highest ordinal down', async () => {
    await f.create(sts(2));
    for (let i = 0; i < 2; i++) {
      await reconcile();
      await ready(`db-${i}`, i);
    }
    await reconcile();
    const rev1 = (await f.get<StatefulSet>('statefulsets', 'default', 'db'))!.status!.updateRevision;
    await f.update<StatefulSet>('statefulsets', 'default', 'db', (s) => {
      s.spec.template.spec.containers[0]!.image = 'app:v2';
    });
    await reconcile();
    assert.deepEqual(await podNames(), ['db-0'], 'db-1 replaced first');
    const st = (await f.get<StatefulSet>('statefulsets', 'default', 'db'))!.status!;
    assert.equal(st.currentRevision, rev1);
    assert.notEqual(st.updateRevision, rev1);
    await reconcile();
    await ready('db-1', 1);
    await reconcile();
    assert.deepEqual(await podNames(), ['db-1']);
    await reconcile();
    await ready('db-0', 0);
    await reconcile();
    const pods = await f.list<Pod>('pods', 'default');
    assert.ok(pods.every((p) => p.spec.containers[0]?.image === 'app:v2'));
    const done = (await f.get<StatefulSet>('statefulsets', 'default', 'db'))!.status!;
    assert.equal(done.currentRevision, done.updateRevision);
  });
});
