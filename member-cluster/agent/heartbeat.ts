/**
 * The member's heartbeat: every `heartbeatMs` it tells the gateway its capacity, what is
 * free, how many nodes are ready, the ready endpoints of each Service and the free
 * resources of each node. The gateway judges the cluster's health by its freshness and
 * DNS by its endpoint counts, so a heartbeat that cannot be sent (the stream is full) is
 * dropped rather than queued: the next one carries newer figures anyway.
 */
import type { NodeSummary, ResourceList } from '../../apimachinery/index.js';
import type { Clock, Logger, TimerHandle } from '../../controller/index.js';
import type { HeartbeatMessage } from '../../proto/index.js';
import type { CapacityReport } from '../capacity/index.js';

/** Default interval between heartbeats, ms. */
export const DEFAULT_HEARTBEAT_MS = 500;

/** What a heartbeat reports: the member's capacity report, with its nodes' free resources when known. */
export type HeartbeatCapacity = Omit<CapacityReport, 'nodeSummaries'> & { nodeSummaries?: readonly NodeSummary[] };

/** Where heartbeats go; `send` returns false when the message was not taken. */
export interface HeartbeatSink {
  /** Sends a heartbeat unless the stream is backed up; false when it was dropped. */
  sendHeartbeat(heartbeat: HeartbeatMessage): boolean;
}

function quantities(list: ResourceList | Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(list ?? {})) out[name] = String(q);
  return out;
}

/** The Heartbeat message of a capacity report, sent at `nowMs`. */
export function heartbeatMessage(report: HeartbeatCapacity, nowMs: number): HeartbeatMessage {
  return {
    sentUnixMs: nowMs,
    capacity: quantities(report.capacity),
    allocatable: quantities(report.allocatable),
    available: quantities(report.available),
    nodesReady: report.nodes.ready,
    nodesTotal: report.nodes.total,
    services: report.services.map((s) => ({
      namespace: s.namespace,
      name: s.name,
      readyEndpoints: s.readyEndpoints,
      totalEndpoints: s.totalEndpoints,
    })),
    nodes: (report.nodeSummaries ?? []).map((n) => ({
      name: n.name,
      allocatable: quantities(n.allocatable),
      free: quantities(n.free),
      ready: n.ready,
    })),
  };
}

/** Options of a HeartbeatSender. */
export interface HeartbeatOptions {
  capacity: () => HeartbeatCapacity;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
}

/** Sends a heartbeat at once and then every interval while started. */
export class HeartbeatSender {
  private readonly intervalMs: number;
  private timer: TimerHandle | undefined;
  private sink: HeartbeatSink | undefined;
  private sent = 0;
  private dropped = 0;

  constructor(private readonly options: HeartbeatOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /** Heartbeats sent and dropped (stream full or no capacity report) so far. */
  stats(): { sent: number; dropped: number } {
    return { sent: this.sent, dropped: this.dropped };
  }

  /** Starts beating into `sink` (replacing an earlier sink): one now, then every interval. */
  start(sink: HeartbeatSink): void {
    this.stop();
    this.sink = sink;
    this.beat();
  }

  /** Stops the beat. */
  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.sink = undefined;
  }

  private beat(): void {
    const sink = this.sink;
    if (!sink) return;
    // The next beat is armed first, so a failing report never stops the heartbeat for good.
    this.timer = this.options.clock.setTimeout(() => this.beat(), this.intervalMs);
    let report: HeartbeatCapacity;
    try {
      report = this.options.capacity();
    } catch (err) {
      this.dropped++;
      this.options.logger.warn({ err }, 'no capacity report for the heartbeat');
      return;
    }
    if (sink.sendHeartbeat(heartbeatMessage(report, this.options.clock.now()))) this.sent++;
    else this.dropped++;
  }
}
