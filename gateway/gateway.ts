/**
 * The gateway: a Kubernetes-style API server over a `Store`. `start()` fills a watch cache
 * from the store (every read is served from it), makes sure the `default` namespace exists,
 * starts the namespace deleter and listens; `stop()` undoes that in reverse and leaves the
 * store open for its owner.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Groups, isAlreadyExists, ResourceRegistry, reviewResources, type ResourceInfo } from '../apimachinery/index.js';
import { WatchCache, type Store, type WatchCacheOptions } from '../store/index.js';
import type { ApiAuth, ApiAuthFactory } from './api-auth.js';
import type { ClusterProxyOptions } from './cluster-proxy-options.js';
import { createApp } from './app.js';
import { AuditLog, type AuditOptions } from './audit-log.js';
import { UserRateLimiter, type RateLimitOptions } from './rate-limit.js';
import type { PodLogSource } from './pod-log-source.js';
import type { HealthCheck } from './health.js';
import { GatewayMetrics } from './metrics.js';
import { NamespaceDeleter } from './namespace-deleter.js';
import type { ApiServices, DryRunPreview } from './request-context.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { RestStorage } from './rest-storage.js';
import type { WatchStream } from './watch-stream.js';

/** Where the gateway listens when not told: loopback, an ephemeral port. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 0 } as const;
/** Store keys of API objects; the watch cache holds exactly these. */
export const REGISTRY_PREFIX = '/registry/';
/** Watches without `timeoutSeconds` last between this and twice this long (kube-apiserver: 30–60 min). */
export const DEFAULT_MIN_WATCH_TIMEOUT_MS = 30 * 60 * 1000;
/** BOOKMARK interval for watches that allow bookmarks (kube-apiserver sends about one a minute). */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60 * 1000;
/** On stop, connections still busy after this long are cut. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5000;
/** How often a stopping gateway closes connections that became idle. */
const SHUTDOWN_SWEEP_MS = 20;
/** The namespace every gateway has, as in Kubernetes. */
export const DEFAULT_NAMESPACE = 'default';

/** Options of `new Gateway(...)`. */
export interface GatewayOptions {
  /** The backend; the gateway never closes it. */
  store: Store;
  /** Port 0 picks a free port. */
  listen?: { host: string; port: number };
  logger?: Logger;
  registry?: ResourceRegistry;
  /** Request body cap; default 3 MiB as Kubernetes. */
  maxBodyBytes?: number;
  watchCache?: Omit<WatchCacheOptions, 'prefix'>;
  /** Clock of timestamps (creationTimestamp, deletionTimestamp). */
  now?: () => Date;
  /** Default watch length: random in [this, 2×this). */
  minWatchTimeoutMs?: number;
  bookmarkIntervalMs?: number;
  shutdownGraceMs?: number;
  /** Completes dry-run answers (the federation adds the placement a template would get). */
  dryRunPreview?: DryRunPreview;
  /** Container logs: with one, `pods/{name}/log` is served (a member cluster's local API). */
  podLogs?: PodLogSource;
  /**
   * Serve HTTPS with this certificate. With `clientCaPem`, client certificates the CA signed
   * authenticate (a client may also present none: tokens work too).
   */
  tls?: GatewayTlsOptions;
  /**
   * Authentication and authorization, built over the gateway's watch cache and started before
   * the gateway listens. Absent: no authentication, every request acts as `system:masters`.
   */
  auth?: ApiAuthFactory;
  /** Per-user token bucket (system:masters exempt); absent: no limit. */
  rateLimit?: RateLimitOptions;
  /** Objects a namespace may hold, all kinds together (checked on create); absent: no limit. */
  maxObjectsPerNamespace?: number;
  /** One JSON line per request, without bodies. */
  audit?: AuditOptions;
  /** Serve `clusters/{name}/proxy/...` to member APIs (a federation gateway). */
  clusterProxy?: ClusterProxyOptions;
}

/** The `tls` option of a gateway: PEM serving certificate (chain) and key, and the CA of client certificates. */
export interface GatewayTlsOptions {
  certPem: string;
  keyPem: string;
  clientCaPem?: string;
  /** Client certificates with one of these organizations are refused (401); default: member certificates. */
  refusedCertificateOrganizations?: readonly string[];
}

interface ResolvedGatewayOptions {
  store: Store;
  listen: { host: string; port: number };
  logger: Logger;
  registry: ResourceRegistry;
  maxBodyBytes: number;
  watchCache: Omit<WatchCacheOptions, 'prefix'>;
  now: () => Date;
  minWatchTimeoutMs: number;
  bookmarkIntervalMs: number;
  shutdownGraceMs: number;
  dryRunPreview: DryRunPreview | undefined;
  podLogs: PodLogSource | undefined;
  tls: GatewayTlsOptions | undefined;
  auth: ApiAuthFactory | undefined;
  rateLimit: RateLimitOptions | undefined;
  maxObjectsPerNamespace: number | undefined;
  audit: AuditOptions | undefined;
  clusterProxy: ClusterProxyOptions | undefined;
}

/** The registry with the review kinds added (answered only when authentication is configured). */
function withReviewKinds(registry: ResourceRegistry): ResourceRegistry {
  const missing = reviewResources.filter((r) => !registry.byResource(r.group, r.version, r.plural));
  return missing.length === 0 ? registry : new ResourceRegistry([...registry.list(), ...missing]);
}

function resolveGatewayOptions(o: GatewayOptions): ResolvedGatewayOptions {
  return {
    store: o.store,
    listen: o.listen ?? { ...DEFAULT_LISTEN },
    logger: o.logger ?? pino({ name: 'fedgate-gateway' }),
    registry: o.auth ? withReviewKinds(o.registry ?? new ResourceRegistry()) : (o.registry ?? new ResourceRegistry()),
    maxBodyBytes: o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    watchCache: o.watchCache ?? {},
    now: o.now ?? (() => new Date()),
    minWatchTimeoutMs: o.minWatchTimeoutMs ?? DEFAULT_MIN_WATCH_TIMEOUT_MS,
    bookmarkIntervalMs: o.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
    shutdownGraceMs: o.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    dryRunPreview: o.dryRunPreview,
    podLogs: o.podLogs,
    tls: o.tls,
    auth: o.auth,
    rateLimit: o.rateLimit,
    maxObjectsPerNamespace: checkedLimit(o.maxObjectsPerNamespace),
    audit: o.audit,
    clusterProxy: o.clusterProxy,
  };
}

function checkedLimit(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1) throw new Error(`maxObjectsPerNamespace must be a positive integer, got ${n}`);
  return n;
}

type GatewayState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** A running API server; see the module doc. */
export class Gateway {
  /** Per-gateway Prometheus metrics (also served at `/metrics`). */
  readonly metrics = new GatewayMetrics();
  private readonly opts: ResolvedGatewayOptions;
  private readonly cache: WatchCache;
  private readonly storage: RestStorage;
  private readonly deleter: NamespaceDeleter;
  private readonly watches = new Set<WatchStream>();
  private server: Server | undefined;
  private auth: ApiAuth | undefined;
  private audit: AuditLog | undefined;
  private readonly rateLimiter: UserRateLimiter | undefined;
  private state: GatewayState = 'new';
  private cacheSynced = false;
  private address = '';

  /** Does no I/O. */
  constructor(options: GatewayOptions) {
    this.opts = resolveGatewayOptions(options);
    this.rateLimiter = this.opts.rateLimit ? new UserRateLimiter(this.opts.rateLimit) : undefined;
    this.cache = new WatchCache(this.opts.store, { ...this.opts.watchCache, prefix: REGISTRY_PREFIX });
    this.storage = new RestStorage({ store: this.cache, registry: this.opts.registry, now: this.opts.now, newUid: randomUUID });
    this.deleter = new NamespaceDeleter({
      store: this.cache,
      storage: this.storage,
      registry: this.opts.registry,
      logger: this.opts.logger,
    });
  }

  /**
   * The store as the gateway reads it: the watch cache over the backend. Parts running in
   * the same process (the replicator, DNS) read through it instead of watching the backend
   * again.
   */
  get store(): Store {
    return this.cache;
  }

  /** `http://host:port` (`https://` with TLS) once started. */
  get url(): string {
    if (!this.address) throw new Error('the gateway has not started');
    return `${this.opts.tls ? 'https' : 'http'}://${this.address}`;
  }

  /** Syncs the cache, ensures `default`, starts the namespace deleter, then listens. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`cannot start a gateway that is ${this.state}`);
    this.state = 'starting';
    await this.cache.start();
    this.cacheSynced = true;
    await this.ensureNamespace(DEFAULT_NAMESPACE);
    await this.deleter.start();
    if (this.opts.auth) {
      this.auth = this.opts.auth(this.cache);
      await this.auth.start();
    }
    if (this.opts.audit) {
      this.audit = new AuditLog(this.opts.audit.path);
      await this.audit.open();
    }
    const tls = this.opts.tls;
    const app = createApp({
      api: this.services(),
      livez: [{ name: 'ping', check: () => {} }],
      readyz: this.readyChecks(),
      serverAddress: () => this.address,
      ...(this.audit ? { audit: this.audit } : {}),
      ...(this.rateLimiter ? { rateLimiter: this.rateLimiter } : {}),
      ...(tls?.refusedCertificateOrganizations ? { refusedCertificateOrganizations: tls.refusedCertificateOrganizations } : {}),
    });
    const server: Server = tls
      ? // Client certificates are asked for but optional: token clients present none; a certificate the CA did not sign authenticates no one.
        createHttpsServer(
          { cert: tls.certPem, key: tls.keyPem, ...(tls.clientCaPem ? { ca: tls.clientCaPem, requestCert: true } : {}), rejectUnauthorized: false },
          app.callback(),
        )
      : createServer(app.callback());
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.opts.listen.port, this.opts.listen.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.server = undefined;
      this.auth?.stop();
      await this.audit?.close();
      throw err;
    }
    const addr = server.address() as AddressInfo;
    this.address = addr.family === 'IPv6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
    this.state = 'running';
    this.opts.logger.info({ url: this.url }, 'API server listening');
  }

  /** Reopens the audit log at its path (after log rotation moved the file); false when there is none. */
  async reopenAuditLog(): Promise<boolean> {
    if (!this.audit) return false;
    await this.audit.reopen();
    return true;
  }

  /**
   * Replaces the serving certificate, key and client CA of a running HTTPS gateway: new
   * connections use them, open ones keep what they were made with. A member does this once
   * it joined, so client certificates of the gateway CA authenticate from then on. A client
   * CA can only be replaced, not introduced: certificates are requested or not from the start.
   */
  setTlsCredentials(tls: Pick<GatewayTlsOptions, 'certPem' | 'keyPem' | 'clientCaPem'>): void {
    const current = this.opts.tls;
    if (!current) throw new Error('the API server serves plain HTTP: it has no TLS credentials to replace');
    if (this.state !== 'running' || !this.server) throw new Error(`cannot replace the TLS credentials of an API server that is ${this.state}`);
    if (tls.clientCaPem && !current.clientCaPem) throw new Error('the API server was started without a client CA: client certificates are not requested');
    (this.server as unknown as HttpsServer).setSecureContext({ cert: tls.certPem, key: tls.keyPem, ...(tls.clientCaPem ? { ca: tls.clientCaPem } : {}) });
    this.opts.tls = { ...current, ...tls };
  }

  /**
   * Stops accepting connections, ends watch streams, waits for requests in flight (cutting
   * them after the grace period), then stops the namespace deleter and the cache.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const w of [...this.watches]) w.end();
      // Keep-alive connections turn idle as their last responses finish; close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), SHUTDOWN_SWEEP_MS);
      const grace = setTimeout(() => server.closeAllConnections(), this.opts.shutdownGraceMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(grace);
    }
    await this.deleter.stop();
    this.auth?.stop();
    await this.audit?.close();
    this.cache.stop();
    this.state = 'stopped';
  }

  private services(): ApiServices {
    const min = this.opts.minWatchTimeoutMs;
    return {
      store: this.cache,
      storage: this.storage,
      registry: this.opts.registry,
      metrics: this.metrics,
      logger: this.opts.logger,
      maxBodyBytes: this.opts.maxBodyBytes,
      watches: this.watches,
      watchTimeoutMs: () => min + Math.floor(Math.random() * min),
      bookmarkIntervalMs: this.opts.bookmarkIntervalMs,
      dryRunPreview: this.opts.dryRunPreview,
      now: this.opts.now,
      federated: this.opts.registry.byResource(Groups.cluster, 'v1alpha1', 'clusters') !== undefined,
      ...(this.opts.podLogs ? { podLogs: this.opts.podLogs } : {}),
      ...(this.auth ? { auth: this.auth } : {}),
      ...(this.opts.maxObjectsPerNamespace !== undefined ? { maxObjectsPerNamespace: this.opts.maxObjectsPerNamespace } : {}),
      ...(this.opts.clusterProxy ? { clusterProxy: this.opts.clusterProxy } : {}),
    };
  }

  private readyChecks(): HealthCheck[] {
    return [
      { name: 'ping', check: () => {} },
      {
        name: 'store',
        check: async () => {
          await this.opts.store.currentRevision();
        },
      },
      {
        name: 'watch-cache-sync',
        check: () => {
          if (!this.cacheSynced) throw new Error('watch cache not synced');
        },
      },
      {
        name: 'shutdown',
        check: () => {
          if (this.state !== 'running') throw new Error(`gateway is ${this.state}`);
        },
      },
    ];
  }

  private async ensureNamespace(name: string): Promise<void> {
    const namespaces = this.opts.registry.byResource('', 'v1', 'namespaces') as ResourceInfo;
    try {
      await this.storage.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
