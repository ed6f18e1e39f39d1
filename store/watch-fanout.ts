/**
 * Watch delivery shared by every backend and the watch cache: one `WatchSubscription` per
 * watcher (prefix filter, ordered queue, back-pressured delivery, a bound on its backlog)
 * and a `WatchFanout` that offers each committed event to all subscriptions.
 *
 * Ordering invariant (after kine's `logstructured` watch): a subscription remembers the
 * highest revision it accepted and drops anything at or below it, so a source may replay
 * history and then go live, or re-offer events after a reconnect, without duplicates.
 */
import { StatusError, StatusReason, asStatusError } from '../apimachinery/index.js';
import type { StoreEvent, Unsubscribe, WatchErrorHandler, WatchHandler } from './types.js';

/** Default bound on the events queued for one watcher. */
export const DEFAULT_MAX_BACKLOG = 1000;

/**
 * What a subscription does when its live backlog reaches the bound:
 * - `cut-off`: end the watch with a "too slow" Expired error (kube-apiserver's watch cache
 *   closes such watches; the client re-watches from its last revision);
 * - `refill`: stop queueing and, once drained, ask the source to re-read from its last
 *   revision (the SQLite log is itself the buffer);
 * - `pause`: keep queueing but ask the source to pause (etcd: pause the gRPC stream, which
 *   bounds the rest through HTTP/2 flow control) and resume it once drained.
 */
export type OverflowPolicy = 'cut-off' | 'refill' | 'pause';

/** Options of a `WatchSubscription`. */
export interface WatchSubscriptionOptions {
  prefix: string;
  /** Only events with a revision above this are delivered. */
  afterRevision: number;
  onEvent: WatchHandler;
  onError: WatchErrorHandler;
  maxBacklog?: number;
  overflow?: OverflowPolicy;
  /** `pause`: the backlog reached the bound. */
  onFull?: () => void;
  /** `refill` and `pause`: the backlog drained after it had reached the bound. */
  onDrained?: () => void;
  /** Called once when the subscription ends for any reason, so its source lets go of it. */
  onClose?: () => void;
}

/** The error that ends a watcher whose consumer cannot keep up. */
export function watcherTooSlow(maxBacklog: number): StatusError {
  return new StatusError(
    StatusReason.Expired,
    `watcher too slow: more than ${maxBacklog} events pending; re-watch from the last revision received`,
  );
}

/** One watcher: filters by prefix, queues in order, delivers one event at a time. */
export class WatchSubscription {
  /** Highest revision accepted into the queue (or skipped by the prefix filter). */
  private accepted: number;
  /**
   * Keys already accepted at revision `accepted`, or undefined when `accepted` was set
   * without events (start, progress). One etcd revision can hold several events (a lease
   * expiry deletes all its keys at once), so a revision equal to `accepted` is new when its
   * key is.
   */
  private acceptedKeys: string[] | undefined;
  /** Highest revision whose handler has completed. */
  private delivered: number;
  private queue: StoreEvent[] = [];
  private head = 0;
  /** Events queued by `replay`, which the bound does not count. */
  private replaying = 0;
  private draining = false;
  private full = false;
  private closed = false;
  private readonly maxBacklog: number;
  private readonly overflow: OverflowPolicy;

  constructor(private readonly opts: WatchSubscriptionOptions) {
    this.accepted = opts.afterRevision;
    this.delivered = opts.afterRevision;
    this.maxBacklog = opts.maxBacklog ?? DEFAULT_MAX_BACKLOG;
    this.overflow = opts.overflow ?? 'cut-off';
  }

  /** The watched prefix. */
  get prefix(): string {
    return this.opts.prefix;
  }

  /** Highest revision accepted; a source refilling this subscription reads after it. */
  get lastAccepted(): number {
    return this.accepted;
  }

  /** Highest revision fully handled by the consumer. */
  get lastDelivered(): number {
    return this.delivered;
  }

  /** Events waiting for the handler. */
  get backlog(): number {
    return this.queue.length - this.head;
  }

  /** True once ended (unsubscribed, failed or closed). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** True while a `refill` subscription drops live events until it is refilled. */
  get isLagging(): boolean {
    return this.full && this.overflow === 'refill';
  }

  /**
   * Offers a live event. Events at or below the last accepted revision are dropped (they
   * were replayed already); events outside the prefix only advance the revision.
   */
  offer(event: StoreEvent): void {
    if (this.closed || !this.isNew(event)) return;
    if (this.full && this.overflow === 'refill') return;
    if (!event.kv.key.startsWith(this.opts.prefix)) {
      this.accept(event);
      return;
    }
    if (this.backlog - this.replaying >= this.maxBacklog) {
      if (this.overflow === 'cut-off') {
        this.fail(watcherTooSlow(this.maxBacklog));
        return;
      }
      if (!this.full) {
        this.full = true;
        if (this.overflow === 'refill') {
          this.schedule();
          return;
        }
        this.opts.onFull?.();
      }
    }
    this.accept(event);
    this.queue.push(event);
    this.schedule();
  }

  private isNew(event: StoreEvent): boolean {
    if (event.revision !== this.accepted) return event.revision > this.accepted;
    return this.acceptedKeys !== undefined && !this.acceptedKeys.includes(event.kv.key);
  }

  private accept(event: StoreEvent): void {
    if (event.revision === this.accepted) this.acceptedKeys!.push(event.kv.key);
    else this.acceptedKeys = [event.kv.key];
    this.accepted = event.revision;
  }

  /** Queues history (a catch-up or refill), in revision order, not counted against the bound. */
  replay(events: Iterable<StoreEvent>): void {
    if (this.closed) return;
    this.full = false;
    for (const event of events) {
      if (!this.isNew(event)) continue;
      this.accept(event);
      if (!event.kv.key.startsWith(this.opts.prefix)) continue;
      this.queue.push(event);
      this.replaying++;
    }
    this.schedule();
  }

  /** Marks every revision up to `revision` as seen, without events (a progress notice). */
  advance(revision: number): void {
    if (this.closed || revision <= this.accepted || (this.full && this.overflow === 'refill')) return;
    this.accepted = revision;
    this.acceptedKeys = undefined;
  }

  /** Ends the watch with `err`: the source lets go, then `onError` runs once. */
  fail(err: Error): void {
    if (this.closed) return;
    this.end();
    queueMicrotask(() => this.opts.onError(err));
  }

  /** Ends the watch quietly (the consumer unsubscribed). Idempotent. */
  close(): void {
    if (!this.closed) this.end();
  }

  /** The `Unsubscribe` handed to the consumer. */
  readonly unsubscribe: Unsubscribe = () => this.close();

  private end(): void {
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.opts.onClose?.();
  }

  private schedule(): void {
    if (this.draining || this.closed) return;
    this.draining = true;
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        while (!this.closed && this.head < this.queue.length) {
          const event = this.queue[this.head++]!;
          if (this.replaying > 0) this.replaying--;
          // Release memory of delivered events now and then, not on every shift.
          if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
          }
          const result = this.opts.onEvent(event);
          if (result !== undefined && typeof (result as Promise<void>).then === 'function') await result;
          this.delivered = event.revision;
        }
        if (this.closed || !this.full) break;
        // Drained after reaching the bound: let the source resume or refill, which may queue more.
        this.full = this.overflow === 'refill';
        this.opts.onDrained?.();
        if (this.head >= this.queue.length) break;
      }
    } catch (err) {
      this.fail(asStatusError(err));
    } finally {
      this.draining = false;
    }
  }
}

/** The set of subscriptions of one source; `publish` offers an event to each, in order. */
export class WatchFanout {
  private readonly subs = new Set<WatchSubscription>();

  /** Number of live subscriptions. */
  get size(): number {
    return this.subs.size;
  }

  /** Adds a subscription (it must already hold everything up to the source's position). */
  add(sub: WatchSubscription): void {
    if (!sub.isClosed) this.subs.add(sub);
  }

  /** Removes a subscription; idempotent. */
  remove(sub: WatchSubscription): void {
    this.subs.delete(sub);
  }

  /** Offers one committed event to every subscription. */
  publish(event: StoreEvent): void {
    for (const sub of this.subs) sub.offer(event);
  }

  /** Tells every subscription that nothing up to `revision` concerns it. */
  advance(revision: number): void {
    for (const sub of this.subs) sub.advance(revision);
  }

  /** Ends every subscription with `err` (store closed, history lost). */
  failAll(err: Error): void {
    for (const sub of [...this.subs]) sub.fail(err);
    this.subs.clear();
  }

  /** The subscriptions, for sources that refill them. */
  values(): IterableIterator<WatchSubscription> {
    return this.subs.values();
  }
}
