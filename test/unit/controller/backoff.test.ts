import assert from 'node:assert/strict';
import {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from '../../../controller/index.js';
import { FakeClock } from '../../fixtures/fake-clock.js';

/** A deterministic random source cycling through the given values. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('controller/backoff', () => {
  describe('ItemExponentialRateLimiter', () => {
    it('doubles the delay per failure and caps it', () => {
      const rl = new ItemExponentialRateLimiter({ baseDelayMs: 5, maxDelayMs: 1000, jitter: 0 });
      const delays = Array.from({ length: 12 }, () => rl.when('a'));
      assert.deepEqual(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000]);
      assert.equal(rl.numRequeues('a'), 12);
    });

    it('keeps failures per key and forget() starts over', () => {
      const rl = new ItemExponentialRateLimiter({ baseDelayMs: 1, maxDelayMs: 1000, jitter: 0 });
      rl.when('a');
      rl.when('a');
      assert.equal(rl.when('b'), 1);
      assert.equal(rl.when('a'), 4);
      rl.forget('a');
      assert.equal(rl.numRequeues('a'), 0);
      assert.equal(rl.when('a'), 1);
      assert.equal(rl.numRequeues('b'), 1);
    });

    it('adds jitter within [d, d*(1+jitter)] and never exceeds the cap', () => {
      const rl = new ItemExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 300, jitter: 0.5, random: sequence(0, 0.999999, 0.5) });
      const d0 = rl.when('k'); // 10 * (1 + 0.5*0)
      const d1 = rl.when('k'); // 20 * (1 + 0.5*0.999999)
      const d2 = rl.when('k'); // 40 * 1.25
      assert.equal(d0, 10);
      assert.ok(d1 > 29.99 && d1 < 30, `d1=${d1}`);
      assert.equal(d2, 50);
      for (let i = 0; i < 10; i++) assert.ok(rl.when('k') <= 300);

      const random = new ItemExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 1e6, jitter: 0.2 });
      for (let n = 0; n < 15; n++) {
        const d = random.when('x');
        const base = 10 * 2 ** n;
        assert.ok(d >= base && d <= base * 1.2, `failure ${n}: ${d} outside [${base}, ${base * 1.2}]`);
      }
    });

    it('stays finite after very many failures', () => {
      const rl = new ItemExponentialRateLimiter({ baseDelayMs: 5, maxDelayMs: 1_000_000 });
      let d = 0;
      for (let i = 0; i < 2000; i++) d = rl.when('k');
      assert.equal(d, 1_000_000);
    });

    it('rejects nonsensical options', () => {
      assert.throws(() => new ItemExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 5 }), RangeError);
      assert.throws(() => new ItemExponentialRateLimiter({ jitter: 2 }), RangeError);
    });
  });

  describe('BucketRateLimiter', () => {
    it('lets a burst through, then spaces retries at qps', async () => {
      const clock = new FakeClock();
      const rl = new BucketRateLimiter({ qps: 10, burst: 3, clock });
      assert.deepEqual([rl.when(), rl.when(), rl.when()], [0, 0, 0]);
      // The bucket is empty: each further reservation waits one more 100 ms slot.
      assert.equal(Math.round(rl.when()), 100);
      assert.equal(Math.round(rl.when()), 200);
      await clock.advance(1000); // refills 10 tokens, pays the debt of 2, capped at burst
      assert.deepEqual([rl.when(), rl.when(), rl.when()], [0, 0, 0]);
      assert.equal(Math.round(rl.when()), 100);
    });
  });

  describe('defaultControllerRateLimiter', () => {
    it('is the max of per-key backoff and the bucket', () => {
      const clock = new FakeClock();
      const rl = defaultControllerRateLimiter({ baseDelayMs: 5, maxDelayMs: 1000, jitter: 0, qps: 1, burst: 2, clock });
      assert.equal(rl.when('a'), 5); // token 1
      assert.equal(rl.when('b'), 5); // token 2
      assert.equal(rl.when('c'), 1000); // bucket empty: 1 s at 1 qps beats 5 ms
      assert.equal(rl.numRequeues('a'), 1);
      rl.forget('a');
      assert.equal(rl.numRequeues('a'), 0);
    });

    it('MaxOfRateLimiter needs a limiter', () => {
      assert.throws(() => new MaxOfRateLimiter(), RangeError);
    });
  });
});
