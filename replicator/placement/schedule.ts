/**
 * The placement pipeline for one template: filter → spread → assign replicas (Karmada's
 * `pkg/scheduler/core`: generic scheduler, then `assignReplicas` by Duplicated, static
 * weights, dynamic weights or aggregation).
 */
import type { KubeObject, PropagationPolicy, ResourceAmounts } from '../../apimachinery/index.js';
import type { ClusterView } from './cluster-view.js';
import { divideReplicas, type Division } from './divide.js';
import { clusterAffinityMatches, filterClusters, type Exclusion } from './filter.js';
import { availableReplicas, byRoomDescending } from './score.js';
import { applySpreadConstraints } from './spread.js';

/**
 * Stands in for unlimited room in a cluster (no request limits it), so weights stay finite
 * and comparable; far above any replica count.
 */
const UNLIMITED_ROOM = 1e12;

/** Everything one placement decision depends on. */
export interface ScheduleInput {
  template: KubeObject;
  /** The template's spec.replicas; undefined for kinds without replicas (ConfigMap, Service). */
  replicas: number | undefined;
  policy: PropagationPolicy;
  clusters: readonly ClusterView[];
  /**
   * The last placement, cluster → replicas (undefined counts as 0): dynamic and aggregated
   * division change it as little as they can.
   */
  previous?: ReadonlyMap<string, number | undefined>;
  /** Clusters that failed over (NotReady longer than the policy tolerates). */
  unavailable?: ReadonlySet<string>;
  /** Per-replica requests of the pod template, for dynamic weights and aggregation. */
  podRequests?: ResourceAmounts;
}

/** One chosen cluster; `replicas` is undefined for kinds without replicas. */
export interface ScheduledCluster {
  name: string;
  replicas?: number;
}

/**
 * The outcome of placement.
 *
 * INVARIANT: when `error` is set, `clusters` is empty; and `clusters` is never empty without
 * `error`. Neither an error nor an empty list means "remove the template everywhere": the
 * caller keeps the previous placement and reports the error. Only removing the template or
 * its policy takes workloads away.
 */
export interface ScheduleResult {
  /** Chosen clusters in name order. */
  clusters: ScheduledCluster[];
  /** Clusters left out, each with its reason, in name order. */
  excluded: Exclusion[];
  error?: string;
  /** Placement succeeded but not quite as asked (replicas that fit nowhere, bounds not met). */
  warnings?: string[];
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function finish(clusters: ScheduledCluster[], excluded: Exclusion[], warnings: string[] = [], error?: string): ScheduleResult {
  const out: ScheduleResult = { clusters: error ? [] : [...clusters].sort(byName), excluded: [...excluded].sort(byName) };
  if (!error && out.clusters.length === 0) error = 'no cluster fits the placement';
  if (error) out.error = error;
  if (warnings.length > 0) out.warnings = warnings;
  return out;
}

function finiteRoom(n: number): number {
  return Number.isFinite(n) ? n : UNLIMITED_ROOM;
}

/** Static weight of each cluster: the first staticWeightList entry that targets it, else 0. */
function staticWeights(policy: PropagationPolicy, clusters: readonly ClusterView[]): Map<string, number> {
  const list = policy.spec.placement?.replicaScheduling?.weightPreference?.staticWeightList ?? [];
  const out = new Map<string, number>();
  for (const c of clusters) {
    const entry = list.find((e) => clusterAffinityMatches(e.targetCluster, c));
    out.set(c.name, entry && Number.isFinite(entry.weight) ? Math.max(0, entry.weight) : 0);
  }
  return out;
}

/** Turns a division into scheduled clusters; clusters that got nothing are excluded with a reason. */
function fromDivision(
  division: ReadonlyMap<string, number>,
  total: number,
  excluded: Exclusion[],
  zeroReason: (name: string) => string,
): ScheduledCluster[] {
  const out: ScheduledCluster[] = [];
  for (const [name, replicas] of division) {
    // Zero replicas in total still places the template everywhere it may go (scaled to 0), so
    // scaling to zero never reads as "remove".
    if (replicas > 0 || total === 0) out.push({ name, replicas });
    else excluded.push({ name, reason: zeroReason(name) });
  }
  return out;
}

/**
 * Dynamic division that moves as little as possible: on scale-up the previous shares stay
 * and only the extra replicas go by room; on scale-down every share shrinks in proportion
 * to itself (Karmada's scale-up/scale-down by previous result).
 */
function divideFromPrevious(
  total: number,
  clusters: readonly ClusterView[],
  room: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number | undefined>,
  bounds: { min?: number; max?: number },
): Division | undefined {
  const names = new Set(clusters.map((c) => c.name));
  const kept = [...previous].filter((e): e is [string, number] => names.has(e[0]) && (e[1] ?? 0) > 0);
  const prevTotal = kept.reduce((s, [, n]) => s + n, 0);
  if (kept.length === 0 || prevTotal === 0) return undefined;
  if (total <= prevTotal) {
    return divideReplicas(total, kept.map(([name, n]) => ({ name, weight: n, max: n })), bounds);
  }
  const extra = divideReplicas(
    total - prevTotal,
    clusters.map((c) => {
      const before = previous.get(c.name) ?? 0;
      const free = finiteRoom(room.get(c.name) ?? 0);
      const cap = bounds.max === undefined ? free : Math.min(free, Math.max(0, bounds.max - before));
      return { name: c.name, weight: free, max: cap };
    }),
  );
  const out = new Map<string, number>();
  for (const c of [...clusters].sort(byName)) out.set(c.name, (previous.get(c.name) ?? 0) + (extra.get(c.name) ?? 0));
  return Object.assign(out, { unassigned: extra.unassigned });
}

/**
 * Places `input.template` by `input.policy` onto `input.clusters`. Pure and deterministic:
 * the same input always gives the same result, whatever the order of clusters.
 */
export function schedule(input: ScheduleInput): ScheduleResult {
  const { policy, replicas } = input;
  const placement = policy.spec.placement ?? {};
  const strategy = placement.replicaScheduling ?? {};
  const clusters = [...input.clusters].sort(byName);
  const warnings: string[] = [];
  if (replicas !== undefined && (!Number.isSafeInteger(replicas) || replicas < 0)) {
    return finish([], [], [], `replicas must be a non-negative integer (found ${replicas})`);
  }

  const filtered = filterClusters(policy, clusters, input.unavailable);
  const excluded = [...filtered.excluded];
  const divided = replicas !== undefined && strategy.replicaSchedulingType === 'Divided';
  const aggregated = divided && strategy.replicaDivisionPreference === 'Aggregated';
  const dynamic = divided && !aggregated && strategy.weightPreference?.dynamicWeight === 'AvailableReplicas';
  const staticList = divided && !aggregated && !dynamic && (strategy.weightPreference?.staticWeightList?.length ?? 0) > 0;

  const room = new Map<string, number>();
  if (aggregated || dynamic) for (const c of filtered.eligible) room.set(c.name, availableReplicas(c, input.podRequests));
  const statics = staticList ? staticWeights(policy, filtered.eligible) : undefined;
  const weightOf = (c: ClusterView): number =>
    statics ? (statics.get(c.name) ?? 0) : aggregated || dynamic ? finiteRoom(room.get(c.name) ?? 0) : c.weight;

  const spread = applySpreadConstraints(placement.spreadConstraints, filtered.eligible, weightOf);
  excluded.push(...spread.excluded);
  if (spread.error) return finish([], excluded, [], spread.error);
  const selected = spread.selected;
  if (selected.length === 0) return finish([], excluded, [], 'no cluster fits the placement');

  if (!divided) return finish(selected.map((c) => (replicas === undefined ? { name: c.name } : { name: c.name, replicas })), excluded);

  const total = replicas!;
  const bounds = { min: strategy.minReplicasPerCluster, max: strategy.maxReplicasPerCluster };
  let division: Division;
  let zeroReason: (name: string) => string = () => 'received no replicas: its share rounds to 0';

  if (aggregated || dynamic) {
    // Room counts what the cluster already holds of this template: those pods use resources too.
    const held = (name: string): number => input.previous?.get(name) ?? 0;
    const roomOf = (name: string): number => finiteRoom(room.get(name) ?? 0) + held(name);
    const totalRoom = new Map(selected.map((c) => [c.name, roomOf(c.name)]));
    const withRoom = selected.filter((c) => roomOf(c.name) > 0);
    for (const c of selected) if (!withRoom.includes(c)) excluded.push({ name: c.name, reason: 'no room for a replica (0 available replicas)' });
    const capacity = withRoom.reduce((s, c) => s + roomOf(c.name), 0);
    if (withRoom.length === 0 || capacity < total) {
      return finish([], excluded, [], `not enough room: ${total} replicas requested, the eligible clusters have room for ${capacity}`);
    }
    let candidates = withRoom;
    if (aggregated) {
      // Fewest clusters: the roomiest first, until they hold every replica.
      const ordered = [...withRoom].sort(byRoomDescending(totalRoom));
      candidates = [];
      let sum = 0;
      for (const c of ordered) {
        if (sum >= total && candidates.length > 0) {
          excluded.push({ name: c.name, reason: 'not needed: Aggregated fills fewer clusters' });
          continue;
        }
        candidates.push(c);
        sum += roomOf(c.name);
      }
    }
    const fromPrevious = input.previous ? divideFromPrevious(total, candidates, room, input.previous, bounds) : undefined;
    division =
      fromPrevious ??
      divideReplicas(
        total,
        candidates.map((c) => ({ name: c.name, weight: roomOf(c.name), max: roomOf(c.name) })),
        bounds,
      );
    zeroReason = () => 'received no replicas: its share of available replicas rounds to 0';
  } else if (statics) {
    const weighted = selected.filter((c) => (statics.get(c.name) ?? 0) > 0);
    for (const c of selected) if (!weighted.includes(c)) excluded.push({ name: c.name, reason: 'static weight 0: no staticWeightList entry gives it a weight' });
    if (weighted.length === 0) return finish([], excluded, [], 'no eligible cluster has a positive static weight');
    division = divideReplicas(total, weighted.map((c) => ({ name: c.name, weight: statics.get(c.name)! })), bounds);
  } else {
    division = divideReplicas(total, selected.map((c) => ({ name: c.name, weight: c.weight })), bounds);
  }

  if (division.unassigned > 0) warnings.push(`${division.unassigned} of ${total} replicas fit in no cluster: every cluster is at its maximum`);
  const chosen = fromDivision(division, total, excluded, zeroReason);
  if (bounds.min !== undefined) {
    const short = chosen.filter((c) => (c.replicas ?? 0) < bounds.min! && total > 0);
    if (short.length > 0) warnings.push(`${short.map((c) => c.name).join(', ')} got fewer than minReplicasPerCluster ${bounds.min}: not enough replicas`);
  }
  return finish(chosen, excluded, warnings);
}
