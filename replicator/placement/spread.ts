/**
 * Spread constraints (Karmada's `spreadConstraints`, `pkg/scheduler/core/spreadconstraint`):
 * group eligible clusters by region, zone, provider or a label, keep between minGroups and
 * maxGroups groups, and bound the number of clusters with `spreadByField: cluster`.
 * Groups are chosen deterministically: more eligible clusters first, then more total weight,
 * then by name.
 */
import type { SpreadConstraint } from '../../apimachinery/index.js';
import type { ClusterView } from './cluster-view.js';
import type { Exclusion } from './filter.js';

/** What the spread step kept, dropped, or why it cannot be satisfied (then nothing is selected). */
export interface SpreadResult {
  selected: ClusterView[];
  excluded: Exclusion[];
  error?: string;
}

interface Grouping {
  label: string;
  keyOf: (c: ClusterView) => string | undefined;
  constraint: SpreadConstraint;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupingOf(constraint: SpreadConstraint): Grouping | undefined {
  const field = constraint.spreadByField;
  if (field === 'region' || field === 'zone' || field === 'provider') {
    return { label: field, keyOf: (c) => c[field], constraint };
  }
  if (!field && constraint.spreadByLabel) {
    const label = constraint.spreadByLabel;
    return { label: `label ${label}`, keyOf: (c) => c.labels[label], constraint };
  }
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Clusters by weight desc, then name. */
function rankClusters(clusters: readonly ClusterView[], weightOf: (c: ClusterView) => number): ClusterView[] {
  return [...clusters].sort((a, b) => weightOf(b) - weightOf(a) || byName(a.name, b.name));
}

/**
 * Applies `constraints` to `clusters`. Group constraints run first, in order; the cluster
 * constraint runs last and, when it must cut, takes clusters round-robin over the chosen
 * groups so the groups stay represented. Any minimum that cannot be met is an error and
 * selects nothing.
 */
export function applySpreadConstraints(
  constraints: readonly SpreadConstraint[] | undefined,
  clusters: readonly ClusterView[],
  weightOf: (c: ClusterView) => number = (c) => c.weight,
): SpreadResult {
  const excluded: Exclusion[] = [];
  let current = [...clusters];
  const groupings: Grouping[] = [];
  let clusterConstraint: SpreadConstraint | undefined;
  for (const c of constraints ?? []) {
    if (c.spreadByField === 'cluster') {
      clusterConstraint ??= c;
      continue;
    }
    const g = groupingOf(c);
    if (!g) return { selected: [], excluded, error: `spread constraint ${JSON.stringify(c)} needs spreadByField (cluster, region, zone, provider) or spreadByLabel` };
    groupings.push(g);
  }

  let orderedGroups: { key: string; members: ClusterView[] }[] | undefined;
  for (const g of groupings) {
    const groups = new Map<string, ClusterView[]>();
    const kept: ClusterView[] = [];
    for (const c of current) {
      const key = g.keyOf(c);
      if (key === undefined || key === '') {
        excluded.push({ name: c.name, reason: `no ${g.label} to spread by` });
        continue;
      }
      kept.push(c);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const ordered = [...groups.entries()]
      .map(([key, members]) => ({ key, members, weight: members.reduce((s, m) => s + weightOf(m), 0) }))
      .sort((a, b) => b.members.length - a.members.length || b.weight - a.weight || byName(a.key, b.key));
    const min = g.constraint.minGroups ?? 0;
    if (ordered.length < min) {
      const have = ordered.map((o) => o.key).sort();
      return {
        selected: [],
        excluded,
        error: `spread by ${g.label} needs at least ${plural(min, 'group')}, only ${plural(have.length, 'group')} eligible${have.length > 0 ? ` (${have.join(', ')})` : ''}`,
      };
    }
    const max = g.constraint.maxGroups;
    const chosen = max !== undefined && max > 0 && ordered.length > max ? ordered.slice(0, max) : ordered;
    for (const dropped of ordered.slice(chosen.length)) {
      for (const m of dropped.members) excluded.push({ name: m.name, reason: `${g.label} ${dropped.key} not chosen: spread by ${g.label} allows at most ${plural(max!, 'group')}` });
    }
    const chosenKeys = new Set(chosen.map((o) => o.key));
    current = kept.filter((c) => chosenKeys.has(g.keyOf(c)!));
    orderedGroups = chosen.map(({ key, members }) => ({ key, members }));
  }

  if (clusterConstraint) {
    const min = clusterConstraint.minGroups ?? 0;
    if (current.length < min) {
      return { selected: [], excluded, error: `spread by cluster needs at least ${plural(min, 'cluster')}, only ${plural(current.length, 'cluster')} eligible` };
    }
    const max = clusterConstraint.maxGroups;
    if (max !== undefined && max > 0 && current.length > max) {
      let order: ClusterView[];
      if (orderedGroups) {
        // Round-robin over the chosen groups keeps every group represented before any gets a second cluster.
        const queues = orderedGroups.map((g) => rankClusters(g.members, weightOf));
        order = [];
        for (let i = 0; order.length < current.length; i++) for (const q of queues) if (q[i]) order.push(q[i]!);
      } else {
        order = rankClusters(current, weightOf);
      }
      for (const c of order.slice(max)) excluded.push({ name: c.name, reason: `not chosen: spread by cluster allows at most ${plural(max, 'cluster')}` });
      current = order.slice(0, max);
      for (const g of groupings) {
        const groups = new Set(current.map((c) => g.keyOf(c)));
        const need = g.constraint.minGroups ?? 0;
        if (groups.size < need) {
          return { selected: [], excluded, error: `spread by ${g.label} needs at least ${plural(need, 'group')} but spread by cluster allows only ${plural(max, 'cluster')}` };
        }
      }
    }
  }
  return { selected: current.sort((a, b) => byName(a.name, b.name)), excluded };
}
