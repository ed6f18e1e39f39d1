/**
 * gateway: the Kubernetes-style API server of fedgate (Koa). It serves every resource of
 * the registry under `/api/v1` and `/apis/{group}/{version}` with Kubernetes' verbs,
 * selectors, paging, watches, finalizers and Status errors; JSON patches, merge patches,
 * strategic merge patches and server-side apply with managed fields; Table output for
 * printing clients; discovery (legacy and aggregated), OpenAPI v2/v3, `/version`,
 * `/healthz` `/livez` `/readyz` and `/metrics`; `pods/{name}/log` when given a pod log
 * source (a member); `clusters/{name}/proxy/...` to member APIs when given a cluster proxy
 * (the federation gateway). Reads come from a watch cache over the store. kubectl works
 * against it unchanged.
 *
 * With `tls` it serves HTTPS (client certificates of `tls.clientCaPem` authenticate); with
 * `auth` every request is authenticated (401) and authorized (403) before routing, and the
 * review kinds (`kubectl auth can-i`, `kubectl auth whoami`, TokenReview) and
 * `serviceaccounts/NAME/token` are served; `rateLimit` (429), `maxObjectsPerNamespace`
 * (403 exceeded quota) and `audit` (JSON lines, no bodies) complete the admission path.
 *
 * ```ts
 * import { openStore } from '../store/index.js';
 * import { Gateway } from '../gateway/index.js';
 * const store = await openStore('sqlite:./data/fed.db');
 * const gateway = new Gateway({ store, listen: { host: '127.0.0.1', port: 6443 } });
 * await gateway.start();
 * console.log(gateway.url); // http://127.0.0.1:6443
 * await gateway.stop();
 * await store.close(); // the caller owns the store
 *
 * // Secure: HTTPS, authentication and RBAC (GatewayAuth from auth/ satisfies ApiAuth), limits, audit.
 * const secure = new Gateway({
 *   store,
 *   tls: { certPem, keyPem, clientCaPem: caPem },
 *   auth: (cache) => new GatewayAuth({ store: cache, serviceAccountKey }),
 *   rateLimit: { qps: 100, burst: 200 },
 *   maxObjectsPerNamespace: 5000,
 *   audit: { path: './data/audit.log' },
 *   // clusters/NAME/proxy/... to member APIs, presenting the gateway's client certificate.
 *   clusterProxy: { clientCertificate: () => identity.current() },
 * });
 * ```
 */
export {
  Gateway,
  DEFAULT_LISTEN,
  DEFAULT_NAMESPACE,
  DEFAULT_BOOKMARK_INTERVAL_MS,
  DEFAULT_MIN_WATCH_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  REGISTRY_PREFIX,
  type GatewayOptions,
  type GatewayTlsOptions,
} from './gateway.js';
export {
  INSECURE_USER,
  MEMBER_CERTIFICATE_ORGANIZATION,
  userOf,
  clientCertificateOf,
  type ApiAuth,
  type ApiAuthFactory,
  type ApiAuthRequest,
} from './api-auth.js';
export { AuditLog, type AuditEntry, type AuditOptions } from './audit-log.js';
export { UserRateLimiter, DEFAULT_RATE_LIMIT_QPS, DEFAULT_RATE_LIMIT_BURST, type RateLimitOptions } from './rate-limit.js';
export { OBJECT_QUOTA_NAME, countNamespaceObjects, isRbacResource } from './admission.js';
export { createApp, type AppOptions } from './app.js';
export { GatewayMetrics } from './metrics.js';
export { RestStorage, OBJECT_MODIFIED, type RestStorageOptions, type ListQuery, type WriteOptions, type DeleteOptions, type ObjectRef } from './rest-storage.js';
export { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
export { encodeContinue, decodeContinue, type ContinuePosition } from './continue-token.js';
export { parseResourcePath, verbOf, type ResourcePath, type ApiVerb } from './request-path.js';
export { KUBERNETES_COMPATIBILITY, GATEWAY_VERSION, versionInfo } from './discovery.js';
export type { HealthCheck } from './health.js';
export type { ApiServices, DryRunPreview } from './request-context.js';
export { LOG_FOLLOW_CHECK_MS } from './handlers-log.js';
export type { PodLogSource, PodLogOptions } from './pod-log-source.js';
export {
  BadGatewayError,
  CLUSTER_PROXY_SUBRESOURCE,
  checkMemberApiIdentity,
  memberApiCommonName,
  parseClusterProxyPath,
  proxyTarget,
  proxyVerbOf,
} from './cluster-proxy.js';
export { DEFAULT_PROXY_RESPONSE_TIMEOUT_MS, type ClusterProxyOptions, type ProxyClientCertificate } from './cluster-proxy-options.js';
export { tableFor, partialObjectMetadata, parseIncludeObject, type Table, type TableRow, type TableOptions, type IncludeObject } from './table.js';
export { printerFor, humanDuration, ageOf, clustersCell, type Printer, type PrintColumn, type TableColumnDefinition } from './table-printers.js';
export { OpenApiDocuments, toOpenApiSchema, definitionName, advertisesStrategicMerge, type OpenApiV3Document } from './openapi.js';
export { parseAccept, responseShape, aggregatedDiscoveryVersion, type MediaRange, type ResponseShape } from './content-negotiation.js';
export { aggregatedDiscovery, aggregatedDiscoveryType, type DiscoveryOptions } from './discovery.js';
