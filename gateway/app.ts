/**
 * The Koa application and its middleware order — one entry and one exit per request:
 *
 * 1. request log + metrics (outermost: sees the final code of every request),
 * 2. Status errors (the only place a thrown error becomes a response),
 * 3. fixed endpoints: health, metrics, discovery, version,
 * 4. resource paths (`/api/v1/...`, `/apis/{group}/{version}/...`),
 * 5. anything else: 404 Status.
 */
import { Router } from '@koa/router';
import Koa, { type Context } from 'koa';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { serveHealth, type HealthCheck } from './health.js';
import { requestFacts, type ApiServices } from './request-context.js';
import { requestLog } from './request-log.js';
import { resourceRoutes, unknownPath } from './resource-routes.js';
import { statusErrors } from './status-errors.js';

/** What the application serves besides the resources. */
export interface AppOptions {
  api: ApiServices;
  /** `/livez` and `/healthz` checks. */
  livez: readonly HealthCheck[];
  /** `/readyz` checks. */
  readyz: readonly HealthCheck[];
  /** host:port clients reach the gateway at (for `/api`). */
  serverAddress: () => string;
}

function quiet(ctx: Context): void {
  requestFacts(ctx).quiet = true;
}

function discovered<T>(doc: T | undefined): T {
  if (doc === undefined) throw unknownPath();
  return doc;
}

/** Builds the Koa application of a gateway; it does no I/O until a server listens with it. */
export function createApp(opts: AppOptions): Koa {
  const { api } = opts;
  const app = new Koa();
  // Stream errors after the response started (a client hanging up mid-watch) are routine.
  app.on('error', (err: unknown) => api.logger.debug({ err }, 'response stream ended with an error'));

  const router = new Router();
  router.get('/healthz', async (ctx) => {
    quiet(ctx);
    await serveHealth(ctx, 'healthz', opts.livez);
  });
  router.get('/livez', async (ctx) => {
    quiet(ctx);
    await serveHealth(ctx, 'livez', opts.livez);
  });
  router.get('/readyz', async (ctx) => {
    quiet(ctx);
    await serveHealth(ctx, 'readyz', opts.readyz);
  });
  router.get('/metrics', async (ctx) => {
    quiet(ctx);
    const { contentType, text } = await api.metrics.render();
    ctx.type = contentType;
    ctx.body = text;
  });
  router.get('/version', (ctx) => {
    ctx.body = versionInfo();
  });
  router.get('/api', (ctx) => {
    ctx.body = apiVersions(opts.serverAddress());
  });
  router.get('/apis', (ctx) => {
    ctx.body = apiGroupList(api.registry);
  });
  router.get('/api/:version', (ctx) => {
    ctx.body = discovered(apiResourceList(api.registry, '', ctx.params['version'] ?? ''));
  });
  router.get('/apis/:group', (ctx) => {
    ctx.body = discovered(apiGroup(api.registry, ctx.params['group'] ?? ''));
  });
  router.get('/apis/:group/:version', (ctx) => {
    ctx.body = discovered(apiResourceList(api.registry, ctx.params['group'] ?? '', ctx.params['version'] ?? ''));
  });

  app.use(requestLog(api.logger, api.metrics));
  app.use(statusErrors(api.logger));
  app.use(router.routes());
  app.use(resourceRoutes(api));
  app.use(() => {
    throw unknownPath();
  });
  return app;
}
