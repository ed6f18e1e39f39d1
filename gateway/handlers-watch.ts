/** GET with `watch=true`: a long-lived newline-delimited JSON event stream. */
import type { Context } from 'koa';
import { badRequest, namespacePrefix, resourcePrefix, storeKey, type KubeObject } from '../apimachinery/index.js';
import { shapeOf, tableOptions } from './handlers-read.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { partialObjectMetadata, tableFor } from './table.js';
import { integerParam, queryParam, selectorFilter } from './request-options.js';
import { WatchStream } from './watch-stream.js';

/**
 * Starts a watch. `resourceVersion` absent or "0": ADDED for every current object first;
 * otherwise events after that revision (a compacted one is an ERROR event with a 410
 * Status). `timeoutSeconds` ends the stream; `allowWatchBookmarks` adds BOOKMARKs.
 */
export async function handleWatch(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const r = req.resource;
  const shape = shapeOf(ctx, true);
  // Each event's object becomes a one-row Table (kubectl get -w) or its metadata, as asked.
  let transform: ((obj: KubeObject) => unknown) | undefined;
  if (shape.kind === 'table') {
    const table = tableOptions(ctx, api, shape.version);
    transform = (obj) => tableFor(r, [obj], { ...table, now: api.now() }, { resourceVersion: obj.metadata.resourceVersion ?? '' });
  } else if (shape.kind === 'partial') {
    transform = (obj) => partialObjectMetadata(obj, shape.version);
  }
  const rvText = queryParam(ctx, 'resourceVersion');
  let afterRevision: number | undefined;
  if (rvText !== undefined && rvText !== '' && rvText !== '0') {
    if (!/^\d+$/.test(rvText)) throw badRequest(`invalid resourceVersion: ${JSON.stringify(rvText)}`);
    afterRevision = Number(rvText);
  }
  const timeoutSeconds = integerParam(ctx, 'timeoutSeconds');
  const filter = selectorFilter(ctx, r);
  const bookmarks = queryParam(ctx, 'allowWatchBookmarks') === 'true';
  const prefix = r.namespaced && req.namespace !== undefined ? namespacePrefix(r, req.namespace) : resourcePrefix(r);
  const stream = new WatchStream({
    store: api.store,
    resource: r,
    prefix,
    ...(req.name !== undefined ? { key: storeKey(r, req.namespace, req.name) } : {}),
    ...(afterRevision !== undefined ? { afterRevision } : {}),
    ...(filter ? { filter } : {}),
    timeoutMs: timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : api.watchTimeoutMs(),
    ...(bookmarks ? { bookmarkIntervalMs: api.bookmarkIntervalMs } : {}),
    onEventSent: (type) => api.metrics.watchEvents.inc({ resource: r.plural, type }),
    ...(transform ? { transform } : {}),
  });
  api.watches.add(stream);
  api.metrics.watchers.inc({ resource: r.plural });
  stream.body.once('close', () => {
    api.watches.delete(stream);
    api.metrics.watchers.dec({ resource: r.plural });
  });
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.set('Cache-Control', 'no-cache, private');
  ctx.body = stream.body;
  // Headers go out now: a client waits for them before it reads events, and there may be none for a while.
  ctx.flushHeaders();
  void stream.run();
}
