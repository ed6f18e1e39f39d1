/**
 * Per-user request rate limits: one token bucket per user name (after client-go's
 * `flowcontrol` token bucket and kube-apiserver's max-in-flight 429s). A request takes one
 * token when it arrives — a watch counts once, however long it streams. An empty bucket is
 * a 429 TooManyRequests Status with `Retry-After`, as kube-apiserver sends. Members of
 * `system:masters` are exempt, as API Priority and Fairness exempts them.
 */
import type { Context, Next } from 'koa';
import { StatusError, StatusReason, SYSTEM_MASTERS, type UserInfo } from '../apimachinery/index.js';

/** Default sustained rate of one user, requests per second. */
export const DEFAULT_RATE_LIMIT_QPS = 100;
/** Default burst of one user: requests allowed at once after a quiet period. */
export const DEFAULT_RATE_LIMIT_BURST = 200;
/** Buckets idle this long are forgotten (they would be full again anyway). */
const IDLE_BUCKET_MS = 60_000;
/** Sweep of idle buckets every this many requests. */
const SWEEP_EVERY = 1024;

/** `rateLimit` option of the gateway. */
export interface RateLimitOptions {
  /** Sustained requests per second per user (> 0). */
  qps: number;
  /** Bucket size (≥ 1); default twice the qps. */
  burst?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets keyed by user name. */
export class UserRateLimiter {
  readonly qps: number;
  readonly burst: number;
  private readonly buckets = new Map<string, Bucket>();
  private requests = 0;

  constructor(
    options: RateLimitOptions,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(options.qps > 0) || !Number.isFinite(options.qps)) throw new Error(`rate limit qps must be a positive number, got ${options.qps}`);
    this.qps = options.qps;
    this.burst = options.burst ?? Math.max(1, Math.ceil(options.qps * 2));
    if (!(this.burst >= 1) || !Number.isFinite(this.burst)) throw new Error(`rate limit burst must be at least 1, got ${options.burst}`);
  }

  /** Takes a token for `user`: 0 when granted, else the seconds until one is available (≥ 1). */
  take(user: string): number {
    const now = this.nowMs();
    if (++this.requests % SWEEP_EVERY === 0) this.sweep(now);
    let b = this.buckets.get(user);
    if (!b) this.buckets.set(user, (b = { tokens: this.burst, updatedMs: now }));
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.updatedMs) / 1000) * this.qps);
    b.updatedMs = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.qps));
  }

  private sweep(now: number): void {
    for (const [user, b] of this.buckets) if (now - b.updatedMs > IDLE_BUCKET_MS) this.buckets.delete(user);
  }
}

/** The middleware: 429 with `Retry-After` when the user's bucket is empty. */
export function rateLimit(limiter: UserRateLimiter, userOf: (ctx: Context) => UserInfo) {
  return async function rateLimitMiddleware(ctx: Context, next: Next): Promise<void> {
    const user = userOf(ctx);
    if (!user.groups.includes(SYSTEM_MASTERS)) {
      const retryAfter = limiter.take(user.username);
      if (retryAfter > 0) {
        ctx.set('Retry-After', String(retryAfter));
        throw new StatusError(StatusReason.TooManyRequests, 'Too many requests, please try again later.', { retryAfterSeconds: retryAfter });
      }
    }
    return next();
  };
}
