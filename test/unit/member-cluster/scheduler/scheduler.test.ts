import assert from 'node:assert/strict';
import { builtinResources, memberResources, ResourceRegistry, storeKey } from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../../../controller/index.js';
import { openStore, type Store, type StoreEvent, type WatchHandler } from '../../../../store/index.js';
import type { Node, Pod } from '../../../../member-cluster/api-types.js';
import { Scheduler } from '../../../../member-cluster/scheduler/index.js';
import { FakeClock, flush } from '../../../fixtures/fake-clock.js';
import { makeNode, makePod } from './objects.js';

const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
const pods = registry.resolve('pods')!;
const nodes = registry.resolve('nodes')!;

/** Waits (by yielding to I/O, never by sleeping) until `check` holds. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await flush();
  }
  assert.fail(`timed out waiting until ${what}`);
}

/**
 * A real store whose watchers see update events late while `holdUpdates` is set: the pod
 * informer then shows pods but not their bindings, as when a burst outruns the informer.
 */
function withLaggingUpdates(inner: Store): Store & { holdUpdates: boolean; release(): void } {
  const held: (() => void)[] = [];
  // Delegates with `this` bound to the real store (its state lives there), except watch.
  const lagging = {
    get: inner.get.bind(inner),
    list: inner.list.bind(inner),
    create: inner.create.bind(inner),
    update: inner.update.bind(inner),
    delete: inner.delete.bind(inner),
    currentRevision: inner.currentRevision.bind(inner),
    compact: inner.compact.bind(inner),
    grantLease: inner.grantLease.bind(inner),
    close: inner.close.bind(inner),
  } as Store & { holdUpdates: boolean; release(): void };
  lagging.holdUpdates = false;
  lagging.watch = (prefix, after, onEvent: WatchHandler, onError) =>
    inner.watch(
      prefix,
      after,
      (e: StoreEvent) => {
        if (lagging.holdUpdates && e.type === 'update') {
          held.push(() => void onEvent(e));
          return;
        }
        return onEvent(e);
      },
      onError,
    );
  lagging.release = () => {
    lagging.holdUpdates = false;
    for (const deliver of held.splice(0)) deliver();
  };
  return lagging;
}

describe('Scheduler (sqlite store)', () => {
  let store: Store;
  let informers: SharedInformerFactory;
  let scheduler: Scheduler;
  let clock: FakeClock;

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = new FakeClock();
    informers = new SharedInformerFactory(store, registry, { clock, logger: silentLogger });
    scheduler = new Scheduler({ store, informers, registry, clock, logger: silentLogger, retryIntervalMs: 10_000 });
  });

  afterEach(async () => {
    await scheduler.stop();
    informers.stop();
    await store.close();
  });

  const putNode = (n: Node) => store.create(storeKey(nodes, undefined, n.metadata.name!), JSON.stringify(n));
  const putPod = (p: Pod) => store.create(storeKey(pods, p.metadata.namespace, p.metadata.name!), JSON.stringify(p));
  const readPod = async (name: string): Promise<Pod> => JSON.parse((await store.get(storeKey(pods, 'default', name)))!.value) as Pod;
  const allPods = async (): Promise<Pod[]> => (await store.list('/registry/core/pods/')).items.map((kv) => JSON.parse(kv.value) as Pod);
  const cond = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');

  it('binds pods, keeps an oversized pod Pending with a clear Unschedulable condition, and retries it when a node comes', async () => {
    for (const n of ['m-node-0', 'm-node-1', 'm-node-2']) await putNode(makeNode(n, { cpu: '1', memory: '1Gi', pods: '110' }));
    await putPod(makePod('small', { cpu: '500m', memory: '100Mi' }));
    await putPod(makePod('big', { cpu: '2' }));
    await putPod(makePod('bound-already', { cpu: '100m' }, { nodeName: 'm-node-2' }));
    const mine = makePod('custom');
    (mine.spec as { schedulerName?: string }).schedulerName = 'someone-else';
    await putPod(mine);
    scheduler.start();

    await until('small is bound', async () => !!(await readPod('small')).spec.nodeName);
    const small = await readPod('small');
    assert.match(small.spec.nodeName!, /^m-node-[01]$/);
    assert.equal(cond(small)?.status, 'True');
    assert.equal(small.status?.phase, 'Pending');

    await until('big is marked unschedulable', async () => cond(await readPod('big'))?.status === 'False');
    const big = await readPod('big');
    assert.equal(big.spec.nodeName, undefined);
    assert.equal(big.status?.phase, 'Pending');
    assert.equal(cond(big)?.reason, 'Unschedulable');
    assert.equal(cond(big)?.message, '0/3 nodes are available: 3 Insufficient cpu.');
    assert.deepEqual(scheduler.unschedulablePods(), ['default/big']);
    assert.equal((await readPod('custom')).spec.nodeName, undefined);
    assert.equal((await readPod('bound-already')).status?.conditions, undefined);

    // A status-only write does not make it loop: the revision stays put.
    const rev = (await store.get(storeKey(pods, 'default', 'big')))!.modRevision;
    for (let i = 0; i < 20; i++) await flush();
    assert.equal((await store.get(storeKey(pods, 'default', 'big')))!.modRevision, rev);

    await putNode(makeNode('m-node-3', { cpu: '4', memory: '8Gi', pods: '110' }));
    await until('big is bound to the new node', async () => (await readPod('big')).spec.nodeName === 'm-node-3');
    const bound = await readPod('big');
    assert.equal(cond(bound)?.status, 'True');
    assert.equal(cond(bound)?.reason, undefined);
    assert.deepEqual(scheduler.unschedulablePods(), []);
  });

  it('does not overfill a node with a burst of pods whose bindings the informer has not seen yet', async () => {
    const lagging = withLaggingUpdates(store);
    await scheduler.stop();
    informers = new SharedInformerFactory(lagging, registry, { clock, logger: silentLogger });
    scheduler = new Scheduler({ store: lagging, informers, registry, clock, logger: silentLogger });
    await putNode(makeNode('n0', { cpu: '1', memory: '4Gi', pods: '110' }));
    await putNode(makeNode('n1', { cpu: '1', memory: '4Gi', pods: '110' }));
    scheduler.start();
    await informers.waitForSync();
    lagging.holdUpdates = true;
    // 7 pods of 300m: at most 3 fit on each 1-cpu node.
    for (let i = 0; i < 7; i++) await putPod(makePod(`burst-${i}`, { cpu: '300m' }, { owner: 'web' }));
    await until('6 are bound and 1 is unschedulable', async () => {
      const all = await allPods();
      return all.filter((p) => p.spec.nodeName).length === 6 && all.filter((p) => cond(p)?.status === 'False').length === 1;
    });
    const all = await allPods();
    for (const n of ['n0', 'n1']) assert.equal(all.filter((p) => p.spec.nodeName === n).length, 3, n);
    const left = all.find((p) => !p.spec.nodeName)!;
    assert.equal(cond(left)?.message, '0/2 nodes are available: 2 Insufficient cpu.');
    lagging.release();

    // A bound pod that finishes frees room: the waiting pod gets it.
    const done = all.find((p) => p.spec.nodeName === 'n1')!;
    const kv = (await store.get(storeKey(pods, 'default', done.metadata.name!)))!;
    await store.update(kv.key, JSON.stringify({ ...done, status: { ...done.status, phase: 'Succeeded' } }), kv.modRevision);
    await until('the waiting pod is bound to n1', async () => (await readPod(left.metadata.name!)).spec.nodeName === 'n1');
  });

  it('retries unschedulable pods periodically and after a pod is deleted', async () => {
    await putNode(makeNode('n0', { cpu: '1', memory: '1Gi', pods: '1' }));
    await putPod(makePod('first', {}, { nodeName: 'n0' }));
    await putPod(makePod('waiting'));
    scheduler.start();
    await until('waiting is unschedulable', async () => cond(await readPod('waiting'))?.message === '0/1 nodes are available: 1 Too many pods.');
    // Raise the pod limit behind the informer's back is impossible; instead delete the bound pod.
    await store.delete(storeKey(pods, 'default', 'first'));
    await until('waiting is bound', async () => (await readPod('waiting')).spec.nodeName === 'n0');

    // Periodic retry: a bound pod's requests shrinking is no event the scheduler reacts to,
    // so only the timer finds that the next pod now fits.
    await putPod(makePod('hog', { cpu: '1' }, { nodeName: 'n1' }));
    await putNode(makeNode('n1', { cpu: '1', memory: '1Gi', pods: '10' }));
    await putPod(makePod('third', { cpu: '500m' }));
    await until('third is unschedulable', async () => cond(await readPod('third'))?.status === 'False');
    assert.equal(cond(await readPod('third'))?.message, '0/2 nodes are available: 1 Insufficient cpu, 1 Too many pods.');
    const hog = (await store.get(storeKey(pods, 'default', 'hog')))!;
    const shrunk = makePod('hog', { cpu: '100m' }, { nodeName: 'n1' });
    await store.update(hog.key, JSON.stringify(shrunk), hog.modRevision);
    for (let i = 0; i < 50; i++) await flush();
    assert.equal((await readPod('third')).spec.nodeName, undefined);
    await clock.advance(10_000);
    await until('third is bound by the periodic retry', async () => (await readPod('third')).spec.nodeName === 'n1');
  });
});
