import assert from 'node:assert/strict';
import { ItemExponentialRateLimiter, WorkQueue } from '../../../controller/index.js';
import { FakeClock, flush } from '../../fixtures/fake-clock.js';

function newQueue(clock = new FakeClock()): { queue: WorkQueue; clock: FakeClock } {
  const queue = new WorkQueue({
    clock,
    rateLimiter: new ItemExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 1000, jitter: 0 }),
  });
  return { queue, clock };
}

/** Everything ready in the queue, marking each as done right away. */
async function drain(queue: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (queue.len() > 0) {
    const key = (await queue.get())!;
    out.push(key);
    queue.done(key);
  }
  return out;
}

describe('controller/workqueue', () => {
  it('hands keys out in FIFO order and collapses duplicates', async () => {
    const { queue } = newQueue();
    for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) queue.add(k);
    assert.equal(queue.len(), 3);
    assert.deepEqual(await drain(queue), ['a', 'b', 'c']);
  });

  it('does not hand out a key being processed; an add meanwhile re-queues it on done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const first = await queue.get();
    assert.equal(first, 'a');
    queue.add('a'); // dirty while processing
    queue.add('a'); // still one
    assert.equal(queue.len(), 0, 'a processing key is not queued again');
    queue.add('b');
    assert.equal(await queue.get(), 'b');
    queue.done('b');
    queue.done('a');
    assert.equal(queue.len(), 1);
    assert.equal(await queue.get(), 'a');
    queue.done('a');
    assert.equal(queue.len(), 0);
  });

  it('a waiting get() receives the next added key', async () => {
    const { queue } = newQueue();
    const pending = queue.get();
    queue.add('x');
    assert.equal(await pending, 'x');
    assert.equal(queue.processingCount(), 1);
    queue.add('x'); // processing: no second hand-out to another waiter
    let second: string | undefined = 'unset';
    void queue.get().then((k) => (second = k));
    await flush();
    assert.equal(second, 'unset');
    queue.done('x');
    await flush();
    assert.equal(second, 'x');
  });

  it('never processes one key concurrently under many workers', async () => {
    const { queue } = newQueue();
    const keys = Array.from({ length: 8 }, (_, i) => `ns/k${i}`);
    const active = new Map<string, number>();
    const processed = new Map<string, number>();
    let maxPerKey = 0;
    let maxOverall = 0;
    let running = 0;
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed >>> 16) % n;
    };

    const worker = async (): Promise<void> => {
      for (;;) {
        const key = await queue.get();
        if (key === undefined) return;
        const n = (active.get(key) ?? 0) + 1;
        active.set(key, n);
        running++;
        maxPerKey = Math.max(maxPerKey, n);
        maxOverall = Math.max(maxOverall, running);
        for (let i = rand(4); i >= 0; i--) await flush(); // "reconcile" for a while
        processed.set(key, (processed.get(key) ?? 0) + 1);
        active.set(key, n - 1);
        running--;
        queue.done(key);
      }
    };
    const workers = Array.from({ length: 6 }, () => worker());
    // Producers keep adding the same few keys while workers process them.
    for (let round = 0; round < 300; round++) {
      queue.add(keys[rand(keys.length)]!);
      if (round % 3 === 0) await flush();
    }
    // Let everything settle, then shut down: workers exit once the queue is empty.
    while (queue.len() > 0 || queue.processingCount() > 0) await flush();
    queue.shutDown();
    await Promise.all(workers);

    assert.equal(maxPerKey, 1, 'a key was processed by two workers at once');
    assert.ok(maxOverall > 1, `workers should run in parallel (max ${maxOverall})`);
    for (const k of keys) assert.ok((processed.get(k) ?? 0) >= 1, `${k} processed`);
    const total = [...processed.values()].reduce((a, b) => a + b, 0);
    assert.ok(total < 300, `duplicates should collapse (processed ${total} of 300 adds)`);
  });

  it('addAfter delays the add and the earliest pending time wins', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 100);
    queue.addAfter('a', 300); // later: ignored
    queue.addAfter('b', 200);
    queue.addAfter('b', 50); // earlier: wins
    assert.equal(queue.len(), 0);
    assert.equal(queue.delayedCount(), 2);
    await clock.advance(49);
    assert.equal(queue.len(), 0);
    await clock.advance(1);
    assert.deepEqual(await drain(queue), ['b']);
    await clock.advance(49);
    assert.equal(queue.len(), 0);
    await clock.advance(1);
    assert.deepEqual(await drain(queue), ['a']);
    await clock.advance(1000); // nothing else was pending for 'b' (its 200 ms add was superseded)
    assert.equal(queue.len(), 0);
    assert.equal(clock.pending(), 0, 'no timer left armed');
  });

  it('addAfter with no delay adds at once; a delayed add of a queued key collapses', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 0);
    assert.equal(queue.len(), 1);
    queue.addAfter('a', 10);
    await clock.advance(10);
    assert.deepEqual(await drain(queue), ['a']);
  });

  it('addRateLimited backs off exponentially, capped; forget resets', async () => {
    const { queue, clock } = newQueue();
    const observed: number[] = [];
    for (let i = 0; i < 9; i++) {
      const start = clock.now();
      queue.addRateLimited('k');
      const at = clock.nextAt()!;
      observed.push(at - start);
      await clock.advance(at - start);
      assert.deepEqual(await drain(queue), ['k']);
    }
    assert.deepEqual(observed, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    assert.equal(queue.numRequeues('k'), 9);
    queue.forget('k');
    assert.equal(queue.numRequeues('k'), 0);
    queue.addRateLimited('k');
    assert.equal(clock.nextAt()! - clock.now(), 10);
  });

  it('rate-limited delays carry jitter within bounds', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter({ baseDelayMs: 100, maxDelayMs: 10_000, jitter: 0.25 }) });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      queue.addRateLimited('j');
      const d = clock.nextAt()! - clock.now();
      delays.push(d);
      const base = 100 * 2 ** i;
      assert.ok(d >= base && d <= base * 1.25, `retry ${i}: ${d} outside [${base}, ${base * 1.25}]`);
      await clock.advance(d);
      await drain(queue);
    }
  });

  it('shutDown: adds are ignored, queued keys still drain, then get() resolves undefined', async () => {
    const { queue, clock } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 10);
    queue.shutDown();
    queue.add('d');
    queue.addRateLimited('e');
    assert.equal(clock.pending(), 0, 'delayed adds are dropped');
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
    assert.equal(await queue.get(), undefined);
    assert.equal(await queue.get(), undefined);
    queue.done('a');
    queue.done('b');
  });

  it('shutDown wakes waiting workers', async () => {
    const { queue } = newQueue();
    const waiting = [queue.get(), queue.get(), queue.get()];
    queue.shutDown();
    assert.deepEqual(await Promise.all(waiting), [undefined, undefined, undefined]);
    assert.equal(queue.isShuttingDown(), true);
  });

  it('stays FIFO across many keys', async () => {
    const { queue } = newQueue();
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    for (const k of keys) queue.add(k);
    assert.deepEqual(await drain(queue), keys);
  });
});
