/** POST (create), PUT (update) and PATCH, on objects and their `/status` subresource. */
import type { Context } from 'koa';
import { applyJsonPatch, applyMergePatch, badRequest, type KubeObject } from '../apimachinery/index.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { patchTypeOf, readObjectBody, readPatchBody } from './request-body.js';
import { dryRunOf } from './request-options.js';

/** POST on a collection: 201 with the created object. */
export async function handleCreate(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const dryRun = dryRunOf(ctx);
  const body = await readObjectBody(ctx, api.maxBodyBytes);
  const created = await api.storage.create(req.resource, req.namespace, body, { dryRun });
  ctx.status = 201;
  ctx.body = await preview(api, dryRun, created);
}

/** PUT on an object, `/status` or `/finalize`: 200 with the stored object. */
export async function handleUpdate(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const dryRun = dryRunOf(ctx);
  const body = await readObjectBody(ctx, api.maxBodyBytes);
  const updated = await api.storage.update(
    { resource: req.resource, namespace: req.namespace, name: req.name! },
    body,
    req.subresource,
    { dryRun },
  );
  ctx.body = await preview(api, dryRun, updated);
}

/** PATCH with a JSON merge patch or a JSON patch: 200 with the stored object. */
export async function handlePatch(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const dryRun = dryRunOf(ctx);
  const type = patchTypeOf(ctx);
  const patch = await readPatchBody(ctx, api.maxBodyBytes);
  if (type === 'json' && !Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  if (type === 'merge' && (typeof patch !== 'object' || patch === null || Array.isArray(patch))) {
    throw badRequest('a merge patch must be a JSON object');
  }
  const apply = (current: unknown): unknown =>
    type === 'json' ? applyJsonPatch(current, patch as never) : applyMergePatch(current, patch);
  const patched = await api.storage.patch(
    { resource: req.resource, namespace: req.namespace, name: req.name! },
    apply,
    req.subresource,
    { dryRun },
  );
  ctx.body = await preview(api, dryRun, patched);
}

/** A dry run's answer goes through the preview (the placement it would get), when one is set. */
function preview(api: ApiServices, dryRun: boolean, obj: KubeObject): Promise<KubeObject> | KubeObject {
  return dryRun && api.dryRunPreview ? api.dryRunPreview(obj) : obj;
}
