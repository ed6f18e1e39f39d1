/**
 * The Koa application and its middleware order — one entry and one exit per request:
 *
 * 1. request log + metrics (outermost: sees the final code of every request),
 * 2. audit log (when configured: one line per request, with the final code and the user),
 * 3. Status errors (the only place a thrown error becomes a response),
 * 4. authentication and authorization (401/403 before anything is routed),
 * 5. per-user rate limit (429),
 * 6. fixed endpoints: health, metrics, discovery (legacy and aggregated), OpenAPI, version,
 * 7. `clusters/{name}/proxy/...` to member APIs (a federation gateway with a cluster proxy),
 * 8. resource paths (`/api/v1/...`, `/apis/{group}/{version}/...`),
 * 9. anything else: 404 Status.
 */
import { Router } from '@koa/router';
import Koa, { type Context } from 'koa';
import { StatusError, StatusReason } from '../apimachinery/index.js';
import { authentication, knownUserOf, MEMBER_CERTIFICATE_ORGANIZATION, userOf } from './api-auth.js';
import { auditRequests, type AuditLog } from './audit-log.js';
import { rateLimit, type UserRateLimiter } from './rate-limit.js';
import { acceptsJson, aggregatedDiscoveryVersion } from './content-negotiation.js';
import {
  aggregatedDiscovery,
  aggregatedDiscoveryType,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  type DiscoveryOptions,
} from './discovery.js';
import { OpenApiDocuments } from './openapi.js';
import { clusterProxyRoutes } from './cluster-proxy.js';
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
  /** Writes one line per request. */
  audit?: AuditLog;
  /** Per-user token buckets. */
  rateLimiter?: UserRateLimiter;
  /** Client certificates carrying one of these organizations are refused (401); member certificates by default. */
  refusedCertificateOrganizations?: readonly string[];
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
  const discovery: DiscoveryOptions = { podLogs: api.podLogs !== undefined, tokenRequests: api.auth !== undefined, clusterProxy: api.clusterProxy !== undefined };
  /** `/api` and `/apis` answer aggregated discovery to clients that list it in Accept. */
  const aggregated = (ctx: Context, scope: 'core' | 'groups'): boolean => {
    ctx.vary('Accept');
    const version = aggregatedDiscoveryVersion(ctx.get('accept') || undefined);
    if (!version) return false;
    ctx.body = aggregatedDiscovery(api.registry, scope, version, discovery);
    ctx.type = aggregatedDiscoveryType(version);
    return true;
  };
  router.get('/api', (ctx) => {
    if (!aggregated(ctx, 'core')) ctx.body = apiVersions(opts.serverAddress());
  });
  router.get('/apis', (ctx) => {
    if (!aggregated(ctx, 'groups')) ctx.body = apiGroupList(api.registry);
  });
  router.get('/api/:version', (ctx) => {
    ctx.body = discovered(apiResourceList(api.registry, '', ctx.params['version'] ?? '', discovery));
  });
  router.get('/apis/:group', (ctx) => {
    ctx.body = discovered(apiGroup(api.registry, ctx.params['group'] ?? ''));
  });
  router.get('/apis/:group/:version', (ctx) => {
    ctx.body = discovered(apiResourceList(api.registry, ctx.params['group'] ?? '', ctx.params['version'] ?? '', discovery));
  });

  const openapi = new OpenApiDocuments(api.registry, { podLogs: discovery.podLogs });
  router.get('/openapi/v2', (ctx) => {
    // kubectl asks for protobuf first; a 406 sends it on without a warning.
    if (!acceptsJson(ctx.get('accept') || undefined)) {
      throw new StatusError(StatusReason.NotAcceptable, 'the OpenAPI v2 document is served as application/json only');
    }
    ctx.type = 'application/json';
    ctx.body = openapi.v2Json();
  });
  router.get('/openapi/v3', (ctx) => {
    ctx.body = openapi.v3Index();
  });
  const groupVersionDocument = (ctx: Context, path: string): void => {
    const doc = openapi.v3Documents().get(path);
    if (!doc) throw unknownPath();
    const hash = ctx.query['hash'];
    if (typeof hash === 'string' && hash !== doc.hash) {
      // An outdated hash: send the client to the current document, as kube-apiserver does.
      ctx.status = 301;
      ctx.redirect(`/openapi/v3/${doc.path}?hash=${doc.hash}`);
      return;
    }
    ctx.set('Cache-Control', typeof hash === 'string' ? 'public, immutable' : 'no-cache, private');
    ctx.set('Etag', `"${doc.hash}"`);
    ctx.type = 'application/json';
    ctx.body = doc.json;
  };
  router.get('/openapi/v3/api/:version', (ctx) => groupVersionDocument(ctx, `api/${ctx.params['version'] ?? ''}`));
  router.get('/openapi/v3/apis/:group/:version', (ctx) => groupVersionDocument(ctx, `apis/${ctx.params['group'] ?? ''}/${ctx.params['version'] ?? ''}`));

  app.use(requestLog(api.logger, api.metrics));
  if (opts.audit) app.use(auditRequests(opts.audit, knownUserOf));
  app.use(statusErrors(api.logger));
  app.use(authentication(api.auth, opts.refusedCertificateOrganizations ?? [MEMBER_CERTIFICATE_ORGANIZATION]));
  if (opts.rateLimiter) app.use(rateLimit(opts.rateLimiter, userOf));
  app.use(router.routes());
  if (api.clusterProxy) app.use(clusterProxyRoutes(api, api.clusterProxy));
  app.use(resourceRoutes(api));
  app.use(() => {
    throw unknownPath();
  });
  return app;
}
