import assert from 'node:assert/strict';
import type { Deployment, Pod, ReplicaSet } from '../../../../member-cluster/api-types.js';
import { DeploymentController } from '../../../../member-cluster/controllers/deployment.js';
import { ReplicaSetController } from '../../../../member-cluster/controllers/replicaset.js';
import { isPodReady } from '../../../../member-cluster/controllers/pod-state.js';
import { computeTemplateHash } from '../../../../member-cluster/controllers/pod-template.js';
import { newFixture, template, type Fixture } from './controller-fixture.js';

function deployment(replicas: number, image = 'app:v1', strategy?: Deployment['spec']['strategy']): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, image), ...(strategy ? { strategy } : {}) },
  };
}

describe('member-cluster/controllers/deployment', () => {
  let f: Fixture;
  let dc: DeploymentController;
  let rsc: ReplicaSetController;
  let seq = 0;
  beforeEach(async () => {
    f = await newFixture();
    dc = new DeploymentController(f.ctx);
    rsc = new ReplicaSetController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    dc.writer.close();
    rsc.writer.close();
    await f.close();
  });

  const replicaSets = (): Promise<ReplicaSet[]> => f.list<ReplicaSet>('replicasets', 'default');
  const pods = (): Promise<Pod[]> => f.list<Pod>('pods', 'default');
  const readyCount = async (): Promise<number> => (await pods()).filter(isPodReady).length;

  /** What a scheduler and kubelet would do: every pod gets a node, an IP, Running and Ready. */
  async function runPods(): Promise<void> {
    for (const p of await pods()) {
      if (!isPodReady(p)) await f.setPod(p, { nodeName: 'm1-node-0', ip: `127.1.0.${10 + seq++}`, ready: true });
    }
  }

  /** Reconciles the Deployment and each ReplicaSet once; `check` runs after every step. */
  async function step(check?: () => Promise<void>): Promise<void> {
    await dc.reconcile('default/web');
    await f.settle();
    await check?.();
    for (const rs of await replicaSets()) {
      await rsc.reconcile(`default/${rs.metadata.name}`);
      await f.settle();
      await check?.();
    }
    await dc.reconcile('default/web');
    await f.settle();
    await f.clock.advance(1000);
  }

  it('creates a ReplicaSet <name>-<pod-template-hash> with revision 1, owned, with the hash label', async () => {
    const d = await f.create(deployment(3));
    await step();
    const [rs, ...rest] = await replicaSets();
    assert.equal(rest.length, 0);
    const hash = computeTemplateHash(d.spec.template);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs!.metadata.ownerReferences?.[0]?.uid, d.metadata.uid);
    assert.equal(rs!.spec.replicas, 3);
    assert.equal(rs!.spec.selector.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs!.spec.template.metadata?.labels?.['pod-template-hash'], hash);
    const ps = await pods();
    assert.equal(ps.length, 3);
    assert.ok(ps.every((p) => p.metadata.labels?.['pod-template-hash'] === hash));
    await runPods();
    await step();
    const after = await f.get<Deployment>('deployments', 'default', 'web');
    assert.equal(after?.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual(
      [after?.status?.replicas, after?.status?.updatedReplicas, after?.status?.readyReplicas, after?.status?.availableReplicas, after?.status?.unavailableReplicas],
      [3, 3, 3, 3, 0],
    );
    assert.equal(after?.status?.observedGeneration, 1);
    const cond = Object.fromEntries((after?.status?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
    assert.deepEqual(cond, { Available: 'True/MinimumReplicasAvailable', Progressing: 'True/NewReplicaSetAvailable' });
  });

  it('scales the ReplicaSet up and down with the Deployment', async () => {
    await f.create(deployment(2));
    await step();
    await f.update<Deployment>('deployments', 'default', 'web', (d) => {
      d.spec.replicas = 5;
    });
    await step();
    assert.equal((await replicaSets())[0]?.spec.replicas, 5);
    assert.equal((await pods()).length, 5);
    await f.update<Deployment>('deployments', 'default', 'web', (d) => {
      d.spec.replicas = 1;
    });
    await step();
    assert.equal((await replicaSets())[0]?.spec.replicas, 1);
    assert.equal((await pods()).length, 1);
  });

  it('rolls a template change out without ever dropping below replicas - maxUnavailable ready pods (maxUnavailable 0)', async () => {
    await f.create(deployment(3, 'app:v1', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    await step();
    await runPods();
    await step();
    assert.equal(await readyCount(), 3);
    await f.update<Deployment>('deployments', 'default', 'web', (d) => {
      d.spec.template.spec.containers[0]!.image = 'app:v2';
    });
    let minReady = Infinity;
    let maxPods = 0;
    const check = async (): Promise<void> => {
      minReady = Math.min(minReady, await readyCount());
      maxPods = Math.max(maxPods, (await replicaSets()).reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0));
    };
    for (let i = 0; i < 20; i++) {
      await step(check);
      await runPods();
      await check();
      const d = await f.get<Deployment>('deployments', 'default', 'web');
      if (d?.status?.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable') && (await pods()).length === 3) break;
    }
    assert.equal(minReady, 3, 'never fewer than replicas - maxUnavailable = 3 ready pods');
    assert.equal(maxPods, 4, 'ReplicaSets sized within replicas + maxSurge');
    const rss = await replicaSets();
    assert.equal(rss.length, 2);
    const newRS = rss.find((rs) => rs.spec.template.spec.containers[0]?.image === 'app:v2')!;
    const oldRS = rss.find((rs) => rs !== newRS)!;
    assert.equal(newRS.spec.replicas, 3);
    assert.equal(oldRS.spec.replicas, 0);
    assert.equal(newRS.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    const ps = await pods();
    assert.ok(ps.every((p) => p.spec.containers[0]?.image === 'app:v2'));
    const d = await f.get<Deployment>('deployments', 'default', 'web');
    assert.equal(d?.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(d?.status?.updatedReplicas, 3);
  });

  it('default 25%/25% with one replica surges (maxUnavailable rounds down to 0) and never has zero ready pods', async () => {
    await f.create(deployment(1));
    await step();
    await runPods();
    await step();
    await f.update<Deployment>('deployments', 'default', 'web', (d) => {
      d.spec.template.spec.containers[0]!.image = 'app:v2';
    });
    let minReady = Infinity;
    const check = async (): Promise<void> => {
      minReady = Math.min(minReady, await readyCount());
    };
    for (let i = 0; i < 10; i++) {
      await step(check);
      await runPods();
    }
    assert.equal(minReady, 1);
    assert.ok((await pods()).every((p) => p.spec.containers[0]?.image === 'app:v2'));
  });

  it('Recreate scales the old ReplicaSet to 0 and creates new pods only once the old ones are gone', async () => {
    await f.create(deployment(2, 'app:v1', { type: 'Recreate' }));
    await step();
    await runPods();
    await step();
    await f.update<Deployment>('deployments', 'default', 'web', (d) => {
      d.spec.template.spec.containers[0]!.image = 'app:v2';
    });
    await dc.reconcile('default/web');
    await f.settle();
    let rss = await replicaSets();
    assert.equal(rss.length, 1, 'no new ReplicaSet while old pods exist');
    assert.equal(rss[0]!.spec.replicas, 0);
    assert.equal((await pods()).length, 2, 'old pods still there until the ReplicaSet controller acts');
    await dc.reconcile('default/web');
    await f.settle();
    assert.equal((await replicaSets()).length, 1, 'still waiting');
    await rsc.reconcile(`default/${rss[0]!.metadata.name}`);
    await f.settle();
    assert.equal((await pods()).length, 0);
    await dc.reconcile('default/web');
    await f.settle();
    rss = await replicaSets();
    assert.equal(rss.length, 2);
    const newRS = rss.find((rs) => rs.spec.template.spec.containers[0]?.image === 'app:v2')!;
    assert.equal(newRS.spec.replicas, 2);
    await step();
    const ps = await pods();
    assert.equal(ps.length, 2);
    assert.ok(ps.every((p) => p.spec.containers[0]?.image === 'app:v2'));
  });

  it('rollback to an old template reuses its ReplicaSet, whose revision moves to the newest', async () => {
    await f.create(deployment(2, 'app:v1', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
    const rollTo = async (image: string): Promise<void> => {
      await f.update<Deployment>('deployments', 'default', 'web', (d) => {
        d.spec.template.spec.containers[0]!.image = image;
      });
      for (let i = 0; i < 10; i++) {
        await step();
        await runPods();
      }
    };
    await step();
    await runPods();
    const v1 = (await replicaSets())[0]!;
    await rollTo('app:v2');
    await rollTo('app:v1');
    const rss = await replicaSets();
    assert.equal(rss.length, 2, 'no third ReplicaSet');
    const again = rss.find((rs) => rs.metadata.uid === v1.metadata.uid)!;
    assert.equal(again.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(again.spec.replicas, 2);
    assert.equal(rss.find((rs) => rs !== again)!.spec.replicas, 0);
    const d = await f.get<Deployment>('deployments', 'default', 'web');
    assert.equal(d?.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    await f.create({ ...deployment(1), spec: { ...deployment(1).spec, revisionHistoryLimit: 1 } });
    await step();
    await runPods();
    for (const image of ['app:v2', 'app:v3', 'app:v4']) {
      await f.update<Deployment>('deployments', 'default', 'web', (d) => {
        d.spec.template.spec.containers[0]!.image = image;
      });
      for (let i = 0; i < 8; i++) {
        await step();
        await runPods();
      }
    }
    const revisions = (await replicaSets()).map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    assert.deepEqual(revisions, ['3', '4']);
  });

  it('a paused Deployment scales but does not roll out', async () => {
    await f.create(deployment(2));
    await step();
    await f.update<Deployment>('deployments', 'default', 'web', (d) => {
      d.spec.paused = true;
      d.spec.replicas = 3;
      d.spec.template.spec.containers[0]!.image = 'app:v2';
    });
    await step();
    const rss = await replicaSets();
    assert.equal(rss.length, 1);
    assert.equal(rss[0]!.spec.replicas, 3);
    const d = await f.get<Deployment>('deployments', 'default', 'web');
    assert.equal(d?.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'DeploymentPaused');
  });
});
