import assert from 'node:assert/strict';
import type { KubeObject } from '../../../apimachinery/index.js';
import {
  ControllerRunner,
  ItemExponentialRateLimiter,
  WorkQueue,
  controllerOf,
  enqueueObject,
  enqueueOwner,
  ownerKey,
  runController,
  runnerFor,
  type Controller,
  type Logger,
} from '../../../controller/index.js';
import { FakeClock, flush } from '../../fixtures/fake-clock.js';

/** Records log lines so tests can assert on them (and keep test output clean). */
function recordingLogger(): Logger & { lines: { level: string; msg: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => void lines.push({ level, msg, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(): { clock: FakeClock; queue: WorkQueue } {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 1000, jitter: 0 }) });
  return { clock, queue };
}

function child(name: string, owners: KubeObject['metadata']['ownerReferences'], namespace = 'shop'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace, ownerReferences: owners } };
}

describe('controller/runner', () => {
  it('retries a failing key with growing backoff until it succeeds, then forgets it', async () => {
    const { clock, queue } = setup();
    const calls: number[] = [];
    let failuresLeft = 3;
    const logger = recordingLogger();
    const runner = runController({
      name: 'flaky',
      queue,
      logger,
      reconcile: async () => {
        calls.push(clock.now());
        if (failuresLeft-- > 0) throw new Error('not yet');
      },
    });
    const t0 = clock.now();
    queue.add('ns/a');
    await flush();
    assert.equal(calls.length, 1);
    assert.equal(queue.numRequeues('ns/a'), 1);
    await clock.advance(9);
    assert.equal(calls.length, 1, 'no retry before the backoff');
    await clock.advance(1);
    assert.equal(calls.length, 2);
    await clock.advance(20);
    assert.equal(calls.length, 3);
    await clock.advance(40);
    assert.equal(calls.length, 4);
    assert.deepEqual(
      calls.map((t) => t - t0),
      [0, 10, 30, 70],
    );
    assert.equal(queue.numRequeues('ns/a'), 0, 'success forgets the backoff');
    await clock.advance(10_000);
    assert.equal(calls.length, 4, 'no further retries after success');
    assert.equal(logger.lines.filter((l) => l.level === 'warn').length, 3);
    await runner.stop();
  });

  it('drops a key after maxRetries and logs it', async () => {
    const { clock, queue } = setup();
    let calls = 0;
    const logger = recordingLogger();
    const runner = runController({
      name: 'broken',
      queue,
      maxRetries: 3,
      logger,
      reconcile: async () => {
        calls++;
        throw new Error('always');
      },
    });
    queue.add('ns/b');
    await clock.advance(10_000);
    assert.equal(calls, 4, 'first attempt plus 3 retries');
    assert.equal(queue.numRequeues('ns/b'), 0, 'forgotten after giving up');
    assert.equal(clock.pending(), 0);
    const dropped = logger.lines.filter((l) => l.level === 'error');
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0]!.fields['key'], 'ns/b');
    // A new change brings it back with a fresh backoff.
    queue.add('ns/b');
    await flush();
    assert.equal(calls, 5);
    await runner.stop();
  });

  it('runs keys in parallel on N workers but never one key twice at once', async () => {
    const { queue } = setup();
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const active = new Set<string>();
    let maxActive = 0;
    let overlap = false;
    const runner = new ControllerRunner({
      name: 'parallel',
      queue,
      workers: 3,
      logger: recordingLogger(),
      reconcile: async (key) => {
        if (active.has(key)) overlap = true;
        active.add(key);
        maxActive = Math.max(maxActive, active.size);
        const gate = deferred();
        gates.set(key, gate);
        await gate.promise;
        active.delete(key);
      },
    });
    runner.start();
    for (const k of ['a', 'b', 'c', 'd']) queue.add(k);
    await flush();
    assert.equal(runner.activeReconciles(), 3);
    queue.add('a'); // dirty while running
    gates.get('a')!.resolve();
    await flush();
    // 'd' took the free worker; 'a' waits behind it.
    assert.deepEqual([...active].sort(), ['b', 'c', 'd']);
    gates.get('b')!.resolve();
    await flush();
    assert.ok(active.has('a'), 'the dirty key runs again after done');
    for (const k of ['a', 'c', 'd']) gates.get(k)!.resolve();
    await flush();
    assert.equal(overlap, false);
    assert.equal(maxActive, 3);
    await runner.stop();
  });

  it('stop() waits for reconciles in flight and starts no new ones', async () => {
    const { queue } = setup();
    const gate = deferred();
    const started: string[] = [];
    const runner = runController({
      name: 'slow',
      queue,
      workers: 1,
      logger: recordingLogger(),
      reconcile: async (key) => {
        started.push(key);
        await gate.promise;
      },
    });
    queue.add('x');
    queue.add('y');
    await flush();
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await flush();
    assert.equal(stopped, false, 'stop waits for the running reconcile');
    gate.resolve();
    await stopping;
    assert.deepEqual(started, ['x'], 'no new key after stop');
    assert.equal(queue.isShuttingDown(), true);
  });

  it('runs a Controller object, calling reconcile as its method', async () => {
    const { queue } = setup();
    class ConfigMapController implements Controller {
      readonly name = 'configmaps';
      readonly workers = 2;
      readonly seen: string[] = [];
      async reconcile(key: string): Promise<void> {
        this.seen.push(key);
      }
    }
    const controller = new ConfigMapController();
    const runner = runnerFor(controller, queue, recordingLogger());
    runner.start();
    queue.add('ns/one');
    queue.add('ns/two');
    await flush();
    assert.deepEqual(controller.seen, ['ns/one', 'ns/two']);
    await runner.stop();
  });

  it('rejects bad options', () => {
    const { queue } = setup();
    assert.throws(() => new ControllerRunner({ name: 'x', queue, workers: 0, reconcile: async () => {} }), RangeError);
  });

  describe('informer glue', () => {
    it('enqueueObject adds namespace/name, or name for cluster-scoped objects', () => {
      const { queue } = setup();
      const h = enqueueObject(queue);
      h.onAdd!({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } });
      h.onDelete!({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
      const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
      h.onUpdate!(o, o);
      assert.equal(queue.len(), 2);
    });

    it('ownerKey finds the controlling owner of a kind', () => {
      const rs = child('web-1', [
        { apiVersion: 'v1', kind: 'Other', name: 'x', uid: 'u0' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true },
      ]);
      assert.equal(ownerKey(rs, 'Deployment'), 'shop/web');
      assert.equal(ownerKey(rs, 'Deployment', false), 'web');
      assert.equal(ownerKey(rs, 'Other'), undefined, 'not the controller');
      assert.equal(controllerOf(rs.metadata)?.uid, 'u1');
      assert.equal(ownerKey(child('orphan', undefined), 'Deployment'), undefined);
    });

    it('enqueueOwner enqueues the old and the new owner on update', async () => {
      const { queue } = setup();
      const h = enqueueOwner(queue, 'Deployment');
      const before = child('rs', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'old', uid: '1', controller: true }]);
      const after = child('rs', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'new', uid: '2', controller: true }]);
      h.onUpdate!(before, after);
      h.onAdd!(child('orphan', undefined));
      const got: string[] = [];
      while (queue.len() > 0) got.push((await queue.get())!);
      assert.deepEqual(got.sort(), ['shop/new', 'shop/old']);
    });
  });
});
