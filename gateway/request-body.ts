/**
 * Request bodies: read with a byte cap (raw-body stops at the limit, or before reading a
 * byte when Content-Length already exceeds it), then decoded by media type.
 */
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { parse as parseYaml } from 'yaml';
import { badRequest, StatusError, StatusReason } from '../apimachinery/index.js';

/** Kubernetes' request body cap: 3 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The patch formats served: JSON merge patch, JSON patch, strategic merge patch, server-side apply. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

/** Patch media types in the order kube-apiserver lists them in a 415. */
export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

function mediaType(ctx: Context): string {
  return (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
}

function tooLarge(limit: number): StatusError {
  return new StatusError(StatusReason.RequestEntityTooLarge, `Request entity too large: limit is ${limit}`);
}

/**
 * The raw body, at most `limit` bytes. Past the limit the connection is marked to close:
 * the unread rest of the upload is dropped with the socket instead of being read.
 */
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = ctx.get('content-length');
  if (declared !== '' && Number(declared) > limit) {
    ctx.set('Connection', 'close');
    throw tooLarge(limit);
  }
  try {
    return await getRawBody(ctx.req, { limit, ...(declared !== '' ? { length: declared } : {}) });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      ctx.set('Connection', 'close');
      throw tooLarge(limit);
    }
    if (type === 'request.aborted') throw badRequest('the request body was cut short');
    if (type === 'request.size.invalid') throw badRequest('the request body length does not match Content-Length');
    throw err;
  }
}

function decodeText(buf: Buffer, type: string): unknown {
  const text = buf.toString('utf8');
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    try {
      return parseYaml(text);
    } catch (err) {
      throw badRequest(`the body of the request is not valid YAML: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the body of the request is not valid JSON: ${(err as Error).message}`);
  }
}

/** The decoded body of a create or update (JSON, or YAML); 415 for other media types. */
export async function readObjectBody(ctx: Context, limit: number): Promise<unknown> {
  const type = mediaType(ctx);
  if (!['', 'application/json', 'application/yaml', 'application/x-yaml', 'text/yaml'].includes(type)) {
    throw new StatusError(
      StatusReason.UnsupportedMediaType,
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  const buf = await readRawBody(ctx, limit);
  if (buf.length === 0) throw badRequest('the request body is empty');
  return decodeText(buf, type);
}

/** The body of a DELETE (metav1.DeleteOptions), which may be absent. */
export async function readOptionalBody(ctx: Context, limit: number): Promise<unknown> {
  const buf = await readRawBody(ctx, limit);
  if (buf.length === 0) return undefined;
  return decodeText(buf, mediaType(ctx));
}

/** The patch format named by Content-Type; 415 for any other. */
export function patchTypeOf(ctx: Context): PatchType {
  const type = mediaType(ctx);
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/json-patch+json') return 'json';
  if (type === 'application/strategic-merge-patch+json') return 'strategic';
  if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+json') return 'apply';
  throw new StatusError(
    StatusReason.UnsupportedMediaType,
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_MEDIA_TYPES.join(', ')}`,
  );
}

/** The decoded patch document: JSON, or YAML (a superset of JSON) for server-side apply. */
export async function readPatchBody(ctx: Context, limit: number, type: PatchType = 'merge'): Promise<unknown> {
  const buf = await readRawBody(ctx, limit);
  if (buf.length === 0) throw badRequest('the request body is empty');
  return decodeText(buf, type === 'apply' ? 'application/yaml' : 'application/json');
}
