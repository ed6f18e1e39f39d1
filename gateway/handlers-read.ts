/** GET of one object and LIST of a collection, shaped as the `Accept` header asks (object, Table, PartialObjectMetadata). */
import type { Context } from 'koa';
import { badRequest, type KubeList, type KubeObject } from '../apimachinery/index.js';
import { responseShape, type ResponseShape } from './content-negotiation.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { integerParam, queryParam, selectorFilter } from './request-options.js';
import { parseIncludeObject, partialObjectMetadata, partialObjectMetadataList, tableFor, type TableOptions } from './table.js';

/** The Table options of a request that asked for a Table. */
export function tableOptions(ctx: Context, api: ApiServices, version: 'v1' | 'v1beta1'): TableOptions {
  return { includeObject: parseIncludeObject(queryParam(ctx, 'includeObject')), now: api.now(), federated: api.federated, version };
}

/** The shape of this request's answer; 406 when the Accept header allows none the gateway makes. */
export function shapeOf(ctx: Context, list: boolean): ResponseShape {
  return responseShape(ctx.get('accept') || undefined, list);
}

/** GET `.../{plural}/{name}` and `.../{name}/status`: 200 with the object (or its Table row). */
export async function handleGet(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const shape = shapeOf(ctx, false);
  const obj = await api.storage.get({ resource: req.resource, namespace: req.namespace, name: req.name! });
  ctx.body = shapeObject(ctx, api, req, shape, obj);
}

function shapeObject(ctx: Context, api: ApiServices, req: ResourceRequest, shape: ResponseShape, obj: KubeObject): unknown {
  if (shape.kind === 'table') return tableFor(req.resource, [obj], tableOptions(ctx, api, shape.version), { resourceVersion: obj.metadata.resourceVersion ?? '' });
  if (shape.kind === 'partial') return partialObjectMetadata(obj, shape.version);
  return obj;
}

function shapeList(ctx: Context, api: ApiServices, req: ResourceRequest, shape: ResponseShape, list: KubeList): unknown {
  if (shape.kind === 'table') return tableFor(req.resource, list.items, tableOptions(ctx, api, shape.version), list.metadata);
  if (shape.kind === 'partial') return partialObjectMetadataList(list.items, list.metadata, shape.version);
  return list;
}

/**
 * GET on a collection: `labelSelector`, `fieldSelector`, `limit` and `continue`;
 * `resourceVersion` with `resourceVersionMatch=Exact` reads at that revision.
 */
export async function handleList(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const shape = shapeOf(ctx, true);
  if (shape.kind === 'table') parseIncludeObject(queryParam(ctx, 'includeObject'));
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
  const list = await api.storage.list(req.resource, req.namespace, {
    ...(filter ? { filter } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(continueToken ? { continueToken } : {}),
    ...(revision !== undefined ? { revision } : {}),
  });
  ctx.body = shapeList(ctx, api, req, shape, list);
}
