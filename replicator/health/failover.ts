/**
 * Failover and failback decisions for one template (pure). A cluster that has been NotReady
 * for longer than the policy's `failover.tolerationSeconds` becomes unavailable for
 * scheduling: Divided replicas move to the healthy clusters. Nothing is deleted there — the
 * binding keeps the cluster's last rendering in its desired set — only the division changes.
 *
 * Failback is damped: a failed-over cluster takes replicas back only after it has been
 * Ready for `failbackDelayMs` without interruption, so a cluster that comes back for a
 * moment does not pull replicas to and fro. Each pending change carries `recheckAt`, the
 * time the decision may change, for the caller to look again.
 */
import { ClusterConditions, type Cluster, type FailoverRecord, type PropagationPolicy } from '../../apimachinery/index.js';
import { failoverTolerationSeconds } from '../placement/index.js';

/** How long a failed-over cluster must stay Ready before replicas return, ms. */
export const DEFAULT_FAILBACK_DELAY_MS = 5_000;

/** Reason of a failover record. */
export const FailoverReasons = {
  NotReady: 'ClusterNotReady',
  FailbackPending: 'FailbackPending',
} as const;

/** A failback that happened: replicas returned to `cluster` at `time`. */
export interface FailbackRecord {
  cluster: string;
  time: string;
}

/** Input of `failoverDecision`. */
export interface FailoverInput {
  clusters: readonly Readonly<Cluster>[];
  policy: PropagationPolicy;
  now: number;
  /** The template's failover records so far (status.placement.failover). */
  previous?: readonly FailoverRecord[];
  failbackDelayMs?: number;
}

/** Outcome of `failoverDecision`. */
export interface FailoverDecision {
  /** Clusters to leave out of scheduling. */
  unavailable: Set<string>;
  /** The template's failover records now. */
  records: FailoverRecord[];
  /** Clusters whose failover ended at `now`. */
  failedBack: string[];
  /** When the decision may change next (ms), if it may. */
  recheckAt?: number;
}

function readiness(cluster: Readonly<Cluster>, now: number): { ready: boolean; since: number } {
  const c = cluster.status?.conditions?.find((x) => x.type === ClusterConditions.Ready);
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  // Without a transition time the state is as old as now: an unknown start never counts.
  return { ready: c?.status === 'True', since: Number.isNaN(t) ? now : Math.min(t, now) };
}

/** Which clusters `policy` treats as failed over at `now`, and the records to keep. */
export function failoverDecision(input: FailoverInput): FailoverDecision {
  const { policy, now } = input;
  const toleranceMs = failoverTolerationSeconds(policy) * 1000;
  const failbackDelayMs = input.failbackDelayMs ?? DEFAULT_FAILBACK_DELAY_MS;
  const previous = new Map((input.previous ?? []).map((r) => [r.from, r]));
  const decision: FailoverDecision = { unavailable: new Set(), records: [], failedBack: [] };
  const recheck = (at: number): void => {
    if (decision.recheckAt === undefined || at < decision.recheckAt) decision.recheckAt = at;
  };
  for (const cluster of input.clusters) {
    const name = cluster.metadata.name ?? '';
    const { ready, since } = readiness(cluster, now);
    const earlier = previous.get(name);
    if (!ready) {
      if (earlier && earlier.reason !== FailoverReasons.FailbackPending) {
        // Still down: the failover continues from when it began.
        decision.unavailable.add(name);
        decision.records.push(earlier);
      } else if (earlier || now - since > toleranceMs) {
        // Down beyond the toleration, or down again while its failback was pending.
        decision.unavailable.add(name);
        decision.records.push({ from: name, reason: FailoverReasons.NotReady, since: new Date(since).toISOString() });
      } else {
        recheck(since + toleranceMs + 1);
      }
      continue;
    }
    if (!earlier) continue;
    if (now - since < failbackDelayMs) {
      decision.unavailable.add(name);
      decision.records.push({ from: name, reason: FailoverReasons.FailbackPending, since: earlier.since });
      recheck(since + failbackDelayMs);
      continue;
    }
    decision.failedBack.push(name);
  }
  decision.records.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return decision;
}
