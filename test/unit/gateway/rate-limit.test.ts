import assert from 'node:assert/strict';
import { UserRateLimiter } from '../../../gateway/rate-limit.js';

describe('gateway/rate-limit', () => {
  it('grants a burst, then one token per 1/qps seconds, per user', () => {
    let now = 0;
    const limiter = new UserRateLimiter({ qps: 2, burst: 3 }, () => now);
    assert.deepEqual([1, 2, 3].map(() => limiter.take('alice')), [0, 0, 0]);
    assert.equal(limiter.take('alice'), 1, 'empty: retry after a second');
    assert.equal(limiter.take('bob'), 0, 'buckets are per user');
    now += 500;
    assert.equal(limiter.take('alice'), 0, 'half a second at 2 qps refills one token');
    assert.equal(limiter.take('alice'), 1);
    now += 60_000;
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('alice')), [0, 0, 0, 1], 'refills up to the burst, no further');
  });

  it('says how long to wait at low rates, and refuses bad options', () => {
    let now = 0;
    const limiter = new UserRateLimiter({ qps: 0.25, burst: 1 }, () => now);
    assert.equal(limiter.take('x'), 0);
    assert.equal(limiter.take('x'), 4);
    now += 4000;
    assert.equal(limiter.take('x'), 0);
    assert.throws(() => new UserRateLimiter({ qps: 0 }), /qps must be a positive number/);
    assert.throws(() => new UserRateLimiter({ qps: 1, burst: 0 }), /burst must be at least 1/);
    assert.equal(new UserRateLimiter({ qps: 100 }).burst, 200);
  });
});
