/**
 * Traffic strategies (pure): which of a name's serving clusters go into one answer. One
 * registry, `strategies`, holds them by the name a TrafficPolicy gives in `spec.strategy`.
 *
 * Every set is prepared once per change (effective weights, cumulative sums, the first
 * failover tier, regional subsets) so that a pick is one random number and a binary search.
 *
 * The weight rules (after Route 53's weighted records and Envoy's zero-weight handling):
 * - weight 0 is a standby: it gets traffic only when no member with a positive weight is
 *   serving (the caller serves healthy members only, so that is "every non-zero cluster is
 *   unhealthy");
 * - when every serving weight is 0 the split is equal.
 */
import type { RandomSource } from '../controller/index.js';
import type { ClientInfo } from './answer-types.js';
import type { PrefixTable } from './geo-prefixes.js';

/** The strategies a TrafficPolicy may name. */
export type StrategyName = 'weighted' | 'roundRobin' | 'failover' | 'geo';

/** Strategy of a Service without a TrafficPolicy (or with an unknown strategy). */
export const DEFAULT_STRATEGY: StrategyName = 'weighted';

/** One cluster serving one name. */
export interface Member {
  cluster: string;
  region?: string;
  /** The weight in effect (a policy weight or the ready endpoints), before the zero rule. */
  weight: number;
  /** Failover rank: 0 first; clusters the policy does not list come after every listed one. */
  rank: number;
}

/** A set of members prepared for picks; immutable once built. */
export interface PreparedSet<M extends Member = Member> {
  /** In cluster-name order, so equal inputs give equal sets. */
  readonly members: readonly M[];
  /** Effective weights (zero rule applied), index-aligned with `members`. */
  readonly weights: readonly number[];
  /** Running sums of `weights`; `cumulative[i]` includes member i. */
  readonly cumulative: readonly number[];
  /** Sum of effective weights (0 only for an empty set). */
  readonly total: number;
  /** Members with a positive effective weight. */
  readonly active: readonly M[];
  /** The members of the lowest failover rank present. */
  readonly firstTier: readonly M[];
  /** Subsets by region (top-level sets only). */
  readonly byRegion: ReadonlyMap<string, PreparedSet<M>>;
}

/** What a pick may use besides the set. */
export interface PickContext {
  random: RandomSource;
  client?: ClientInfo;
  geo?: PrefixTable;
  /** Rotation counter for roundRobin (the caller advances it once per query). */
  turn: number;
  /** Answers wanted per query (weighted, geo, roundRobin); at least 1. */
  count: number;
}

/** A strategy: how members are picked, and whether the pick can differ between queries. */
export interface Strategy {
  readonly name: StrategyName;
  /** True when two queries may get different answers (so the answer must not be cached); `geoActive`: a client-region table is configured. */
  varies(set: PreparedSet, count: number, geoActive: boolean): boolean;
  pick<M extends Member>(set: PreparedSet<M>, ctx: PickContext): readonly M[];
}

/** Effective weights: negative or non-finite count as 0; zeros drop out next to positives; all-zero is an equal split. */
export function effectiveWeights(weights: readonly number[]): number[] {
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  return clean.some((w) => w > 0) ? clean : clean.map(() => 1);
}

/** Prepares members for picks (sorted by cluster name). */
export function prepareSet<M extends Member>(members: readonly M[], withRegions = true): PreparedSet<M> {
  const sorted = [...members].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  const weights = effectiveWeights(sorted.map((m) => m.weight));
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  const minRank = sorted.reduce((r, m) => Math.min(r, m.rank), Infinity);
  const byRegion = new Map<string, PreparedSet<M>>();
  if (withRegions) {
    const groups = new Map<string, M[]>();
    for (const m of sorted) {
      if (m.region === undefined) continue;
      let g = groups.get(m.region);
      if (!g) groups.set(m.region, (g = []));
      g.push(m);
    }
    for (const [region, g] of groups) byRegion.set(region, prepareSet(g, false));
  }
  return {
    members: sorted,
    weights,
    cumulative,
    total,
    active: sorted.filter((_, i) => (weights[i] ?? 0) > 0),
    firstTier: sorted.filter((m) => m.rank === minRank),
    byRegion,
  };
}

/** Index of one member drawn with probability weight/total (binary search over the running sums). */
export function pickIndex(set: Pick<PreparedSet, 'cumulative' | 'total'>, random: RandomSource): number {
  const n = set.cumulative.length;
  if (n === 0) return -1;
  const r = random() * set.total;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((set.cumulative[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Up to `count` members in a weighted random order without replacement (Efraimidis and
 * Spirakis, "Weighted random sampling with a reservoir", IPL 2006: key = u^(1/w), highest
 * keys first). Zero-weight members are left out.
 */
export function weightedShuffle<M extends Member>(set: PreparedSet<M>, random: RandomSource, count: number): M[] {
  const keyed: { m: M; key: number }[] = [];
  for (let i = 0; i < set.members.length; i++) {
    const w = set.weights[i] ?? 0;
    if (w <= 0) continue;
    keyed.push({ m: set.members[i]!, key: Math.pow(random(), 1 / w) });
  }
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, Math.max(1, count)).map((k) => k.m);
}

/** `count` members drawn by weight: one by a single pick, more by a weighted shuffle. */
export function pickWeighted<M extends Member>(set: PreparedSet<M>, random: RandomSource, count: number): M[] {
  if (set.members.length === 0) return [];
  if (count <= 1) return [set.members[pickIndex(set, random)]!];
  return weightedShuffle(set, random, count);
}

/** The active members rotated to start at `turn` (mod their number), cut to `count`. */
export function rotate<M>(items: readonly M[], turn: number, count: number): M[] {
  const n = items.length;
  if (n === 0) return [];
  const start = ((turn % n) + n) % n;
  const out: M[] = [];
  for (let i = 0; i < Math.min(n, Math.max(1, count)); i++) out.push(items[(start + i) % n]!);
  return out;
}

/** Failover rank of a cluster: the first `primaryClusters` entry naming it or its region; unlisted: the list's length. */
export function failoverRank(cluster: string, region: string | undefined, primaryClusters: readonly string[] | undefined): number {
  const list = primaryClusters ?? [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!.toLowerCase();
    if (entry === cluster.toLowerCase() || (region !== undefined && entry === region.toLowerCase())) return i;
  }
  return list.length;
}

/** The client's region: from the ECS subnet when sent, else from the source address. */
export function clientRegion(client: ClientInfo | undefined, geo: PrefixTable | undefined): string | undefined {
  if (!client || !geo) return undefined;
  if (client.subnet) {
    const r = geo.regionOf(client.subnet);
    if (r !== undefined) return r;
  }
  return geo.regionOf(client.address);
}

const weighted: Strategy = {
  name: 'weighted',
  varies: (set, count) => set.active.length > Math.max(1, count),
  pick: (set, ctx) => pickWeighted(set, ctx.random, ctx.count),
};

const roundRobin: Strategy = {
  name: 'roundRobin',
  varies: (set, count) => set.active.length > Math.max(1, count),
  pick: (set, ctx) => rotate(set.active, ctx.turn, ctx.count),
};

const failover: Strategy = {
  name: 'failover',
  varies: () => false,
  pick: (set) => set.firstTier,
};

const geo: Strategy = {
  name: 'geo',
  varies: (set, count, geoActive) => (geoActive && set.byRegion.size > 0) || set.active.length > Math.max(1, count),
  pick: (set, ctx) => {
    const region = clientRegion(ctx.client, ctx.geo);
    const local = region === undefined ? undefined : set.byRegion.get(region);
    return pickWeighted(local && local.members.length > 0 ? local : set, ctx.random, ctx.count);
  },
};

/** Every strategy, by the name a TrafficPolicy uses. */
export const strategies: Readonly<Record<StrategyName, Strategy>> = { weighted, roundRobin, failover, geo };

/** The strategy of a name (`spec.strategy`); unknown or absent names get the default. */
export function strategyFor(name: string | undefined): Strategy {
  return name !== undefined && Object.hasOwn(strategies, name) ? strategies[name as StrategyName] : strategies[DEFAULT_STRATEGY];
}

