/** What the benchmarks report: throughput, latency percentiles, and table rows. */

/** Summary of one measured run. */
export interface LatencyStats {
  ops: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The `p`-th percentile (nearest rank) of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Summarizes per-operation latencies (ms) of a run that took `seconds`. */
export function summarize(latenciesMs: readonly number[], seconds: number): LatencyStats {
  const sorted = latenciesMs.slice().sort((a, b) => a - b);
  return {
    ops: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

/** One table row: the first cell left-aligned, the others right-aligned to `widths`. */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}
