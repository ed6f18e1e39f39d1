/** DELETE of one object and of a collection (deletecollection). */
import type { Context } from 'koa';
import { badRequest } from '../apimachinery/index.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { readOptionalBody } from './request-body.js';
import { dryRunOf, integerParam, queryParam, selectorFilter } from './request-options.js';
import type { DeleteOptions } from './rest-storage.js';

const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'];

/**
 * metav1.DeleteOptions from the query and the optional body. `propagationPolicy` and
 * `gracePeriodSeconds` are checked and accepted; the gateway runs no garbage collector,
 * so dependents are not deleted through it.
 */
async function deleteOptions(ctx: Context, api: ApiServices): Promise<DeleteOptions> {
  const body = await readOptionalBody(ctx, api.maxBodyBytes);
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw badRequest('the body of a DELETE must be a DeleteOptions object');
  }
  const b = (body ?? {}) as Record<string, unknown>;
  const policy = queryParam(ctx, 'propagationPolicy') ?? b['propagationPolicy'];
  if (policy !== undefined && !PROPAGATION_POLICIES.includes(String(policy))) {
    throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Orphan", "Background", "Foreground"`);
  }
  integerParam(ctx, 'gracePeriodSeconds');
  const grace = b['gracePeriodSeconds'];
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) {
    throw badRequest('gracePeriodSeconds must be a non-negative integer');
  }
  const opts: DeleteOptions = { dryRun: dryRunOf(ctx, b['dryRun']) };
  const pre = b['preconditions'];
  if (pre !== undefined && pre !== null) {
    if (typeof pre !== 'object' || Array.isArray(pre)) throw badRequest('preconditions must be an object');
    const p = pre as Record<string, unknown>;
    opts.preconditions = {};
    if (typeof p['uid'] === 'string') opts.preconditions.uid = p['uid'];
    if (typeof p['resourceVersion'] === 'string') opts.preconditions.resourceVersion = p['resourceVersion'];
  }
  return opts;
}

/** DELETE on an object: 200 with the deleted object, or with `deletionTimestamp` set while finalizers remain. */
export async function handleDelete(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const opts = await deleteOptions(ctx, api);
  ctx.body = await api.storage.delete({ resource: req.resource, namespace: req.namespace, name: req.name! }, opts);
}

/** DELETE on a collection: deletes what the selectors match; 200 with the list of deleted objects. */
export async function handleDeleteCollection(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const opts = await deleteOptions(ctx, api);
  const filter = selectorFilter(ctx, req.resource);
  ctx.body = await api.storage.deleteCollection(req.resource, req.namespace, filter ? { filter } : {}, opts);
}
