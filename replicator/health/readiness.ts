/**
 * The readiness state machine of one member cluster, driven by stream and heartbeat events
 * with explicit times (no clock inside, so it is tested by feeding times).
 *
 *   Unknown ──heartbeats──▶ Ready ◀──heartbeats── NotReady
 *      └──────closed/timeout──────▶ NotReady ◀──closed/timeout── Ready
 *
 * - A broken stream makes the cluster NotReady at once (`StreamClosed`).
 * - No heartbeat for `heartbeatTimeoutMs` makes it NotReady (`HeartbeatTimeout`); the caller
 *   asks `timeoutAt()` when to check.
 * - Becoming Ready needs the stream up and N consecutive heartbeats (each within the timeout
 *   of the previous one). Damping rule: N = `requiredHeartbeats` (default 2), plus 2 for every
 *   further Ready→NotReady flap within `flapWindowMs` (default 60 s), at most
 *   `maxRequiredHeartbeats` (default 10). With heartbeats every 500 ms a cluster that flapped
 *   three times in a minute needs 3 s of steady heartbeats before it is Ready again.
 */

/** Readiness of a member cluster. */
export enum Readiness {
  Unknown = 'Unknown',
  Ready = 'Ready',
  NotReady = 'NotReady',
}

/** Allowed transitions; Unknown is only the state before anything was heard. */
export const readinessTransitions: Readonly<Record<Readiness, readonly Readiness[]>> = {
  [Readiness.Unknown]: [Readiness.Ready, Readiness.NotReady],
  [Readiness.Ready]: [Readiness.NotReady],
  [Readiness.NotReady]: [Readiness.Ready],
};

/** Reasons on the Ready condition. */
export const ReadinessReasons = {
  ClusterJoined: 'ClusterJoined',
  HeartbeatsReceived: 'HeartbeatsReceived',
  StreamClosed: 'StreamClosed',
  HeartbeatTimeout: 'HeartbeatTimeout',
  WaitingForHeartbeats: 'WaitingForHeartbeats',
} as const;

/** Default heartbeat timeout, ms (members send every 500 ms). */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 1_500;
/** Default consecutive heartbeats to become Ready. */
export const DEFAULT_REQUIRED_HEARTBEATS = 2;
/** Default window in which flaps extend the heartbeats needed, ms. */
export const DEFAULT_FLAP_WINDOW_MS = 60_000;
/** Default cap of the heartbeats needed. */
export const DEFAULT_MAX_REQUIRED_HEARTBEATS = 10;

/** Options of the readiness machine. */
export interface ReadinessOptions {
  heartbeatTimeoutMs?: number;
  requiredHeartbeats?: number;
  flapWindowMs?: number;
  maxRequiredHeartbeats?: number;
}

/** One transition that happened. */
export interface ReadinessTransition {
  from: Readiness;
  to: Readiness;
  reason: string;
  at: number;
}

/** Readiness of one cluster. */
export class ClusterReadiness {
  private stateValue = Readiness.Unknown;
  private reasonValue: string = ReadinessReasons.ClusterJoined;
  private transitionAt: number | undefined;
  private streamUp = false;
  private consecutive = 0;
  private lastHeartbeat: number | undefined;
  /** Since when the timeout counts (last heartbeat, or the stream opening). */
  private aliveSince: number | undefined;
  private flaps: number[] = [];
  private readonly timeoutMs: number;
  private readonly required: number;
  private readonly flapWindowMs: number;
  private readonly maxRequired: number;

  constructor(options: ReadinessOptions = {}) {
    this.timeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    this.required = options.requiredHeartbeats ?? DEFAULT_REQUIRED_HEARTBEATS;
    this.flapWindowMs = options.flapWindowMs ?? DEFAULT_FLAP_WINDOW_MS;
    this.maxRequired = options.maxRequiredHeartbeats ?? DEFAULT_MAX_REQUIRED_HEARTBEATS;
  }

  /** The current state. */
  get state(): Readiness {
    return this.stateValue;
  }

  /** Reason of the last transition. */
  get reason(): string {
    return this.reasonValue;
  }

  /** Time of the last transition (ms), if any. */
  get lastTransitionTime(): number | undefined {
    return this.transitionAt;
  }

  /** Time of the last heartbeat (ms), if any. */
  get lastHeartbeatTime(): number | undefined {
    return this.lastHeartbeat;
  }

  /** Consecutive heartbeats needed now to become Ready (the damping rule). */
  requiredHeartbeats(now: number): number {
    this.flaps = this.flaps.filter((t) => now - t < this.flapWindowMs);
    const extra = Math.max(0, this.flaps.length - 1) * 2;
    return Math.min(this.maxRequired, this.required + extra);
  }

  /** The member's stream is up; heartbeats may count from now. */
  streamOpened(now: number): ReadinessTransition | undefined {
    this.streamUp = true;
    this.consecutive = 0;
    this.aliveSince = now;
    return undefined;
  }

  /** The stream broke or ended: NotReady at once. */
  streamClosed(now: number): ReadinessTransition | undefined {
    this.streamUp = false;
    this.consecutive = 0;
    this.aliveSince = undefined;
    return this.to(Readiness.NotReady, ReadinessReasons.StreamClosed, now);
  }

  /** A heartbeat arrived. */
  heartbeat(now: number): ReadinessTransition | undefined {
    if (!this.streamUp) return undefined;
    const fresh = this.lastHeartbeat !== undefined && now - this.lastHeartbeat <= this.timeoutMs;
    this.consecutive = fresh || this.consecutive === 0 ? this.consecutive + 1 : 1;
    this.lastHeartbeat = now;
    this.aliveSince = now;
    if (this.stateValue !== Readiness.Ready && this.consecutive >= this.requiredHeartbeats(now)) {
      return this.to(Readiness.Ready, ReadinessReasons.HeartbeatsReceived, now);
    }
    return undefined;
  }

  /** When the heartbeat timeout falls due (ms), if one is running. */
  timeoutAt(): number | undefined {
    if (this.stateValue === Readiness.NotReady || this.aliveSince === undefined) return undefined;
    return this.aliveSince + this.timeoutMs;
  }

  /** Checks the heartbeat timeout at `now`. */
  checkTimeout(now: number): ReadinessTransition | undefined {
    const at = this.timeoutAt();
    if (at === undefined || now < at) return undefined;
    this.consecutive = 0;
    return this.to(Readiness.NotReady, ReadinessReasons.HeartbeatTimeout, now);
  }

  /** Treats a cluster nobody heard from since `since` as timed out at `now` (after a gateway restart). */
  neverConnected(since: number, now: number): ReadinessTransition | undefined {
    if (this.streamUp || this.stateValue !== Readiness.Unknown || now - since < this.timeoutMs) return undefined;
    return this.to(Readiness.NotReady, ReadinessReasons.HeartbeatTimeout, now);
  }

  private to(next: Readiness, reason: string, now: number): ReadinessTransition | undefined {
    const from = this.stateValue;
    if (from === next) return undefined;
    if (!readinessTransitions[from].includes(next)) throw new Error(`readiness: no transition ${from} → ${next}`);
    if (from === Readiness.Ready && next === Readiness.NotReady) this.flaps.push(now);
    this.stateValue = next;
    this.reasonValue = reason;
    this.transitionAt = now;
    return { from, to: next, reason, at: now };
  }
}
