/**
 * The kubelet's Node object: registered on start (created when missing) with capacity,
 * allocatable, addresses and a Ready condition, then kept fresh — the Ready condition's
 * lastHeartbeatTime moves every heartbeat interval (10 s, Kubernetes'
 * nodeStatusUpdateFrequency); between heartbeats nothing is written unless the status
 * itself changed.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { isAlreadyExists, isConflict, isNotFound, storeKey, type ResourceInfo } from '../../apimachinery/index.js';
import type { Clock, Logger, TimerHandle } from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import type { Condition, Node, NodeStatus } from '../api-types.js';
import type { MemberConfig } from '../member-config.js';

/** How often the Ready condition's heartbeat is refreshed, ms. */
export const DEFAULT_NODE_HEARTBEAT_MS = 10_000;

/** Options of a NodeStatusReporter. */
export interface NodeStatusReporterOptions {
  nodeName: string;
  store: Store;
  nodes: ResourceInfo;
  config: MemberConfig;
  clock: Clock;
  logger: Logger;
  heartbeatMs?: number;
}

/** The Node status this kubelet reports, without times. */
export function desiredNodeStatus(config: MemberConfig): NodeStatus {
  return {
    capacity: { ...config.nodeCapacity },
    allocatable: { ...config.nodeCapacity },
    addresses: [{ type: 'InternalIP', address: config.externalIP }],
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
  };
}

function stripTimes(status: NodeStatus | undefined): NodeStatus | undefined {
  if (!status) return undefined;
  return { ...status, conditions: status.conditions?.map(({ lastHeartbeatTime: _h, lastTransitionTime: _t, ...c }: Condition & { lastHeartbeatTime?: string }) => c) };
}

/** Registers a node and keeps its heartbeat. */
export class NodeStatusReporter {
  private timer: TimerHandle | undefined;
  private running = false;
  private readonly key: string;
  private readonly heartbeatMs: number;

  constructor(private readonly o: NodeStatusReporterOptions) {
    this.key = storeKey(o.nodes, undefined, o.nodeName);
    this.heartbeatMs = o.heartbeatMs ?? DEFAULT_NODE_HEARTBEAT_MS;
  }

  /** Registers the node (create or update) and starts the heartbeat. */
  async start(): Promise<void> {
    this.running = true;
    await this.sync(true);
    this.arm();
  }

  /** Stops the heartbeat; the Node object stays. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (!this.running) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.sync(false).then(
        () => this.arm(),
        (err: unknown) => {
          this.o.logger.warn({ node: this.o.nodeName, err }, 'node status update failed; retrying at the next heartbeat');
          this.arm();
        },
      );
    }, this.heartbeatMs);
  }

  /** Writes the status when it changed or the heartbeat is due. */
  async sync(force: boolean): Promise<void> {
    const now = new Date(this.o.clock.now()).toISOString();
    const desired = desiredNodeStatus(this.o.config);
    for (let attempt = 0; attempt < 10; attempt++) {
      const kv = await this.o.store.get(this.key);
      if (!kv) {
        const node: Node = {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: {
            name: this.o.nodeName,
            uid: randomUUID(),
            creationTimestamp: now,
            generation: 1,
            labels: { 'kubernetes.io/hostname': this.o.nodeName, 'kubernetes.io/os': 'linux', 'fedgate.io/cluster': this.o.config.name },
          },
          spec: {},
          status: this.stamp(desired, undefined, now),
        };
        try {
          await this.o.store.create(this.key, JSON.stringify(node));
          return;
        } catch (err) {
          if (isAlreadyExists(err)) continue;
          throw err;
        }
      }
      const node = JSON.parse(kv.value) as Node;
      delete node.metadata.resourceVersion;
      const changed = !isDeepStrictEqual(stripTimes(node.status), stripTimes(this.stamp(desired, node.status, now)));
      const last = (node.status?.conditions?.find((c) => c.type === 'Ready') as { lastHeartbeatTime?: string } | undefined)?.lastHeartbeatTime;
      const age = last ? this.o.clock.now() - Date.parse(last) : Infinity;
      if (!force && !changed && age < this.heartbeatMs - 500) return;
      node.status = this.stamp(desired, node.status, now);
      try {
        await this.o.store.update(this.key, JSON.stringify(node), kv.modRevision);
        return;
      } catch (err) {
        if (isConflict(err) || isNotFound(err)) continue;
        throw err;
      }
    }
  }

  /** Desired status with heartbeat `now` and transition times kept while a condition is unchanged. */
  private stamp(desired: NodeStatus, previous: NodeStatus | undefined, now: string): NodeStatus {
    const old = new Map((previous?.conditions ?? []).map((c) => [c.type, c]));
    return {
      ...desired,
      conditions: desired.conditions?.map((c) => {
        const before = old.get(c.type);
        const transition = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
        return { ...c, lastHeartbeatTime: now, lastTransitionTime: transition } as Condition;
      }),
    };
  }
}
