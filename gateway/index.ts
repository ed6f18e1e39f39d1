/**
 * gateway: the Kubernetes-style API server of fedgate (Koa). It serves every resource of
 * the registry under `/api/v1` and `/apis/{group}/{version}` with Kubernetes' verbs,
 * selectors, paging, watches, finalizers and Status errors; JSON patches, merge patches,
 * strategic merge patches and server-side apply with managed fields; Table output for
 * printing clients; discovery (legacy and aggregated), OpenAPI v2/v3, `/version`,
 * `/healthz` `/livez` `/readyz` and `/metrics`; and `pods/{name}/log` when given a pod log
 * source (a member). Reads come from a watch cache over the store. kubectl works against
 * it unchanged.
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
} from './gateway.js';
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
export { tableFor, partialObjectMetadata, parseIncludeObject, type Table, type TableRow, type TableOptions, type IncludeObject } from './table.js';
export { printerFor, humanDuration, ageOf, clustersCell, type Printer, type PrintColumn, type TableColumnDefinition } from './table-printers.js';
export { OpenApiDocuments, toOpenApiSchema, definitionName, advertisesStrategicMerge, type OpenApiV3Document } from './openapi.js';
export { parseAccept, responseShape, aggregatedDiscoveryVersion, type MediaRange, type ResponseShape } from './content-negotiation.js';
export { aggregatedDiscovery, aggregatedDiscoveryType, type DiscoveryOptions } from './discovery.js';
