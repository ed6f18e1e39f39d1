import assert from 'node:assert/strict';
import { isExpired } from '../../../apimachinery/index.js';
import { WatchFanout, WatchSubscription, type StoreEvent } from '../../../store/index.js';

function ev(revision: number, key = `/k/${revision}`): StoreEvent {
  return { type: 'create', kv: { key, value: 'v', createRevision: revision, modRevision: revision }, revision };
}

/** Resolves after queued microtasks and one macrotask turn: no timers involved. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('watch-fanout', () => {
  it('delivers in order, filters by prefix, drops anything at or below the last revision', async () => {
    const got: number[] = [];
    const sub = new WatchSubscription({ prefix: '/k/', afterRevision: 2, onEvent: (e) => void got.push(e.revision), onError: assert.fail });
    sub.replay([ev(1), ev(2), ev(3), ev(4, '/other/4'), ev(5)]);
    sub.offer(ev(5));
    sub.offer(ev(3));
    sub.offer(ev(6));
    await settle();
    assert.deepEqual(got, [3, 5, 6]);
    assert.equal(sub.lastDelivered, 6);
  });

  it('accepts several keys at one revision once each (an etcd lease expiry)', async () => {
    const got: string[] = [];
    const sub = new WatchSubscription({ prefix: '/', afterRevision: 0, onEvent: (e) => void got.push(e.kv.key), onError: assert.fail });
    sub.offer(ev(7, '/a'));
    sub.offer(ev(7, '/b'));
    sub.offer(ev(7, '/a'));
    sub.advance(9);
    sub.offer(ev(9, '/c'));
    await settle();
    assert.deepEqual(got, ['/a', '/b']);
  });

  it('waits for a handler promise before the next event (back-pressure)', async () => {
    const got: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sub = new WatchSubscription({
      prefix: '',
      afterRevision: 0,
      onEvent: async (e) => {
        got.push(e.revision);
        if (e.revision === 1) await gate;
      },
      onError: assert.fail,
      maxBacklog: 10,
    });
    for (let r = 1; r <= 4; r++) sub.offer(ev(r));
    await settle();
    assert.deepEqual(got, [1]);
    assert.equal(sub.backlog, 3);
    release();
    await settle();
    assert.deepEqual(got, [1, 2, 3, 4]);
  });

  it('cuts off a watcher whose backlog passes the bound, once, and forgets it', async () => {
    const errors: Error[] = [];
    const fanout = new WatchFanout();
    const sub = new WatchSubscription({
      prefix: '',
      afterRevision: 0,
      onEvent: () => new Promise<void>(() => undefined),
      onError: (err) => errors.push(err),
      maxBacklog: 3,
      onClose: () => fanout.remove(sub),
    });
    fanout.add(sub);
    // Replayed history does not count against the bound.
    sub.replay([ev(1), ev(2), ev(3), ev(4), ev(5)]);
    await settle();
    for (let r = 6; r <= 8; r++) fanout.publish(ev(r));
    assert.equal(errors.length, 0);
    fanout.publish(ev(9));
    fanout.publish(ev(10));
    await settle();
    assert.equal(errors.length, 1);
    assert.ok(isExpired(errors[0]));
    assert.match(errors[0]!.message, /too slow/);
    assert.equal(fanout.size, 0);
    assert.ok(sub.isClosed);
  });

  it('refill: drops live events while full, then asks the source to refill from the last accepted revision', async () => {
    const got: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const log = Array.from({ length: 10 }, (_, i) => ev(i + 1));
    const refills: number[] = [];
    const sub: WatchSubscription = new WatchSubscription({
      prefix: '',
      afterRevision: 0,
      onEvent: async (e) => {
        got.push(e.revision);
        if (e.revision === 1) await gate;
      },
      onError: assert.fail,
      maxBacklog: 2,
      overflow: 'refill',
      onDrained: () => {
        refills.push(sub.lastAccepted);
        sub.replay(log.filter((e) => e.revision > sub.lastAccepted));
      },
    });
    for (const e of log.slice(0, 8)) sub.offer(e);
    assert.ok(sub.isLagging);
    release();
    await settle();
    assert.deepEqual(refills, [2], "the queue held events 1 and 2 when it filled");
    assert.deepEqual(got, log.map((e) => e.revision));
  });

  it('pause: keeps every event and signals full and drained', async () => {
    const signals: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: number[] = [];
    const sub = new WatchSubscription({
      prefix: '',
      afterRevision: 0,
      onEvent: async (e) => {
        got.push(e.revision);
        if (e.revision === 1) await gate;
      },
      onError: assert.fail,
      maxBacklog: 2,
      overflow: 'pause',
      onFull: () => signals.push('full'),
      onDrained: () => signals.push('drained'),
    });
    for (let r = 1; r <= 6; r++) sub.offer(ev(r));
    assert.deepEqual(signals, ['full']);
    release();
    await settle();
    assert.deepEqual(signals, ['full', 'drained']);
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
  });

  it('a throwing handler ends the watch with an error', async () => {
    const errors: Error[] = [];
    const sub = new WatchSubscription({
      prefix: '',
      afterRevision: 0,
      onEvent: () => {
        throw new Error('boom');
      },
      onError: (e) => errors.push(e),
    });
    sub.offer(ev(1));
    sub.offer(ev(2));
    await settle();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /boom/);
    assert.ok(sub.isClosed);
  });

  it('unsubscribe is quiet and idempotent', async () => {
    const got: number[] = [];
    const sub = new WatchSubscription({ prefix: '', afterRevision: 0, onEvent: (e) => void got.push(e.revision), onError: assert.fail });
    sub.offer(ev(1));
    sub.unsubscribe();
    sub.unsubscribe();
    sub.offer(ev(2));
    await settle();
    assert.deepEqual(got, []);
  });
});
