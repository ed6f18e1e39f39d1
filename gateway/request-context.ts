/**
 * What every resource handler receives: the services of the gateway and the parsed
 * request (resource, namespace, name, subresource, verb).
 */
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { KubeObject, ResourceInfo, ResourceRegistry } from '../apimachinery/index.js';
import type { Store } from '../store/index.js';
import type { ApiAuth } from './api-auth.js';
import type { ClusterProxyOptions } from './cluster-proxy-options.js';
import type { PodLogSource } from './pod-log-source.js';
import type { GatewayMetrics } from './metrics.js';
import type { ApiVerb } from './request-path.js';
import type { RestStorage } from './rest-storage.js';
import type { WatchStream } from './watch-stream.js';

/** Long-lived parts the handlers use. */
export interface ApiServices {
  store: Store;
  storage: RestStorage;
  registry: ResourceRegistry;
  metrics: GatewayMetrics;
  logger: Logger;
  maxBodyBytes: number;
  /** Open watch streams; the gateway ends them on stop. */
  watches: Set<WatchStream>;
  /** Default watch length when `timeoutSeconds` is absent. */
  watchTimeoutMs: () => number;
  /** How often a watch with `allowWatchBookmarks` gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** Completes a dry-run result (e.g. with the placement it would get); identity when absent. */
  dryRunPreview?: DryRunPreview;
  /** The clock of Table ages. */
  now: () => Date;
  /** A federation gateway (its registry has Clusters): templates' Tables show where they run. */
  federated: boolean;
  /** Container logs for `pods/{name}/log`; absent: the subresource is not served. */
  podLogs?: PodLogSource;
  /** Authentication and authorization; absent: every request is the insecure user. With it, the review kinds and `serviceaccounts/NAME/token` are served. */
  auth?: ApiAuth;
  /** Objects a namespace may hold (checked on create); absent: no limit. */
  maxObjectsPerNamespace?: number;
  /** `clusters/{name}/proxy` to member APIs (a federation gateway); absent: not served. */
  clusterProxy?: ClusterProxyOptions;
}

/** Turns the object a dry run would store into what the client sees (adds a preview). */
export type DryRunPreview = (obj: KubeObject) => Promise<KubeObject>;

/** A request on a resource path, after routing. */
export interface ResourceRequest {
  resource: ResourceInfo;
  /** From the URL; undefined for cluster-scoped resources and all-namespaces lists. */
  namespace: string | undefined;
  name: string | undefined;
  subresource: 'status' | 'finalize' | 'log' | 'token' | undefined;
  verb: ApiVerb;
}

/** Per-request facts the logging and metrics middleware read after the handlers ran. */
export interface RequestFacts {
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  /** Health and metrics scrapes log at debug. */
  quiet?: boolean;
}

/** The request facts kept on `ctx.state`. */
export function requestFacts(ctx: Context): RequestFacts {
  const state = ctx.state as { facts?: RequestFacts };
  state.facts ??= {};
  return state.facts;
}
