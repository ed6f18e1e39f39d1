/**
 * Rate limiters that decide how long a failing key waits before it is retried (after
 * client-go's `util/workqueue/default_rate_limiters.go`):
 *
 * - `ItemExponentialRateLimiter`: per key, `base * 2^failures` plus jitter, capped;
 * - `BucketRateLimiter`: a token bucket over all keys, so a storm of failures cannot
 *   retry faster than `qps` once the burst is spent;
 * - `MaxOfRateLimiter`: the longest delay of several limiters;
 * - `defaultControllerRateLimiter()`: max(per-key exponential, bucket), client-go's
 *   `DefaultControllerRateLimiter`.
 */
import { systemClock, type Clock, type RandomSource } from './clock.js';

/** First retry delay of the per-key limiter (client-go: 5 ms). */
export const DEFAULT_BASE_DELAY_MS = 5;
/** Longest per-key retry delay (client-go: 1000 s). */
export const DEFAULT_MAX_DELAY_MS = 1_000_000;
/** Jitter as a fraction of the delay: a retry waits between d and d·(1 + jitter). */
export const DEFAULT_JITTER = 0.1;
/** Sustained retries per second over all keys (client-go: 10). */
export const DEFAULT_BUCKET_QPS = 10;
/** Retries allowed at once before the bucket starts delaying (client-go: 100). */
export const DEFAULT_BUCKET_BURST = 100;

/** Decides the delay before a key is retried and remembers failures per key. */
export interface RateLimiter {
  /** Records one more failure of `key` and returns how long to wait before retrying it (ms). */
  when(key: string): number;
  /** Clears the failures of `key`: its next failure starts from the base delay again. */
  forget(key: string): void;
  /** How many times `key` failed since it was last forgotten. */
  numRequeues(key: string): number;
}

/** Options of `ItemExponentialRateLimiter`. */
export interface ExponentialBackoffOptions {
  /** Delay after the first failure, ms. */
  baseDelayMs?: number;
  /** Upper bound of any delay (jitter included), ms. */
  maxDelayMs?: number;
  /** Fraction of extra random delay, in [0, 1]: the delay is d + random()·jitter·d. */
  jitter?: number;
  /** Source of randomness for the jitter. */
  random?: RandomSource;
}

/**
 * Per-key exponential backoff: the n-th consecutive failure (n from 0) waits
 * `min(max, base·2^n·(1 + jitter·random()))`. Jitter spreads retries of keys that failed
 * together (for example when the store was briefly down) so they do not return in lockstep.
 */
export class ItemExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly jitter: number;
  private readonly random: RandomSource;

  constructor(options: ExponentialBackoffOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.jitter = options.jitter ?? DEFAULT_JITTER;
    this.random = options.random ?? Math.random;
    if (!(this.baseDelayMs >= 0) || !(this.maxDelayMs >= this.baseDelayMs)) {
      throw new RangeError(`backoff needs 0 <= baseDelayMs <= maxDelayMs, got ${this.baseDelayMs}, ${this.maxDelayMs}`);
    }
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError(`jitter must be in [0, 1], got ${this.jitter}`);
  }

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long after it passed the cap; Math.min keeps that finite.
    const exp = this.baseDelayMs * 2 ** n;
    if (exp >= this.maxDelayMs) return this.maxDelayMs;
    return Math.min(this.maxDelayMs, exp * (1 + this.jitter * this.random()));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/** Options of `BucketRateLimiter`. */
export interface BucketOptions {
  /** Tokens added per second. */
  qps?: number;
  /** Bucket size: how many retries may happen at once. */
  burst?: number;
  clock?: Clock;
}

/**
 * A token bucket over all keys (golang.org/x/time/rate's reservation model, which
 * client-go's BucketRateLimiter wraps): each call takes a token, possibly one not yet
 * refilled, and returns how long until that token exists. Tracks no per-key state.
 */
export class BucketRateLimiter implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: BucketOptions = {}) {
    this.qps = options.qps ?? DEFAULT_BUCKET_QPS;
    this.burst = options.burst ?? DEFAULT_BUCKET_BURST;
    this.clock = options.clock ?? systemClock;
    if (!(this.qps > 0) || !(this.burst >= 1)) throw new RangeError(`bucket needs qps > 0 and burst >= 1`);
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
    this.tokens -= 1;
    // A negative balance is a debt of reservations; it is paid back at qps.
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay any of its limiters asks for; failures are counted by all of them. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    if (limiters.length === 0) throw new RangeError('MaxOfRateLimiter needs at least one limiter');
    this.limiters = limiters;
  }

  when(key: string): number {
    // Every limiter must see the failure, so no short-circuit.
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(...this.limiters.map((l) => l.numRequeues(key)));
  }
}

/** Options of `defaultControllerRateLimiter`. */
export interface ControllerRateLimiterOptions extends ExponentialBackoffOptions {
  qps?: number;
  burst?: number;
  clock?: Clock;
}

/** client-go's DefaultControllerRateLimiter: max(per-key exponential 5 ms…1000 s, bucket 10 qps / 100 burst). */
export function defaultControllerRateLimiter(options: ControllerRateLimiterOptions = {}): RateLimiter {
  const { qps, burst, clock, ...exponential } = options;
  return new MaxOfRateLimiter(new ItemExponentialRateLimiter(exponential), new BucketRateLimiter({ qps, burst, clock }));
}
