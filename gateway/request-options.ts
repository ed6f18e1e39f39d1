/**
 * Query parameters of resource requests, parsed once into typed options: dry runs,
 * paging, selectors, watch timeouts. Bad values are 400 BadRequest, as kube-apiserver says.
 */
import type { Context } from 'koa';
import {
  badRequest,
  parseFieldSelector,
  parseLabelSelector,
  type KubeObject,
  type ResourceInfo,
} from '../apimachinery/index.js';

/** Field selectors every resource supports. */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

/** Kind-specific field selectors, as kube-apiserver registers them. */
const EXTRA_FIELDS: Record<string, readonly string[]> = {
  namespaces: ['status.phase'],
  secrets: ['type'],
  services: ['spec.clusterIP', 'spec.type'],
  jobs: ['status.successful'],
};

/** The field selector paths a resource supports. */
export function supportedFields(r: ResourceInfo): readonly string[] {
  return [...COMMON_FIELDS, ...(EXTRA_FIELDS[r.plural] ?? [])];
}

/** One query parameter (the first when repeated). */
export function queryParam(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `dryRun=All` means validate and answer without writing; no other value exists. */
export function dryRunOf(ctx: Context, bodyValue?: unknown): boolean {
  const values = [...([] as string[]).concat(ctx.query['dryRun'] ?? [])];
  if (Array.isArray(bodyValue)) values.push(...bodyValue.map(String));
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dry run value: ${v}; valid values are: All`);
  }
  return values.length > 0;
}

/** A non-negative integer parameter; undefined when absent. */
export function integerParam(ctx: Context, name: string): number | undefined {
  const raw = queryParam(ctx, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(raw)}: must be a non-negative integer`);
  return Number(raw);
}

/** The object filter of `labelSelector` and `fieldSelector`; undefined when neither is set. */
export function selectorFilter(ctx: Context, r: ResourceInfo): ((obj: KubeObject) => boolean) | undefined {
  const labelText = queryParam(ctx, 'labelSelector');
  const fieldText = queryParam(ctx, 'fieldSelector');
  const label = labelText ? parseLabelSelector(labelText) : undefined;
  const field = fieldText ? parseFieldSelector(fieldText, supportedFields(r)) : undefined;
  const activeLabel = label && !label.isEmpty() ? label : undefined;
  if (!activeLabel && !field) return undefined;
  return (obj) => (!activeLabel || activeLabel.matches(obj.metadata.labels ?? {})) && (!field || field.matches(obj));
}
