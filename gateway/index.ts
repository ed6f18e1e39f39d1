/**
 * gateway: the Kubernetes-style API server of fedgate (Koa). It serves every resource of
 * the registry under `/api/v1` and `/apis/{group}/{version}` with Kubernetes' verbs,
 * selectors, paging, watches, finalizers and Status errors, plus discovery, `/version`,
 * `/healthz` `/livez` `/readyz` and `/metrics`. Reads come from a watch cache over the store.
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
