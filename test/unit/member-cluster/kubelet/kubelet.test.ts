import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { builtinResources, memberResources, ResourceRegistry, storeKey } from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../../../controller/index.js';
import { Kubelet } from '../../../../member-cluster/kubelet/index.js';
import { IpAllocator, resolveMemberConfig, type Node, type Pod, type PodSpec } from '../../../../member-cluster/index.js';
import { SIMULATE_EXIT_AFTER_ANNOTATION, SIMULATE_EXIT_CODE_ANNOTATION, SimulatedRuntime } from '../../../../member-cluster/runtime/index.js';
import { openStore, type Store } from '../../../../store/index.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';

const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
const pods = registry.resolve('pods')!;
const NODE = 'sim-node-0';

/** Lets store writes, watch events and pod syncs run until `pred` holds (no timers involved). */
async function settle<T>(what: string, pred: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await pred();
    if (v !== undefined) return v;
    await flush();
  }
  throw new Error(`never settled: ${what}`);
}

describe('kubelet (simulated runtime, fake clock)', () => {
  let store: Store;
  let clock: FakeClock;
  let informers: SharedInformerFactory;
  let podIPs: IpAllocator;
  const config = resolveMemberConfig({ name: 'sim', dataDir: '/nonexistent-sim-data', podCIDR: '127.90.0.0/16', nodes: 1 });
  const kubelets: Kubelet[] = [];

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
    informers = new SharedInformerFactory(store, registry, { clock, logger: silentLogger });
    podIPs = new IpAllocator(config.podCIDR, [config.serviceCIDR, config.externalIP]);
  });
  afterEach(async () => {
    for (const k of kubelets.splice(0)) await k.stop({ stopPods: true });
    informers.stop();
    await store.close();
  });

  async function start(): Promise<Kubelet> {
    const k = new Kubelet({ nodeName: NODE, store, informers, registry, config, runtime: new SimulatedRuntime({ clock }), podIPs, clock, logger: silentLogger });
    kubelets.push(k);
    await k.start();
    return k;
  }

  async function create(name: string, spec: Omit<PodSpec, 'nodeName'>, annotations?: Record<string, string>): Promise<void> {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: randomUUID(), annotations }, spec: { ...spec, nodeName: NODE } };
    await store.create(storeKey(pods, 'default', name), JSON.stringify(pod));
  }

  async function get(name: string): Promise<Pod | undefined> {
    const kv = await store.get(storeKey(pods, 'default', name));
    return kv ? (JSON.parse(kv.value) as Pod) : undefined;
  }

  const ready = (p: Pod | undefined): boolean => p?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

  it('registers the node and refreshes its heartbeat only when due', async () => {
    await start();
    const nodeKey = storeKey(registry.resolve('nodes')!, undefined, NODE);
    const first = (await store.get(nodeKey))!;
    const node = JSON.parse(first.value) as Node;
    assert.equal(node.status!.conditions![0]!.status, 'True');
    await clock.advance(5_000);
    assert.equal((await store.get(nodeKey))!.modRevision, first.modRevision, 'no write before the heartbeat is due');
    await clock.advance(5_000);
    const later = await settle('heartbeat', async () => {
      const kv = (await store.get(nodeKey))!;
      return kv.modRevision > first.modRevision ? kv : undefined;
    });
    const hb = (JSON.parse(later.value) as Node).status!.conditions![0] as unknown as { lastHeartbeatTime: string; lastTransitionTime: string };
    assert.equal(hb.lastHeartbeatTime, new Date(clock.now()).toISOString());
    assert.equal(hb.lastTransitionTime, '2025-01-01T00:00:00.000Z');
  });

  it('runs a pod at once and makes it Ready after the readiness initialDelaySeconds', async () => {
    await start();
    await create('web', { containers: [{ name: 'c', readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: 5 } }] });
    const running = await settle('running', async () => {
      const p = await get('web');
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(ready(running), false);
    assert.ok(running.status!.podIP!.startsWith('127.90.'));
    assert.equal(running.status!.containerStatuses![0]!.state.running !== undefined, true);
    await clock.advance(5_000);
    const r = await settle('ready', async () => {
      const p = await get('web');
      return ready(p) ? p : undefined;
    });
    assert.deepEqual(
      r.status!.conditions!.map((c) => [c.type, c.status]),
      [['PodScheduled', 'True'], ['Initialized', 'True'], ['ContainersReady', 'True'], ['Ready', 'True']],
    );
  });

  it('restarts a failing container by restartPolicy with crash-loop back-off', async () => {
    await start();
    await create('crash', { restartPolicy: 'OnFailure', containers: [{ name: 'c' }] }, { [SIMULATE_EXIT_AFTER_ANNOTATION]: '1', [SIMULATE_EXIT_CODE_ANNOTATION]: '1' });
    await settle('running', async () => ((await get('crash'))?.status?.phase === 'Running' ? true : undefined));
    await clock.advance(1_000);
    const once = await settle('first restart', async () => {
      const p = await get('crash');
      return p?.status?.containerStatuses?.[0]?.restartCount === 1 ? p : undefined;
    });
    assert.equal(once.status!.containerStatuses![0]!.lastState!.terminated!.exitCode, 1);
    await clock.advance(1_000);
    const backoff = await settle('back-off', async () => {
      const p = await get('crash');
      return p?.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    });
    assert.match(backoff.status!.containerStatuses![0]!.state.waiting!.message!, /back-off 10s restarting failed container=c/);
    await clock.advance(9_999);
    assert.equal((await get('crash'))!.status!.containerStatuses![0]!.restartCount, 1);
    await clock.advance(1);
    await settle('second restart', async () => ((await get('crash'))?.status?.containerStatuses?.[0]?.restartCount === 2 ? true : undefined));
  });

  it('fails a pod past activeDeadlineSeconds, and completes a Never pod that exits 0', async () => {
    await start();
    await create('deadline', { activeDeadlineSeconds: 30, containers: [{ name: 'c' }] });
    await create('job', { restartPolicy: 'Never', containers: [{ name: 'c' }] }, { [SIMULATE_EXIT_AFTER_ANNOTATION]: '2' });
    await settle('running', async () => ((await get('deadline'))?.status?.phase === 'Running' ? true : undefined));
    await clock.advance(30_000);
    const failed = await settle('deadline', async () => {
      const p = await get('deadline');
      return p?.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(failed.status!.reason, 'DeadlineExceeded');
    const job = await settle('job', async () => {
      const p = await get('job');
      return p?.status?.phase === 'Succeeded' ? p : undefined;
    });
    assert.equal(job.status!.containerStatuses![0]!.state.terminated!.reason, 'Completed');
  });

  it('after a member restart runs pods again with restartCount + 1 and the same IP', async () => {
    const first = await start();
    await create('web', { containers: [{ name: 'c' }] });
    const before = await settle('running', async () => {
      const p = await get('web');
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    await first.stop({ stopPods: false });
    kubelets.splice(kubelets.indexOf(first), 1);
    podIPs = new IpAllocator(config.podCIDR, [config.serviceCIDR, config.externalIP]);
    podIPs.markUsed(before.status!.podIP!);
    await start();
    const after = await settle('restarted', async () => {
      const p = await get('web');
      return p?.status?.containerStatuses?.[0]?.restartCount === 1 ? p : undefined;
    });
    assert.equal(after.status!.podIP, before.status!.podIP);
    const last = after.status!.containerStatuses![0]!.lastState!.terminated!;
    assert.equal(last.reason, 'Unknown');
    assert.equal(last.message, 'the member restarted');
    assert.ok(after.status!.containerStatuses![0]!.state.running);
  });

  it('deletes a gracefully deleted pod after stopping it and releases its IP', async () => {
    await start();
    await create('gone', { containers: [{ name: 'c' }] });
    const p = await settle('running', async () => {
      const cur = await get('gone');
      return cur?.status?.phase === 'Running' ? cur : undefined;
    });
    const used = podIPs.size;
    const key = storeKey(pods, 'default', 'gone');
    const kv = (await store.get(key))!;
    p.metadata.deletionTimestamp = new Date(clock.now()).toISOString();
    p.metadata.deletionGracePeriodSeconds = 30;
    await store.update(key, JSON.stringify(p), kv.modRevision);
    await settle('deleted', async () => ((await store.get(key)) ? undefined : true));
    assert.equal(podIPs.size, used - 1);
  });
});

describe('kubelet (simulated runtime) throughput', () => {
  it('brings hundreds of pods to Running per second', async () => {
    const store = await openStore('sqlite::memory:');
    const informers = new SharedInformerFactory(store, registry, { logger: silentLogger });
    const config = resolveMemberConfig({ name: 'sim', dataDir: '/nonexistent-sim-data', podCIDR: '127.91.0.0/16', nodes: 1 });
    const podIPs = new IpAllocator(config.podCIDR, [config.serviceCIDR, config.externalIP]);
    const kubelet = new Kubelet({ nodeName: NODE, store, informers, registry, config, runtime: new SimulatedRuntime(), podIPs, logger: silentLogger });
    try {
      await kubelet.start();
      const n = 500;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: randomUUID() }, spec: { nodeName: NODE, containers: [{ name: 'c' }] } };
        await store.create(storeKey(pods, 'default', `p${i}`), JSON.stringify(pod));
      }
      const all = async (): Promise<true | undefined> => {
        const { items } = await store.list('/registry/core/pods/default/');
        return items.every((kv) => (JSON.parse(kv.value) as Pod).status?.phase === 'Running') ? true : undefined;
      };
      for (let i = 0; i < 2000 && !(await all()); i++) await flush();
      assert.equal(await all(), true);
      const perSecond = Math.round(n / ((performance.now() - t0) / 1000));
      console.log(`      simulated runtime: ${n} pods created and Running at ${perSecond} pods/s`);
      assert.ok(perSecond > 200, `${perSecond} pods/s`);
    } finally {
      await kubelet.stop({ stopPods: true });
      informers.stop();
      await store.close();
    }
  });
});
