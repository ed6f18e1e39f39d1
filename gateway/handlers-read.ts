/** GET of one object and LIST of a collection. */
import type { Context } from 'koa';
import { badRequest } from '../apimachinery/index.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { integerParam, queryParam, selectorFilter } from './request-options.js';

/** GET `.../{plural}/{name}` and `.../{name}/status`: 200 with the object. */
export async function handleGet(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  ctx.body = await api.storage.get({ resource: req.resource, namespace: req.namespace, name: req.name! });
}

/**
 * GET on a collection: `labelSelector`, `fieldSelector`, `limit` and `continue`;
 * `resourceVersion` with `resourceVersionMatch=Exact` reads at that revision.
 */
export async function handleList(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const filter = selectorFilter(ctx, req.resource);
  const limit = integerParam(ctx, 'limit');
  const continueToken = queryParam(ctx, 'continue');
  let revision: number | undefined;
  const match = queryParam(ctx, 'resourceVersionMatch');
  if (match !== undefined && match !== '') {
    if (match !== 'Exact' && match !== 'NotOlderThan') throw badRequest(`invalid resourceVersionMatch: ${match}`);
    const rv = integerParam(ctx, 'resourceVersion');
    if (rv === undefined) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (match === 'Exact') revision = rv;
  }
  ctx.body = await api.storage.list(req.resource, req.namespace, {
    ...(filter ? { filter } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(continueToken ? { continueToken } : {}),
    ...(revision !== undefined ? { revision } : {}),
  });
}
