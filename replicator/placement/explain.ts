/**
 * A placement in words: what a dry run answers and what `fedgate describe` prints as a table.
 */
import type { ScheduleResult } from './schedule.js';

/** What rendering did for one cluster: the override rules applied ("policy/rule#i"). */
export interface RenderedSummary {
  overrides: readonly string[];
}

/** One chosen cluster in an explanation. */
export interface PlacedClusterExplanation {
  cluster: string;
  replicas?: number;
  overrides: string[];
}

/** One left-out cluster in an explanation. */
export interface ExcludedClusterExplanation {
  cluster: string;
  reason: string;
}

/** A placement explained: JSON-ready, and `table` ready for a CLI. */
export interface PlacementExplanation {
  placed: PlacedClusterExplanation[];
  excluded: ExcludedClusterExplanation[];
  /** Sum of placed replicas; absent for kinds without replicas. */
  totalReplicas?: number;
  error?: string;
  warnings?: string[];
  table: { columns: string[]; rows: string[][] };
}

/** Column titles of the explanation table. */
export const EXPLANATION_COLUMNS: readonly string[] = ['CLUSTER', 'PLACED', 'REPLICAS', 'DETAILS'];

/**
 * Explains `result`; `rendered` (cluster → what rendering applied) adds the overrides per
 * cluster. Placed clusters come first, then excluded ones, each in name order.
 */
export function explainPlacement(
  result: ScheduleResult,
  rendered?: ReadonlyMap<string, RenderedSummary> | Readonly<Record<string, RenderedSummary>>,
): PlacementExplanation {
  const lookup = (name: string): RenderedSummary | undefined =>
    rendered instanceof Map ? rendered.get(name) : (rendered as Readonly<Record<string, RenderedSummary>> | undefined)?.[name];
  const placed = result.clusters.map((c) => {
    const entry: PlacedClusterExplanation = { cluster: c.name, overrides: [...(lookup(c.name)?.overrides ?? [])] };
    if (c.replicas !== undefined) entry.replicas = c.replicas;
    return entry;
  });
  const excluded = result.excluded.map((e) => ({ cluster: e.name, reason: e.reason }));
  const out: PlacementExplanation = {
    placed,
    excluded,
    table: {
      columns: [...EXPLANATION_COLUMNS],
      rows: [
        ...placed.map((p) => [p.cluster, 'yes', p.replicas === undefined ? '-' : String(p.replicas), p.overrides.length > 0 ? `overrides: ${p.overrides.join(', ')}` : '']),
        ...excluded.map((e) => [e.cluster, 'no', '-', e.reason]),
      ],
    },
  };
  if (placed.some((p) => p.replicas !== undefined)) out.totalReplicas = placed.reduce((s, p) => s + (p.replicas ?? 0), 0);
  if (result.error) out.error = result.error;
  if (result.warnings && result.warnings.length > 0) out.warnings = [...result.warnings];
  return out;
}
