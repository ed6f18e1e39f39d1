/**
 * Leader election over a `Store` lease (after client-go's `tools/leaderelection` and
 * etcd's `concurrency.Election`): the leader is whoever created the election key, and the
 * key is attached to the leader's lease, so it vanishes when the leader stops renewing.
 *
 * - Acquire: grant a lease, `create(key, identity, { lease })`. AlreadyExists means another
 *   candidate leads: watch the key and try again as soon as it is deleted (and every
 *   `retryPeriodMs` in any case, should a watch miss it).
 * - Hold: `keepAlive` every `renewIntervalMs` (ttl/3), and check the key is still ours.
 *   A NotFound lease or a missing key ends leadership at once; other errors are retried
 *   until `renewDeadlineMs` (2/3 ttl) passed since the last renewal, which is before the
 *   lease can expire, so a leader steps down before anyone else can take over.
 * - Release: `stop()` revokes the lease, deleting the key, so a waiting candidate takes
 *   over immediately instead of after the TTL.
 *
 * On etcd this is a real lease; the SQLite backend emulates leases in its own tables.
 */
import { isAlreadyExists, isNotFound } from '../apimachinery/index.js';
import type { Lease, Store, Unsubscribe } from '../store/index.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { stderrLogger, type Logger } from './logger.js';

/** Default lease TTL (client-go's LeaseDuration: 15 s). */
export const DEFAULT_LEASE_TTL_SECONDS = 15;

/** The store key of election `name`. */
export function leaseKey(name: string): string {
  return `/registry/leases/${name}`;
}

/** Options of `LeaderElector`. */
export interface LeaderElectorOptions {
  store: Store;
  /** Election name; the key is `leaseKey(name)` unless `key` is given. */
  name: string;
  key?: string;
  /** This candidate's identity, stored as the key's value (e.g. host name + pid). */
  identity: string;
  ttlSeconds?: number;
  /** Interval between lease renewals (default ttl/3). */
  renewIntervalMs?: number;
  /** Leadership ends when no renewal succeeded for this long (default 2/3 ttl; must be below the ttl). */
  renewDeadlineMs?: number;
  /** A candidate retries at least this often (default ttl/3). */
  retryPeriodMs?: number;
  /**
   * Called when this candidate becomes leader. The signal aborts when leadership ends;
   * the leader's work must stop then. A returned promise is not awaited.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when leadership ends (lost, or released by `stop()`); only after `onStartedLeading`. */
  onStoppedLeading?(): void;
  /** Called when another leader is observed (or this one), with its identity. */
  onNewLeader?(identity: string): void;
  clock?: Clock;
  logger?: Logger;
}

/** `stopped` → `candidate` ⇄ `leading`; `stop()` returns to `stopped` from either. */
export type ElectorState = 'stopped' | 'candidate' | 'leading';

/** One candidate in an election over a store key. */
export class LeaderElector {
  /** The election key. */
  readonly key: string;
  /** This candidate's identity. */
  readonly identity: string;
  private readonly store: Store;
  private readonly ttlSeconds: number;
  private readonly renewIntervalMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly options: LeaderElectorOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;

  private state: ElectorState = 'stopped';
  /** Bumped on every transition; async steps of an older epoch undo themselves and return. */
  private epoch = 0;
  private lease: Lease | undefined;
  private abort: AbortController | undefined;
  private lastRenew = 0;
  private unwatch: Unsubscribe | undefined;
  private readonly timers = new Set<TimerHandle>();
  private deadlineTimer: TimerHandle | undefined;
  private readonly pending = new Set<Promise<void>>();
  private observed: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.store = options.store;
    this.key = options.key ?? leaseKey(options.name);
    this.identity = options.identity;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
    const ttlMs = this.ttlSeconds * 1000;
    this.renewIntervalMs = options.renewIntervalMs ?? ttlMs / 3;
    this.renewDeadlineMs = options.renewDeadlineMs ?? (ttlMs * 2) / 3;
    this.retryPeriodMs = options.retryPeriodMs ?? ttlMs / 3;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? stderrLogger;
    if (!(this.renewIntervalMs > 0 && this.renewIntervalMs < this.renewDeadlineMs && this.renewDeadlineMs < ttlMs)) {
      throw new RangeError(
        `leader election needs 0 < renewInterval (${this.renewIntervalMs}) < renewDeadline (${this.renewDeadlineMs}) < ttl (${ttlMs}) ms`,
      );
    }
  }

  /** Joins the election; a no-op unless stopped. */
  start(): void {
    if (this.state !== 'stopped') return;
    this.state = 'candidate';
    this.track(this.tryAcquire(++this.epoch));
  }

  /** Leaves the election; a leader revokes its lease so another candidate takes over at once. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasLeading = this.state === 'leading';
    const lease = this.lease;
    this.epoch++;
    this.state = 'stopped';
    this.clear();
    if (wasLeading) {
      this.abort?.abort();
      this.abort = undefined;
      this.lease = undefined;
      await lease?.revoke().catch((err: unknown) => this.logger.warn({ key: this.key, err }, 'lease revoke failed'));
      this.notifyStopped();
    }
    // Attempts in flight see the new epoch and revoke what they acquired.
    await Promise.all([...this.pending]);
  }

  /** True while this candidate leads. */
  isLeader(): boolean {
    return this.state === 'leading';
  }

  /** The current state. */
  currentState(): ElectorState {
    return this.state;
  }

  /** Clock time of the last successful renewal (or acquisition) while leading. */
  lastRenewal(): number | undefined {
    return this.state === 'leading' ? this.lastRenew : undefined;
  }

  /** Identity of the last leader observed (this candidate's own while it leads). */
  leaderIdentity(): string | undefined {
    return this.observed;
  }

  // ---- candidate ----

  private async tryAcquire(epoch: number): Promise<void> {
    let lease: Lease | undefined;
    try {
      lease = await this.store.grantLease(this.ttlSeconds);
      if (epoch !== this.epoch) return;
      const revision = await this.store.create(this.key, this.identity, { lease: lease.id });
      if (epoch !== this.epoch) return;
      const acquired = lease;
      lease = undefined; // ours to keep now
      this.lead(acquired, revision);
    } catch (err) {
      if (epoch !== this.epoch) return;
      if (isAlreadyExists(err)) {
        await this.follow(epoch);
      } else {
        this.logger.warn({ key: this.key, err }, 'leader election attempt failed; retrying');
        this.retryLater(epoch);
      }
    } finally {
      // A lease not attached to leadership is released; revoking also removes the key
      // when a stop() raced with a successful create.
      if (lease) await lease.revoke().catch(() => {});
    }
  }

  /** Another candidate leads: wait for its key to go away. */
  private async follow(epoch: number): Promise<void> {
    const kv = await this.store.get(this.key).catch((err: unknown) => {
      this.logger.warn({ key: this.key, err }, 'reading the leader key failed');
      return null;
    });
    if (epoch !== this.epoch) return;
    if (kv === null) {
      this.retryLater(epoch);
      return;
    }
    if (kv === undefined) {
      // Deleted between our create and this read: try again now.
      this.track(this.tryAcquire(++this.epoch));
      return;
    }
    this.observe(kv.value);
    this.unwatch = this.store.watch(
      this.key,
      kv.modRevision,
      (event) => {
        if (epoch !== this.epoch || event.kv.key !== this.key || event.type !== 'delete') return;
        this.clear();
        this.track(this.tryAcquire(++this.epoch));
      },
      () => {
        // The periodic retry below still runs; no need to re-watch here.
        if (epoch === this.epoch) this.unwatch = undefined;
      },
    );
    this.retryLater(epoch);
  }

  private retryLater(epoch: number): void {
    this.after(this.retryPeriodMs, () => {
      if (epoch !== this.epoch) return;
      this.clear();
      this.track(this.tryAcquire(++this.epoch));
    });
  }

  // ---- leader ----

  private lead(lease: Lease, revision: number): void {
    const epoch = ++this.epoch;
    this.state = 'leading';
    this.lease = lease;
    this.lastRenew = this.clock.now();
    this.abort = new AbortController();
    this.observe(this.identity);
    this.logger.info({ key: this.key, identity: this.identity, revision }, 'became leader');
    this.scheduleRenew(epoch);
    this.armDeadline(epoch);
    try {
      const started = this.options.onStartedLeading(this.abort.signal);
      if (started instanceof Promise) {
        started.catch((err: unknown) => this.logger.error({ key: this.key, err }, 'leader work failed'));
      }
    } catch (err) {
      this.logger.error({ key: this.key, err }, 'leader work failed');
    }
  }

  private scheduleRenew(epoch: number): void {
    this.after(this.renewIntervalMs, () => {
      if (epoch !== this.epoch) return;
      this.track(this.renew(epoch));
    });
  }

  private async renew(epoch: number): Promise<void> {
    const lease = this.lease!;
    try {
      await lease.keepAlive();
      // The lease lives; make sure the key on it is still ours (someone may have deleted it).
      const kv = await this.store.get(this.key);
      if (epoch !== this.epoch) return;
      if (!kv || kv.lease !== lease.id) {
        this.loseLeadership(epoch, 'the leader key was deleted or replaced');
        return;
      }
      this.lastRenew = this.clock.now();
      this.armDeadline(epoch);
    } catch (err) {
      if (epoch !== this.epoch) return;
      if (isNotFound(err)) {
        this.loseLeadership(epoch, 'the lease expired');
        return;
      }
      this.logger.warn({ key: this.key, err }, 'lease renewal failed; retrying until the renew deadline');
    }
    this.scheduleRenew(epoch);
  }

  private armDeadline(epoch: number): void {
    if (this.deadlineTimer !== undefined) this.cancel(this.deadlineTimer);
    const due = this.lastRenew + this.renewDeadlineMs - this.clock.now();
    this.deadlineTimer = this.after(due, () => {
      if (epoch !== this.epoch) return;
      this.loseLeadership(epoch, 'no renewal succeeded within the renew deadline');
    });
  }

  private loseLeadership(epoch: number, reason: string): void {
    if (epoch !== this.epoch || this.state !== 'leading') return;
    this.logger.warn({ key: this.key, identity: this.identity, reason }, 'lost leadership');
    const lease = this.lease;
    const next = ++this.epoch;
    this.clear();
    this.state = 'candidate';
    this.lease = undefined;
    this.abort?.abort();
    this.abort = undefined;
    // Best effort: if the lease still exists, free the key for the others now.
    if (lease) this.track(lease.revoke().catch(() => {}));
    this.notifyStopped();
    this.retryLater(next);
  }

  // ---- plumbing ----

  private notifyStopped(): void {
    try {
      this.options.onStoppedLeading?.();
    } catch (err) {
      this.logger.error({ key: this.key, err }, 'onStoppedLeading threw');
    }
  }

  private observe(identity: string): void {
    if (identity === this.observed) return;
    this.observed = identity;
    try {
      this.options.onNewLeader?.(identity);
    } catch (err) {
      this.logger.error({ key: this.key, err }, 'onNewLeader threw');
    }
  }

  private after(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, Math.max(0, ms));
    this.timers.add(handle);
    return handle;
  }

  private cancel(handle: TimerHandle): void {
    this.clock.clearTimeout(handle);
    this.timers.delete(handle);
  }

  /** Cancels the watch and every timer of the current epoch. */
  private clear(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.deadlineTimer = undefined;
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
