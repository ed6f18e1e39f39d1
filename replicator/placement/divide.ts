/**
 * Dividing a replica count over weighted clusters by a highest-averages method
 * (Webster / Sainte-Laguë): seats are handed out one by one, each to the cluster with the
 * largest `weight / (2·seats + 1)`.
 *
 * Because every seat is chosen from the current seats alone, the division for `total` is a
 * prefix of the division for `total + 1`: raising the count never takes a replica away from
 * any cluster (house monotonicity), so scaling up a Deployment never moves running pods.
 * The bounds keep that property because they only change WHICH cluster the next seat goes
 * to, never take one back.
 */
import { badRequest } from '../../apimachinery/index.js';

/** One cluster's claim: its weight and, optionally, its own upper bound (capacity). */
export interface WeightedCluster {
  name: string;
  weight: number;
  /** Per-cluster upper bound, combined with `opts.max` (the smaller wins). */
  max?: number;
}

/** Bounds on every cluster's share. */
export interface DivideOptions {
  /** Every cluster that can get replicas gets at least this many, when the total allows. */
  min?: number;
  /** No cluster gets more than this many. */
  max?: number;
}

/**
 * The division: cluster name → replicas for every input cluster (0 included), in name order.
 * `unassigned` counts replicas that fit nowhere because every cluster reached its bound.
 */
export type Division = Map<string, number> & { readonly unassigned: number };

interface Claim {
  readonly name: string;
  readonly weight: number;
  readonly cap: number;
  readonly min: number;
  seats: number;
}

function checkCount(what: string, n: number | undefined): void {
  if (n === undefined) return;
  if (!Number.isFinite(n) && n !== Infinity) throw badRequest(`${what} must be a number (found ${n})`);
  if (n < 0 || (Number.isFinite(n) && !Number.isSafeInteger(n))) throw badRequest(`${what} must be a non-negative integer (found ${n})`);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Filling a cluster below its minimum: keep filling the one started, then the heaviest, then by name. */
function belowMinFirst(a: Claim, b: Claim): number {
  return b.seats - a.seats || b.weight - a.weight || byName(a, b);
}

/** Sainte-Laguë priority, compared exactly by cross-multiplication; ties by weight desc, then name. */
function higherAverage(a: Claim, b: Claim): number {
  const left = a.weight * (2 * b.seats + 1);
  const right = b.weight * (2 * a.seats + 1);
  if (left !== right) return right - left;
  return b.weight - a.weight || byName(a, b);
}

/** The cluster the next seat goes to, or undefined when every cluster is at its bound. */
function nextSeat(claims: readonly Claim[]): Claim | undefined {
  let best: Claim | undefined;
  let bestBelowMin = false;
  for (const c of claims) {
    if (c.seats >= c.cap) continue;
    const belowMin = c.seats < c.min;
    if (best === undefined) {
      best = c;
      bestBelowMin = belowMin;
      continue;
    }
    // A cluster still short of its minimum always comes before one that is not.
    if (belowMin !== bestBelowMin) {
      if (belowMin) {
        best = c;
        bestBelowMin = true;
      }
      continue;
    }
    if ((belowMin ? belowMinFirst(c, best) : higherAverage(c, best)) < 0) best = c;
  }
  return best;
}

/**
 * Divides `total` replicas over `weights` (Webster / Sainte-Laguë, seat by seat).
 *
 * - Exact: the parts sum to `total` unless the bounds make that impossible; then every
 *   cluster is at its bound and `unassigned` says how many did not fit.
 * - Deterministic: the result depends on the set of entries, not their order.
 * - Monotonic: `divideReplicas(n + 1, w)` gives every cluster at least `divideReplicas(n, w)`.
 * - Clusters with weight ≤ 0 get nothing, unless every weight is ≤ 0: then all weigh the same.
 * - `min`: before any cluster gets a seat beyond its minimum, every cluster is filled up to
 *   it, one cluster at a time (heaviest first). So when `total ≥ min × clusters` every cluster
 *   has its minimum; below that, as many clusters as possible have it and at most one falls short.
 *
 * Names must be distinct. Invalid counts are BadRequest.
 */
export function divideReplicas(total: number, weights: readonly WeightedCluster[], opts: DivideOptions = {}): Division {
  checkCount('replicas', total);
  checkCount('minReplicasPerCluster', opts.min);
  checkCount('maxReplicasPerCluster', opts.max);
  const names = new Set<string>();
  for (const w of weights) {
    if (names.has(w.name)) throw badRequest(`cluster ${JSON.stringify(w.name)} appears twice in a weight list`);
    names.add(w.name);
    if (Number.isNaN(w.weight)) throw badRequest(`weight of cluster ${JSON.stringify(w.name)} is not a number`);
    checkCount(`maximum replicas of cluster ${JSON.stringify(w.name)}`, w.max);
  }
  const allZero = weights.every((w) => !(w.weight > 0));
  const claims: Claim[] = [...weights].sort(byName).map((w) => {
    const weight = allZero ? 1 : Math.max(0, w.weight);
    const cap = weight > 0 ? Math.min(w.max ?? Infinity, opts.max ?? Infinity) : 0;
    return { name: w.name, weight, cap, min: Math.min(opts.min ?? 0, cap), seats: 0 };
  });
  let given = 0;
  while (given < total) {
    const next = nextSeat(claims);
    if (next === undefined) break;
    next.seats++;
    given++;
  }
  const out = new Map<string, number>(claims.map((c) => [c.name, c.seats]));
  return Object.assign(out, { unassigned: total - given });
}
