/**
 * One connected member: the gateway's side of its Connect stream. After the member's Hello
 * it always runs a full resync (`SyncStart` → an `Apply` for every desired object, in sync
 * order → `SyncEnd`), then sends incremental Applies and Deletes as the cluster's desired
 * state changes. Pending keys live in one insertion-ordered set: duplicates collapse and the
 * latest desired state is read at send time, so the newest rendering always wins.
 *
 * Invariants:
 * - `SyncEnd` goes out only after every object desired for the cluster was sent in this
 *   epoch (the member prunes managed objects not in the synced set).
 * - A Delete goes out only for an object this session applied and that then left the
 *   cluster's desired set; a closed or unknown stream never causes a Delete.
 * - While `send()` reports a full buffer, nothing more is sent until `onDrain`.
 * - Everything the member reports is about its authenticated cluster (`stream.cluster`):
 *   heartbeats go to that cluster, and a status report is passed on only for an object
 *   desired for that cluster or applied in this session; reports about anything else
 *   (another cluster's placement, a Cluster object, an invented name) are dropped with a
 *   warning, once per object and session.
 */
import { StatusError, StatusReason } from '../../apimachinery/index.js';
import type { Clock, Logger, TimerHandle } from '../../controller/index.js';
import type { fedgate, MemberMessage } from '../../proto/index.js';
import type { MemberStream } from '../member-stream.js';
import { inSyncOrder, refKey, type DesiredState, type ObjectRef } from './desired-state.js';

/** Default interval between Pings, ms. */
export const DEFAULT_PING_INTERVAL_MS = 5_000;
/** Default deadline of a purge (Deletes of everything before closing), ms. */
export const DEFAULT_PURGE_DEADLINE_MS = 5_000;
/** Distinct refused status reports logged per session; past it they are only counted. */
const MAX_LOGGED_REFUSED_REPORTS = 20;

/** States of a member session; transitions only along `sessionTransitions`. */
export enum SessionState {
  /** Stream attached; waiting for the member's Hello. */
  AwaitingHello = 'AwaitingHello',
  /** Hello received; the full resync of this epoch is being sent. */
  Syncing = 'Syncing',
  /** Resync complete; incremental changes flow. */
  Live = 'Live',
  /** Deleting every managed object before closing (unjoin with purge). */
  Purging = 'Purging',
  /** The stream ended; the session sends nothing more. */
  Closed = 'Closed',
}

/** Allowed transitions of a session. */
export const sessionTransitions: Readonly<Record<SessionState, readonly SessionState[]>> = {
  [SessionState.AwaitingHello]: [SessionState.Syncing, SessionState.Purging, SessionState.Closed],
  [SessionState.Syncing]: [SessionState.Live, SessionState.Purging, SessionState.Closed],
  [SessionState.Live]: [SessionState.Syncing, SessionState.Purging, SessionState.Closed],
  [SessionState.Purging]: [SessionState.Closed],
  [SessionState.Closed]: [],
};

/** What a member acknowledged for one Apply or Delete. */
export interface AckRecord {
  seq: number;
  operation: 'apply' | 'delete';
  /** Template generation of the rendering this ack is for (applies). */
  templateGeneration?: number;
  /** metadata.generation of the member's copy. */
  observedGeneration: number;
  /** Empty when applied. */
  error?: string;
  reason?: string;
}

/** A member's report of one object's status. */
export interface MemberStatusReport {
  status: unknown;
  generation: number;
  observedGeneration: number;
}

/** Callbacks of a session; every one is optional. Keys are `refKey`s. */
export interface MemberSessionEvents {
  onHello?(cluster: string, hello: fedgate.v1.IHello): void;
  onSyncEnd?(cluster: string, epoch: number, objects: number): void;
  onAck?(cluster: string, key: string, ack: AckRecord): void;
  onStatus?(cluster: string, key: string, report: MemberStatusReport): void;
  onHeartbeat?(cluster: string, heartbeat: fedgate.v1.IHeartbeat): void;
  onPong?(cluster: string, rttMs: number): void;
  onClosed?(cluster: string, err?: Error): void;
}

/** Options of a MemberSession. */
export interface MemberSessionOptions {
  stream: MemberStream;
  desired: DesiredState;
  clock: Clock;
  logger: Logger;
  /** Epoch of this session's resync (unique per gateway process). */
  epoch: number;
  /** Resolves when the desired state is complete (informers synced, templates bound); resync waits for it. */
  ready?: () => Promise<void>;
  pingIntervalMs?: number;
  events?: MemberSessionEvents;
}

interface InFlight {
  key: string;
  operation: 'apply' | 'delete';
  templateGeneration?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The gateway's side of one member's stream. */
export class MemberSession {
  /** The authenticated cluster name. */
  readonly cluster: string;
  /** Epoch of this session's resync. */
  readonly epoch: number;
  private readonly stream: MemberStream;
  private readonly desired: DesiredState;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly ready: () => Promise<void>;
  private readonly pingIntervalMs: number;
  private readonly events: MemberSessionEvents;

  private stateValue = SessionState.AwaitingHello;
  private seq = 0;
  /** Set while the transport's buffer is full. */
  private blocked = false;
  /** Keys of the resync still to send, in order. */
  private resync: string[] = [];
  private resyncIndex = 0;
  private syncedCount = 0;
  /** Incremental keys still to send, in first-add order. */
  private readonly pending = new Set<string>();
  /** Objects applied in this session (their refs, for a later Delete). */
  private readonly applied = new Map<string, ObjectRef>();
  private readonly inFlight = new Map<number, InFlight>();
  /** Keys of refused status reports already logged in this session. */
  private readonly refusedReports = new Set<string>();
  private refusedReportCount = 0;
  private pingTimer: TimerHandle | undefined;
  private pumpScheduled = false;
  private purgeDone: (() => void) | undefined;
  private purgeTimer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: MemberSessionOptions) {
    this.stream = options.stream;
    this.cluster = options.stream.cluster;
    this.epoch = options.epoch;
    this.desired = options.desired;
    this.clock = options.clock;
    this.logger = options.logger;
    this.ready = options.ready ?? (() => Promise.resolve());
    this.pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.events = options.events ?? {};
  }

  /** The session's state. */
  get state(): SessionState {
    return this.stateValue;
  }

  /** Messages sent but not yet acknowledged. */
  unacknowledged(): number {
    return this.inFlight.size;
  }

  /** Status reports dropped because they were about objects not placed on this cluster. */
  refusedStatusReports(): number {
    return this.refusedReportCount;
  }

  /** Hooks the stream up; the member speaks first (Hello). */
  start(): void {
    this.stream.onMessage((m) => this.onMessage(m));
    this.stream.onDrain(() => {
      this.blocked = false;
      this.pump();
    });
    this.stream.onClose((err) => this.closed(err));
    this.unsubscribe = this.desired.onChange((cluster, key) => {
      if (cluster === this.cluster) this.enqueue(key);
    });
    this.armPing();
  }

  /** Queues `key` to be sent again with the cluster's current desired state. */
  enqueue(key: string): void {
    if (this.stateValue === SessionState.Closed || this.stateValue === SessionState.Purging) return;
    this.pending.add(key);
    if (this.stateValue === SessionState.Live) this.schedulePump();
  }

  /** Pumps once at the end of this turn, so changes made together collapse into one send per key. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Ends the stream; the member keeps everything it holds. */
  close(err?: Error): void {
    if (this.stateValue === SessionState.Closed) return;
    this.stream.close(err);
    this.closed(err);
  }

  /**
   * Deletes every object of the cluster (desired or applied in this session), then closes.
   * Best effort: resolves when every Delete was acknowledged or after `deadlineMs`, whichever
   * comes first, so an unreachable member never holds the unjoin up.
   */
  purge(deadlineMs = DEFAULT_PURGE_DEADLINE_MS, closeWith?: Error): Promise<void> {
    if (this.stateValue === SessionState.Closed) return Promise.resolve();
    if (this.stateValue === SessionState.Purging) return new Promise((resolve) => this.chainPurge(resolve));
    this.transition(SessionState.Purging);
    this.pending.clear();
    this.resync = [];
    this.inFlight.clear();
    const refs = new Map(this.applied);
    for (const [key, d] of this.desired.objectsOf(this.cluster)) {
      if (!refs.has(key)) refs.set(key, { apiVersion: d.object.apiVersion, kind: d.object.kind, namespace: d.object.metadata.namespace, name: d.object.metadata.name ?? '' });
    }
    // Reverse sync order: workloads go before what they use, namespaces last.
    const keys = inSyncOrder(refs.keys()).reverse();
    return new Promise((resolve) => {
      this.purgeDone = () => {
        if (this.purgeTimer !== undefined) this.clock.clearTimeout(this.purgeTimer);
        this.purgeDone = undefined;
        this.close(closeWith);
        resolve();
      };
      this.purgeTimer = this.clock.setTimeout(() => this.purgeDone?.(), deadlineMs);
      for (const key of keys) {
        const ref = refs.get(key)!;
        const seq = this.nextSeq();
        this.inFlight.set(seq, { key, operation: 'delete' });
        // Past a full buffer the transport still queues; the deadline bounds the wait.
        this.stream.send({ delete: { seq, ref: { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name }, orphan: false } });
      }
      if (this.inFlight.size === 0) this.purgeDone();
    });
  }

  private chainPurge(resolve: () => void): void {
    const previous = this.purgeDone;
    this.purgeDone = () => {
      previous?.();
      resolve();
    };
  }

  private transition(to: SessionState): void {
    const from = this.stateValue;
    if (!sessionTransitions[from].includes(to)) throw new Error(`member session ${this.cluster}: no transition ${from} → ${to}`);
    this.stateValue = to;
  }

  private nextSeq(): number {
    // uint32 per connection; wraps after 4 billion messages, which one connection never reaches.
    this.seq = (this.seq + 1) >>> 0 || 1;
    return this.seq;
  }

  private onMessage(m: MemberMessage): void {
    if (this.stateValue === SessionState.Closed) return;
    try {
      if (m.hello) this.onHello(m.hello);
      else if (m.ack) this.onAck(m.ack);
      else if (m.status) this.onStatus(m.status);
      else if (m.heartbeat) this.events.onHeartbeat?.(this.cluster, m.heartbeat);
      else if (m.pong) this.events.onPong?.(this.cluster, Math.max(0, this.clock.now() - Number(m.pong.pingSentUnixMs ?? 0)));
    } catch (err) {
      this.logger.warn({ cluster: this.cluster, err }, 'bad message from member');
    }
  }

  private onHello(hello: fedgate.v1.IHello): void {
    if (this.stateValue !== SessionState.AwaitingHello) return; // one Hello per stream
    if (hello.clusterName && hello.clusterName !== this.cluster) {
      this.logger.warn({ cluster: this.cluster, claimed: hello.clusterName }, 'member named another cluster in its Hello; stream closed');
      this.close(new StatusError(StatusReason.Forbidden, `certificate is for cluster ${this.cluster}, not ${hello.clusterName}`));
      return;
    }
    this.events.onHello?.(this.cluster, hello);
    this.ready().then(
      () => this.beginResync(),
      (err: unknown) => this.close(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private beginResync(): void {
    if (this.stateValue !== SessionState.AwaitingHello && this.stateValue !== SessionState.Live) return;
    this.transition(SessionState.Syncing);
    this.resync = inSyncOrder(this.desired.objectsOf(this.cluster).keys());
    this.resyncIndex = 0;
    this.syncedCount = 0;
    this.send({ syncStart: { epoch: this.epoch } }, true);
    this.pump();
  }

  /** Sends until the buffer fills or there is nothing left. */
  private pump(): void {
    while (!this.blocked) {
      if (this.stateValue === SessionState.Syncing) {
        if (this.resyncIndex < this.resync.length) {
          const key = this.resync[this.resyncIndex++]!;
          // Sent now with the latest state, so a pending incremental copy is redundant.
          this.pending.delete(key);
          if (this.sendApply(key)) this.syncedCount++;
          continue;
        }
        this.transition(SessionState.Live);
        this.send({ syncEnd: { epoch: this.epoch } });
        this.events.onSyncEnd?.(this.cluster, this.epoch, this.syncedCount);
        continue;
      }
      if (this.stateValue !== SessionState.Live) return;
      const next = this.pending.values().next();
      if (next.done) return;
      this.pending.delete(next.value);
      if (!this.sendApply(next.value)) this.sendDelete(next.value);
    }
  }

  /** Applies the desired object of `key`; false when there is none. */
  private sendApply(key: string): boolean {
    const d = this.desired.get(this.cluster, key);
    if (!d) return false;
    const seq = this.nextSeq();
    this.inFlight.set(seq, { key, operation: 'apply', templateGeneration: d.templateGeneration });
    this.applied.set(key, { apiVersion: d.object.apiVersion, kind: d.object.kind, namespace: d.object.metadata.namespace, name: d.object.metadata.name ?? '' });
    this.send({ apply: { seq, object: encoder.encode(JSON.stringify(d.object)), overwrite: Boolean(d.overwrite) } });
    return true;
  }

  /** Deletes `key` from the member if this session applied it (it left the desired set). */
  private sendDelete(key: string): void {
    const ref = this.applied.get(key);
    if (!ref) return;
    this.applied.delete(key);
    const seq = this.nextSeq();
    this.inFlight.set(seq, { key, operation: 'delete' });
    this.send({ delete: { seq, ref: { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name }, orphan: false } });
  }

  private send(message: fedgate.v1.IGatewayMessage, force = false): void {
    if (this.stateValue === SessionState.Closed) return;
    if (this.blocked && !force) throw new Error('send while blocked');
    if (!this.stream.send(message)) this.blocked = true;
  }

  private onAck(ack: fedgate.v1.IAck): void {
    const seq = Number(ack.seq ?? 0);
    const sent = this.inFlight.get(seq);
    if (!sent) return; // an ack of a message from before a purge, or a duplicate
    this.inFlight.delete(seq);
    const record: AckRecord = {
      seq,
      operation: sent.operation,
      observedGeneration: Number(ack.observedGeneration ?? 0),
    };
    if (sent.templateGeneration !== undefined) record.templateGeneration = sent.templateGeneration;
    if (ack.error) record.error = ack.error;
    if (ack.reason) record.reason = ack.reason;
    if (this.stateValue !== SessionState.Purging) this.events.onAck?.(this.cluster, sent.key, record);
    else if (this.inFlight.size === 0) this.purgeDone?.();
  }

  private onStatus(status: fedgate.v1.IStatus): void {
    const ref = status.ref;
    if (!ref?.kind || !ref.name) return;
    const key = refKey({ apiVersion: ref.apiVersion ?? '', kind: ref.kind, namespace: ref.namespace || undefined, name: ref.name });
    if (!this.desired.get(this.cluster, key) && !this.applied.has(key)) {
      this.refuseReport(key);
      return;
    }
    let parsed: unknown;
    if (status.status && status.status.length > 0) parsed = JSON.parse(decoder.decode(status.status));
    this.events.onStatus?.(this.cluster, key, {
      status: parsed,
      generation: Number(status.generation ?? 0),
      observedGeneration: Number(status.observedGeneration ?? 0),
    });
  }

  /** A member may report only on its own placements; anything else is dropped and logged. */
  private refuseReport(key: string): void {
    this.refusedReportCount++;
    if (this.refusedReports.has(key) || this.refusedReports.size >= MAX_LOGGED_REFUSED_REPORTS) return;
    this.refusedReports.add(key);
    this.logger.warn(
      { cluster: this.cluster, object: key, refused: this.refusedReportCount },
      'status report ignored: the object is not placed on the reporting cluster',
    );
  }

  private armPing(): void {
    if (!(this.pingIntervalMs > 0)) return;
    this.pingTimer = this.clock.setTimeout(() => {
      this.pingTimer = undefined;
      if (this.stateValue === SessionState.Closed) return;
      // A ping behind a full buffer would only add to it; the next one goes when it drained.
      if (!this.blocked) this.send({ ping: { sentUnixMs: this.clock.now() } });
      this.armPing();
    }, this.pingIntervalMs);
  }

  private closed(err?: Error): void {
    if (this.stateValue === SessionState.Closed) return;
    this.stateValue = SessionState.Closed;
    this.unsubscribe?.();
    if (this.pingTimer !== undefined) this.clock.clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
    this.pending.clear();
    this.purgeDone?.();
    this.events.onClosed?.(this.cluster, err);
  }
}
