/**
 * Query parameters of resource requests, parsed once into typed options: dry runs,
 * paging, selectors, watch timeouts. Bad values are 400 BadRequest, as kube-apiserver says.
 */
import type { Context } from 'koa';
import {
  badRequest,
  parseFieldSelector,
  parseFieldValidation,
  type FieldValidation,
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
  // kubectl describe finds an object's events by these.
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  nodes: ['spec.unschedulable'],
};

/** Longest field manager name, as kube-apiserver allows. */
const MAX_FIELD_MANAGER_LENGTH = 128;

/**
 * The field manager of a write: `fieldManager`, or (as kube-apiserver derives it) the
 * User-Agent up to its first `/` (`kubectl`), or `unknown`.
 */
export function fieldManagerOf(ctx: Context): string {
  const given = queryParam(ctx, 'fieldManager');
  if (given !== undefined && given !== '') {
    if (given.length > MAX_FIELD_MANAGER_LENGTH) throw badRequest(`fieldManager: Too long: must have at most ${MAX_FIELD_MANAGER_LENGTH} bytes`);
    if (!/^[\x20-\x7e]+$/.test(given)) throw badRequest('fieldManager: Invalid value: must consist of printable characters');
    return given;
  }
  const agent = (ctx.get('user-agent').split('/')[0] ?? '').trim().slice(0, MAX_FIELD_MANAGER_LENGTH);
  return /^[\x20-\x7e]+$/.test(agent) ? agent : 'unknown';
}

/** The `fieldValidation` directive of a write (Warn when absent). */
export function fieldValidationOf(ctx: Context): FieldValidation {
  return parseFieldValidation(queryParam(ctx, 'fieldValidation'));
}

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
