/**
 * `fedgate explain KIND/NAME`: where a template goes and why — the clusters chosen, the
 * replicas each gets, the overrides applied, and for every cluster left out, the reason. It
 * asks the gateway for a dry-run update of the object, which answers with its placement.
 */
import { apiVersionOf, ResourceRegistry, type KubeObject } from '../../apimachinery/index.js';
import type { PlacementExplanation } from '../../replicator/index.js';
import { gatewayRequest } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { namespaceOf } from '../target-flags.js';

/** Flags of `fedgate explain`. */
export interface ExplainFlags extends TargetFlags {
  namespace?: string;
  output?: 'table' | 'json';
}

/** The REST path of an object, from what a user types (`deployment/web`, `deploy/web`). */
export function objectPath(registry: ResourceRegistry, target: string, namespace: string): string {
  const slash = target.indexOf('/');
  if (slash <= 0 || slash === target.length - 1) throw new Error(`"${target}" is not KIND/NAME (for example deployment/web)`);
  const r = registry.resolve(target.slice(0, slash));
  if (!r) throw new Error(`the gateway serves no resource "${target.slice(0, slash)}"`);
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${apiVersionOf(r)}`;
  const name = encodeURIComponent(target.slice(slash + 1));
  return r.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}/${name}` : `${base}/${r.plural}/${name}`;
}

/** Formats rows as aligned columns. */
export function formatTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [columns, ...rows].map((r) => r.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join('   ').trimEnd()).join('\n') + '\n';
}

/** The action of `fedgate explain`. */
export async function explainCommand(target: string, flags: ExplainFlags): Promise<void> {
  const gateway = resolveTarget(flags);
  const path = objectPath(new ResourceRegistry(), target, namespaceOf(flags.namespace, gateway));
  const current = await gatewayRequest<KubeObject>(gateway, 'GET', path);
  // Unconditional: status writes keep moving the resourceVersion, and a dry run changes nothing.
  delete current.metadata.resourceVersion;
  const preview = await gatewayRequest<KubeObject>(gateway, 'PUT', `${path}?dryRun=All`, current);
  const placement = (preview.status as { placement?: PlacementExplanation & { policy?: string } } | undefined)?.placement;
  if (!placement?.table) throw new Error(`${target} has no placement: no PropagationPolicy selects it`);
  if (flags.output === 'json') {
    process.stdout.write(`${JSON.stringify(placement, null, 2)}\n`);
    return;
  }
  if (placement.policy) process.stdout.write(`policy: ${placement.policy}\n`);
  if (placement.error) process.stdout.write(`error: ${placement.error}\n`);
  for (const w of placement.warnings ?? []) process.stdout.write(`warning: ${w}\n`);
  process.stdout.write(formatTable(placement.table.columns, placement.table.rows));
}
