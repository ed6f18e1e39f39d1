/**
 * What `fedgate up` knows about its members from the gateway: the `Cluster` objects, followed
 * through the gateway's watch cache (list, then watch; re-list when the watch ends), and the
 * phase of each member derived from them.
 *
 * A Cluster left over from an earlier run may still say `Ready=True` (a run killed before
 * its members disconnected). Only a Ready transition at or after this run's start counts:
 * the gateway's readiness state machine starts from Unknown in every process, so a member
 * that is Ready now has a fresh `lastTransitionTime`.
 */
import { ClusterConditions, resourcePrefix, type Cluster } from '../../apimachinery/index.js';
import { clusterResource } from '../../replicator/index.js';
import type { Store, Unsubscribe } from '../../store/index.js';

/** Where a member is on its way up, as the gateway sees it. */
export type ClusterPhase = 'starting' | 'joined' | 'connected' | 'Ready' | 'NotReady';

function timeOf(value: string | undefined): number {
  const t = value === undefined ? NaN : Date.parse(value);
  return Number.isFinite(t) ? t : -Infinity;
}

/** True when `cluster` turned Ready at or after `sinceMs` and still is. */
export function readySince(cluster: Cluster | undefined, sinceMs: number): boolean {
  const ready = cluster?.status?.conditions?.find((c) => c.type === ClusterConditions.Ready);
  return ready?.status === 'True' && timeOf(ready.lastTransitionTime) >= sinceMs;
}

/**
 * The phase of a member while it comes up: `starting` (nothing heard yet in this run),
 * `joined` (its Cluster was created in this run), `connected` (heartbeats arrive), `Ready`.
 */
export function startupPhase(cluster: Cluster | undefined, sinceMs: number): ClusterPhase {
  if (!cluster) return 'starting';
  if (readySince(cluster, sinceMs)) return 'Ready';
  if (timeOf(cluster.status?.lastHeartbeatTime) >= sinceMs) return 'connected';
  // creationTimestamp has whole seconds.
  if (timeOf(cluster.metadata.creationTimestamp) >= Math.floor(sinceMs / 1000) * 1000) return 'joined';
  return 'starting';
}

/** The phase of a member once up: Ready, or NotReady. */
export function runningPhase(cluster: Cluster | undefined, sinceMs: number): 'Ready' | 'NotReady' {
  return readySince(cluster, sinceMs) ? 'Ready' : 'NotReady';
}

/** Follows the gateway's Cluster objects; `onChange` runs after every change. */
export class ClusterWatch {
  private readonly clusters = new Map<string, Cluster>();
  private readonly prefix = resourcePrefix(clusterResource);
  private unsubscribe: Unsubscribe | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly onChange: () => void,
  ) {}

  /** Lists the Clusters, then watches them. */
  async start(): Promise<void> {
    const list = await this.store.list(this.prefix);
    this.clusters.clear();
    for (const kv of list.items) this.put(kv.key, kv.value);
    if (this.stopped) return;
    this.unsubscribe = this.store.watch(
      this.prefix,
      list.revision,
      (event) => {
        if (event.type === 'delete') this.clusters.delete(event.kv.key);
        else this.put(event.kv.key, event.kv.value);
        this.onChange();
      },
      () => {
        // Cut off (too slow, or history compacted): start over from a fresh list.
        this.unsubscribe = undefined;
        if (!this.stopped) this.start().catch(() => undefined);
      },
    );
    this.onChange();
  }

  /** The Cluster named `name`, if it exists. */
  get(name: string): Cluster | undefined {
    return this.clusters.get(`${this.prefix}${name}`);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private put(key: string, value: string): void {
    try {
      this.clusters.set(key, JSON.parse(value) as Cluster);
    } catch {
      this.clusters.delete(key);
    }
  }
}
