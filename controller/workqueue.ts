/**
 * A work queue of string keys with client-go's guarantees (`util/workqueue`: queue.go,
 * delaying_queue.go, rate_limiting_queue.go):
 *
 * - a key handed out by `get()` is never handed out again until `done(key)`, so no two
 *   workers reconcile one key at once;
 * - adding a key that is already queued does nothing (duplicates collapse);
 * - adding a key while it is being processed marks it dirty; `done(key)` queues it again,
 *   so the change that arrived mid-reconcile is not lost;
 * - `addAfter` delays an add (the earliest pending delay of a key wins) and
 *   `addRateLimited` delays by the rate limiter's backoff;
 * - after `shutDown()`, adds are ignored, `get()` keeps handing out what is queued and
 *   resolves `undefined` once the queue is empty.
 *
 * Keys are handed out in FIFO order of their (first) add.
 */
import { defaultControllerRateLimiter, type RateLimiter } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';

/** Options of `WorkQueue`. */
export interface WorkQueueOptions {
  /** Shown in logs and metrics. */
  name?: string;
  /** Backoff of `addRateLimited`; defaults to `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter;
  /** Clock of delayed adds (and of the default rate limiter's bucket). */
  clock?: Clock;
}

/** A delayed add waiting in the heap; stale when `waiting` holds a different time for the key. */
interface Delayed {
  key: string;
  readyAt: number;
}

/** The rate-limited, delaying work queue every controller runner pulls from. */
export class WorkQueue {
  /** Shown in logs and metrics. */
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;

  /** Keys ready to be handed out, FIFO. Invariant: every key here is also in `dirty`. */
  private queue: string[] = [];
  private head = 0;
  /** Keys that need processing (queued, or added again while processing). */
  private readonly dirty = new Set<string>();
  /** Keys handed out and not yet `done`. */
  private readonly processing = new Set<string>();
  /** `get()` calls waiting for a key; only non-empty while `queue` is empty. */
  private readonly waiters: ((key: string | undefined) => void)[] = [];

  /** Earliest pending delayed add per key. */
  private readonly waiting = new Map<string, number>();
  /** Min-heap of delayed adds by readyAt; may hold stale entries (lazy deletion). */
  private readonly heap: Delayed[] = [];
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;

  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.name = options.name ?? 'workqueue';
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter({ clock: this.clock });
  }

  /** Marks `key` as needing processing. Ignored after `shutDown()`. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued by done()
    this.push(key);
  }

  /** Number of keys ready to be handed out (delayed and in-process keys not counted). */
  len(): number {
    return this.queue.length - this.head;
  }

  /**
   * The next key to process; the caller owns it until `done(key)`. Resolves `undefined`
   * once the queue is shut down and empty.
   */
  get(): Promise<string | undefined> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends processing of `key`; when it was added meanwhile, it is queued again. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key)) this.push(key);
  }

  /** Stops accepting adds and delayed adds; waiting `get()`s resolve `undefined`. Idempotent. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.waiting.clear();
    this.heap.length = 0;
    // Waiters exist only while the queue is empty, so they are owed nothing more.
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** True after `shutDown()`. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Adds `key` after `delayMs`; if it is already waiting, the earlier time wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const current = this.waiting.get(key);
    if (current !== undefined && current <= readyAt) return;
    this.waiting.set(key, readyAt);
    this.heapPush({ key, readyAt });
    this.arm();
  }

  /** Adds `key` after the rate limiter's backoff for it (which counts this as one more failure). */
  addRateLimited(key: string): void {
    if (this.shuttingDown) return;
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the backoff of `key` (call after it was processed successfully). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** How many rate-limited re-adds `key` had since it was last forgotten. */
  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Number of keys handed out and not yet done. */
  processingCount(): number {
    return this.processing.size;
  }

  /** Number of keys waiting for a delayed add. */
  delayedCount(): number {
    return this.waiting.size;
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      // Hand the key over directly: it goes straight from dirty to processing.
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queue.push(key);
  }

  private take(): string {
    const key = this.queue[this.head++]!;
    // Compact the array lazily so take() stays O(1) amortised.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Keeps one timer armed for the earliest delayed add. */
  private arm(): void {
    const next = this.heap[0];
    if (!next) return;
    if (this.timer !== undefined && this.timerAt <= next.readyAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = next.readyAt;
    this.timer = this.clock.setTimeout(() => this.fire(), next.readyAt - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length > 0 && this.heap[0]!.readyAt <= now) {
      const { key, readyAt } = this.heapPop();
      if (this.waiting.get(key) !== readyAt) continue; // superseded by an earlier addAfter
      this.waiting.delete(key);
      this.add(key);
    }
    this.arm();
  }

  private heapPush(item: Delayed): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.readyAt <= h[i]!.readyAt) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private heapPop(): Delayed {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.readyAt < h[m]!.readyAt) m = l;
        if (r < h.length && h[r]!.readyAt < h[m]!.readyAt) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
