/** The summary `fedgate up` prints once its members are up: where everything is, and how long it took. */
import { formatSeconds } from './up-progress.js';

/** One member line of the summary. */
export interface SummaryMember {
  name: string;
  region: string;
  /** URL of the member's local API. */
  api: string;
  /** Pod range. */
  pods: string;
  /** `Ready`, `NotReady`, or `exited`. */
  state: string;
}

/** What the summary shows. */
export interface Summary {
  apiUrl: string;
  dnsAddress?: string;
  dnsZone?: string;
  members: SummaryMember[];
  /** Time from the start of `fedgate up` until every member was Ready (or gave up). */
  elapsedMs: number;
  kubeconfigFile: string;
  /** Contexts of the kubeconfig that reach the members' own APIs. */
  memberContexts?: readonly string[];
  logsDir?: string;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function formatColumns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

/** The summary as text (ends with a newline). */
export function formatSummary(s: Summary): string {
  const ready = s.members.filter((m) => m.state === 'Ready').length;
  const members = (n: number): string => `${n} member${n === 1 ? '' : 's'}`;
  const headline =
    s.members.length === 0
      ? `fedgate is up (no members), ready in ${formatSeconds(s.elapsedMs)}`
      : ready === s.members.length
        ? `fedgate is up: ${members(ready)} Ready, ready in ${formatSeconds(s.elapsedMs)}`
        : `fedgate is up: ${ready} of ${members(s.members.length)} Ready after ${formatSeconds(s.elapsedMs)}`;
  const lines = ['', headline, ''];
  lines.push(
    ...formatColumns([
      ['API', s.apiUrl],
      ['DNS', s.dnsAddress ? `${s.dnsAddress}  zone ${s.dnsZone ?? ''}` : 'off'],
    ]),
  );
  if (s.members.length > 0) {
    lines.push('');
    lines.push(...formatColumns([['MEMBER', 'REGION', 'API', 'PODS', 'STATE'], ...s.members.map((m) => [m.name, m.region, m.api, m.pods, m.state])]));
  }
  lines.push('', `export KUBECONFIG=${s.kubeconfigFile}`);
  if (s.memberContexts && s.memberContexts.length > 0) {
    lines.push(`member APIs: kubectl --context ${s.memberContexts[0]} get pods  (contexts: ${s.memberContexts.join(', ')})`);
  }
  lines.push('');
  if (s.logsDir) lines.push(`logs: ${s.logsDir}`);
  lines.push('stop: Ctrl-C', '');
  return lines.join('\n');
}
