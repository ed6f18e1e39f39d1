/**
 * The kubeconfig `fedgate up` leaves behind: the gateway's context (current, written by the
 * gateway itself) plus one context per member, named after it, for the member's own API
 * (its CA and its admin token, from `<member data>/member.kubeconfig`):
 * `kubectl --context eu-west get pods`.
 */
import { existsSync } from 'node:fs';
import { readKubeconfig, writeKubeconfig, type Kubeconfig } from '../kubeconfig.js';

/**
 * `base` with the clusters, users and contexts of `extras` added; an entry of `base` with the
 * same name is replaced (a re-run of `up` gives the same names). The current context stays.
 */
export function mergeKubeconfigs(base: Kubeconfig, extras: readonly Kubeconfig[]): Kubeconfig {
  const merge = <T extends { name: string }>(own: readonly T[], more: readonly T[]): T[] => {
    const names = new Set(more.map((e) => e.name));
    return [...own.filter((e) => !names.has(e.name)), ...more];
  };
  const out: Kubeconfig = { ...base, clusters: [...base.clusters], users: [...base.users], contexts: [...base.contexts] };
  for (const extra of extras) {
    out.clusters = merge(out.clusters, extra.clusters);
    out.users = merge(out.users, extra.users);
    out.contexts = merge(out.contexts, extra.contexts);
  }
  return out;
}

/**
 * Adds the contexts of the members' kubeconfigs that exist to the kubeconfig at `path`
 * (rewritten atomically, mode 0600). Returns the names of the contexts added; a member
 * whose kubeconfig is missing or unreadable (it exited, or serves plain HTTP) adds none.
 */
export function addMemberContexts(path: string, memberKubeconfigs: readonly string[]): string[] {
  const extras: Kubeconfig[] = [];
  for (const file of memberKubeconfigs) {
    if (!existsSync(file)) continue;
    try {
      extras.push(readKubeconfig(file));
    } catch {
      // Half-written by a member that died at start: that member gets no context.
    }
  }
  if (extras.length === 0) return [];
  writeKubeconfig(path, mergeKubeconfigs(readKubeconfig(path), extras));
  return extras.flatMap((k) => k.contexts.map((c) => c.name));
}
