import assert from 'node:assert/strict';
import type { Job, Pod } from '../../../../member-cluster/api-types.js';
import { JobController } from '../../../../member-cluster/controllers/job.js';
import { isPodActive } from '../../../../member-cluster/controllers/pod-state.js';
import { newFixture, type Fixture } from './controller-fixture.js';

function job(spec: Partial<Job['spec']>): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'batch', namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', command: ['true'] }] } }, ...spec },
  };
}

describe('member-cluster/controllers/job', () => {
  let f: Fixture;
  let c: JobController;
  beforeEach(async () => {
    f = await newFixture();
    c = new JobController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    c.writer.close();
    await f.close();
  });

  const activePods = async (): Promise<Pod[]> => (await f.list<Pod>('pods', 'default')).filter(isPodActive);
  const reconcile = async (): Promise<Job> => {
    await c.reconcile('default/batch');
    await f.settle();
    return (await f.get<Job>('jobs', 'default', 'batch'))!;
  };

  it('completions 3, parallelism 2: at most 2 pods at once, Complete after 3 successes', async () => {
    const j = await f.create(job({ completions: 3, parallelism: 2 }));
    let status = (await reconcile()).status!;
    let pods = await activePods();
    assert.equal(pods.length, 2);
    assert.equal(status.active, 2);
    assert.ok(status.startTime);
    for (const p of pods) {
      assert.equal(p.metadata.labels?.['job-name'], 'batch');
      assert.equal(p.metadata.labels?.['controller-uid'], j.metadata.uid);
      assert.equal(p.spec.restartPolicy, 'Never');
      assert.equal(p.metadata.ownerReferences?.[0]?.uid, j.metadata.uid);
    }
    await f.setPod(pods[0]!, { phase: 'Succeeded' });
    await f.setPod(pods[1]!, { phase: 'Succeeded' });
    status = (await reconcile()).status!;
    pods = await activePods();
    assert.equal(pods.length, 1, 'only one completion left');
    assert.deepEqual([status.active, status.succeeded, status.failed], [1, 2, 0]);
    assert.equal(status.conditions?.length ?? 0, 0);
    await f.setPod(pods[0]!, { phase: 'Succeeded' });
    status = (await reconcile()).status!;
    assert.deepEqual([status.active, status.succeeded], [0, 3]);
    assert.equal(status.conditions?.find((x) => x.type === 'Complete')?.status, 'True');
    assert.ok(status.completionTime);
    await reconcile();
    assert.equal((await activePods()).length, 0, 'a finished Job creates nothing more');
  });

  it('fails with BackoffLimitExceeded once more than backoffLimit pods failed', async () => {
    await f.create(job({ backoffLimit: 2 }));
    let created = 0;
    for (let i = 0; i < 10; i++) {
      const s = (await reconcile()).status!;
      if (s.conditions?.some((x) => x.type === 'Failed')) break;
      const pods = await activePods();
      created += pods.length;
      for (const p of pods) await f.setPod(p, { phase: 'Failed' });
    }
    const s = (await f.get<Job>('jobs', 'default', 'batch'))!.status!;
    assert.equal(created, 3, 'backoffLimit 2 allows 3 attempts');
    assert.equal(s.failed, 3);
    const cond = s.conditions?.find((x) => x.type === 'Failed');
    assert.equal(cond?.reason, 'BackoffLimitExceeded');
    assert.equal((await activePods()).length, 0);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds on the injected clock and deletes active pods', async () => {
    await f.create(job({ activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }));
    await reconcile();
    assert.equal((await activePods()).length, 2);
    await f.clock.advance(29_000);
    assert.equal((await reconcile()).status?.conditions?.length ?? 0, 0);
    await f.clock.advance(1_000);
    const s = (await reconcile()).status!;
    assert.equal(s.conditions?.find((x) => x.type === 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(s.active, 0);
    assert.equal((await activePods()).length, 0);
  });

  it('queues itself for the deadline', async () => {
    await f.create(job({ activeDeadlineSeconds: 10 }));
    await reconcile();
    assert.equal(c.queue.len(), 0);
    await f.clock.advance(10_000);
    assert.equal(c.queue.len(), 1);
  });
});
