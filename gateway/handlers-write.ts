/**
 * POST (create), PUT (update) and PATCH, on objects and their `/status` subresource. Every
 * write records its field manager in `metadata.managedFields` and honours
 * `fieldValidation`; PATCH takes JSON merge patches, JSON patches, strategic merge patches
 * and server-side apply configurations.
 */
import type { Context } from 'koa';
import {
  apiSchemaFor,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  badRequest,
  isAlreadyExists,
  isNotFound,
  serverSideApply,
  type KubeObject,
} from '../apimachinery/index.js';
import { admitObjectQuota, admitRbacWrite } from './admission.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { patchTypeOf, readObjectBody, readPatchBody } from './request-body.js';
import { dryRunOf, fieldManagerOf, fieldValidationOf, queryParam } from './request-options.js';
import type { WriteOptions } from './rest-storage.js';
import type { WriteTarget } from './object-strategy.js';

/** The subresource a write goes to; `log` and `token` never reach the write handlers. */
function targetOf(req: ResourceRequest): WriteTarget {
  return req.subresource === 'status' || req.subresource === 'finalize' ? req.subresource : undefined;
}

/** Admission of a new object: escalation prevention for RBAC kinds, then the namespace's object quota. */
async function admitCreate(ctx: Context, api: ApiServices, req: ResourceRequest, body: unknown): Promise<void> {
  const obj = api.storage.checkBody(req.resource, req.namespace, req.name, body);
  admitRbacWrite(ctx, api, req.resource, obj, 'create');
  await admitObjectQuota(api, req.resource, obj.metadata.namespace ?? req.namespace, obj.metadata.name);
}

/** The patch function with escalation prevention on its result (RBAC kinds). */
function admittedPatch(ctx: Context, api: ApiServices, req: ResourceRequest, apply: (current: KubeObject) => unknown): (current: KubeObject) => unknown {
  return (current) => {
    const next = apply(current);
    admitRbacWrite(ctx, api, req.resource, api.storage.checkBody(req.resource, req.namespace, req.name, next), 'update');
    return next;
  };
}

/** The write options of a request: dry run, field manager, field validation, a place for warnings. */
function writeOptions(ctx: Context): WriteOptions {
  return { dryRun: dryRunOf(ctx), fieldManager: fieldManagerOf(ctx), fieldValidation: fieldValidationOf(ctx), warnings: new Set() };
}

/** At most this many `Warning` headers per response, each at most MAX_WARNING_LENGTH characters. */
const MAX_WARNINGS = 50;
const MAX_WARNING_LENGTH = 256;

/**
 * Sends collected warnings as `Warning: 299 - "..."` headers, which kubectl prints. Header
 * values must be printable ASCII: anything else (a field name the client made up) is escaped.
 */
function sendWarnings(ctx: Context, opts: WriteOptions): void {
  for (const w of [...(opts.warnings ?? [])].slice(0, MAX_WARNINGS)) {
    const text = JSON.stringify(w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH)}...` : w).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    ctx.append('Warning', `299 - ${text}`);
  }
}

/** POST on a collection: 201 with the created object. */
export async function handleCreate(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const opts = writeOptions(ctx);
  const body = await readObjectBody(ctx, api.maxBodyBytes);
  await admitCreate(ctx, api, req, body);
  const created = await api.storage.create(req.resource, req.namespace, body, opts);
  sendWarnings(ctx, opts);
  ctx.status = 201;
  ctx.body = await preview(api, opts.dryRun, created);
}

/** PUT on an object, `/status` or `/finalize`: 200 with the stored object. */
export async function handleUpdate(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const opts = writeOptions(ctx);
  const body = await readObjectBody(ctx, api.maxBodyBytes);
  admitRbacWrite(ctx, api, req.resource, api.storage.checkBody(req.resource, req.namespace, req.name, body), 'update');
  const updated = await api.storage.update(
    { resource: req.resource, namespace: req.namespace, name: req.name! },
    body,
    targetOf(req),
    opts,
  );
  sendWarnings(ctx, opts);
  ctx.body = await preview(api, opts.dryRun, updated);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** PATCH: 200 with the stored object (201 when server-side apply created it). */
export async function handlePatch(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const type = patchTypeOf(ctx);
  const opts = writeOptions(ctx);
  const patch = await readPatchBody(ctx, api.maxBodyBytes, type);
  if (type === 'apply') {
    await handleApply(ctx, api, req, patch, opts);
    return;
  }
  if (queryParam(ctx, 'force') !== undefined) throw badRequest('force may only be set for apply patches (application/apply-patch+yaml)');
  if (type === 'json' && !Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  if (type !== 'json' && !isObject(patch)) throw badRequest(`a ${type === 'merge' ? 'merge' : 'strategic merge'} patch must be a JSON object`);
  const schema = apiSchemaFor(req.resource);
  const apply = (current: unknown): unknown => {
    if (type === 'json') return applyJsonPatch(current, patch as never);
    if (type === 'strategic') return applyStrategicMergePatch(current, patch, schema);
    return applyMergePatch(current, patch);
  };
  const patched = await api.storage.patch({ resource: req.resource, namespace: req.namespace, name: req.name! }, admittedPatch(ctx, api, req, apply), targetOf(req), opts);
  sendWarnings(ctx, opts);
  ctx.body = await preview(api, opts.dryRun, patched);
}

/**
 * Server-side apply: merges the configuration into the object (creating it when missing)
 * and makes the field manager own exactly the configuration's fields; another manager's
 * field set to a different value is a 409 unless `force=true`.
 */
async function handleApply(ctx: Context, api: ApiServices, req: ResourceRequest, body: unknown, opts: WriteOptions): Promise<void> {
  if (!isObject(body)) throw badRequest('the apply configuration must be an object');
  if (!queryParam(ctx, 'fieldManager')) throw badRequest('PATCH, fieldManager is required for apply requests');
  const forceText = queryParam(ctx, 'force');
  if (forceText !== undefined && forceText !== 'true' && forceText !== 'false') throw badRequest(`invalid value for force: ${JSON.stringify(forceText)}`);
  const r = req.resource;
  const config = api.storage.checkBody(r, req.namespace, req.name, body);
  api.storage.checkFields(r, config, opts);
  const ctxApply = { ...api.storage.fieldManagerContext(r, opts.fieldManager!, targetOf(req)), force: forceText === 'true' };
  const subject = { group: r.group === '' ? undefined : r.group, resource: r.plural, name: req.name };
  const applyOpts: WriteOptions = { ...opts, serverSideApply: true };
  const ref = { resource: r, namespace: req.namespace, name: req.name! };
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = admittedPatch(ctx, api, req, (current) => serverSideApply(current, config, ctxApply, subject).object);
      const patched = await api.storage.patch(ref, applied, targetOf(req), applyOpts);
      sendWarnings(ctx, opts);
      ctx.body = await preview(api, opts.dryRun, patched);
      return;
    } catch (err) {
      if (!isNotFound(err) || req.subresource !== undefined) throw err;
    }
    try {
      const fresh = serverSideApply(undefined, config, ctxApply, subject).object;
      await admitCreate(ctx, api, req, fresh);
      const created = await api.storage.create(r, req.namespace, fresh, applyOpts);
      sendWarnings(ctx, opts);
      ctx.status = 201;
      ctx.body = await preview(api, opts.dryRun, created);
      return;
    } catch (err) {
      // Someone created it between our read and our create: apply over theirs.
      if (!isAlreadyExists(err) || attempt >= 2) throw err;
    }
  }
}

/** A dry run's answer goes through the preview (the placement it would get), when one is set. */
function preview(api: ApiServices, dryRun: boolean, obj: KubeObject): Promise<KubeObject> | KubeObject {
  return dryRun && api.dryRunPreview ? api.dryRunPreview(obj) : obj;
}
