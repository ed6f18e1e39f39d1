/**
 * The member's service proxy (kube-proxy's role, userspace style): every Service gets a
 * cluster IP from the service range (written to `spec.clusterIP`/`clusterIPs` with CAS),
 * `type: LoadBalancer` Services also get the member's external address in
 * `status.loadBalancer.ingress`, and a TCP listener per port on each of those addresses
 * spreads connections round-robin over the ready addresses of the Endpoints object of the
 * same name. Headless Services (`clusterIP: None`) get neither address nor listener.
 *
 * Invariants:
 * - One listener per `ip:port`, owned by one Service. A LoadBalancer Service whose external
 *   port another Service already holds gets no listener there; it carries the reason in the
 *   `networking.fedgate.io/service-proxy-error` annotation (and a warning in the log) and is
 *   retried when a listener is freed.
 * - Backends are read from the Endpoints cache at accept time: a backend that turns not
 *   ready or disappears gets no new connections; its open connections run to their end.
 * - Listeners follow the store, so after a restart every Service's listeners are opened
 *   again from the Services found there.
 */
import { isBeingDeleted, objectKey, splitObjectKey, storeKey, type ResourceInfo, type ResourceRegistry } from '../../apimachinery/index.js';
import {
  ControllerRunner,
  WorkQueue,
  enqueueObject,
  silentLogger,
  systemClock,
  type Clock,
  type Informer,
  type Logger,
  type SharedInformerFactory,
} from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import type { Endpoints, Service, ServicePort } from '../api-types.js';
import type { MemberConfig } from '../member-config.js';
import { casUpdate } from '../cas-update.js';
import { CLUSTER_IP_NONE, ClusterIps } from './cluster-ips.js';
import { readyTargets } from './endpoint-targets.js';
import { TcpProxyListener } from './tcp-proxy.js';

/** Annotation carrying why part of a Service could not be served (cleared once it can). */
export const PROXY_ERROR_ANNOTATION = 'networking.fedgate.io/service-proxy-error';

/** Options of `ServiceProxy`. */
export interface ServiceProxyOptions {
  store: Store;
  informers: SharedInformerFactory;
  registry: ResourceRegistry;
  config: Pick<MemberConfig, 'serviceCIDR' | 'externalIP'>;
  logger?: Logger;
  clock?: Clock;
}

/** One open listener, as `listeners()` reports it. */
export interface ListenerInfo {
  ip: string;
  port: number;
  service: string;
  external: boolean;
  openConnections: number;
}

interface OwnedListener {
  listener: TcpProxyListener;
  owner: string;
  external: boolean;
}

/** Cluster IPs, load balancer addresses and TCP proxying for every Service of the member. */
export class ServiceProxy {
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly externalIP: string;
  private readonly serviceResource: ResourceInfo;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly clusterIps: ClusterIps;
  /** `ip:port` → listener. */
  private readonly listenersById = new Map<string, OwnedListener>();
  /** Services waiting for a listener address another holds, or that failed to bind. */
  private readonly blocked = new Set<string>();
  /** `service/port` pairs already warned about as unsupported (UDP), to warn once. */
  private readonly warnedProtocols = new Set<string>();
  private queue: WorkQueue | undefined;
  private runner: ControllerRunner | undefined;
  private removeHandler: (() => void) | undefined;
  private abort: AbortController | undefined;

  constructor(options: ServiceProxyOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.externalIP = options.config.externalIP;
    const services = options.registry.resolve('services');
    if (!services || !options.registry.resolve('endpoints')) throw new Error('the service proxy needs services and endpoints in the registry');
    this.serviceResource = services;
    this.services = options.informers.informerFor<Service>('services');
    this.endpoints = options.informers.informerFor<Endpoints>('endpoints');
    this.clusterIps = new ClusterIps(options.config.serviceCIDR);
  }

  /** Starts serving; Services are reconciled once both caches are filled and addresses rebuilt. */
  start(): void {
    if (this.runner) return;
    const queue = new WorkQueue({ name: 'service-proxy', clock: this.clock });
    this.queue = queue;
    const runner = new ControllerRunner({
      name: 'service-proxy',
      queue,
      workers: 1,
      maxRetries: Infinity,
      logger: this.logger,
      reconcile: (key) => this.reconcile(key),
    });
    this.runner = runner;
    this.removeHandler = this.services.addEventHandler(enqueueObject(queue));
    this.services.start();
    this.endpoints.start();
    const abort = new AbortController();
    this.abort = abort;
    void Promise.all([this.services.waitForSync(abort.signal), this.endpoints.waitForSync(abort.signal)]).then(
      () => {
        if (this.runner !== runner) return;
        this.rebuildClusterIps();
        runner.start();
      },
      () => {},
    );
  }

  /** Stops reconciling and closes every listener and every open connection. */
  async stop(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.runner = undefined;
    this.abort?.abort(new Error('service proxy stopped'));
    this.removeHandler?.();
    this.removeHandler = undefined;
    await runner.stop();
    this.queue = undefined;
    const all = [...this.listenersById.values()];
    this.listenersById.clear();
    await Promise.all(all.map((l) => l.listener.close()));
  }

  /** The open listeners, by address. */
  listeners(): ListenerInfo[] {
    return [...this.listenersById.values()]
      .map((l) => ({ ip: l.listener.ip, port: l.listener.port, service: l.owner, external: l.external, openConnections: l.listener.openConnections() }))
      .sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
  }

  /** Addresses Services already have in the store, oldest Service first. */
  private rebuildClusterIps(): void {
    const byAge = [...this.services.list()].sort(
      (a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || objectKey(a.metadata).localeCompare(objectKey(b.metadata)),
    );
    for (const svc of byAge) {
      const ip = svc.spec?.clusterIP;
      if (ip && ip !== CLUSTER_IP_NONE && svc.spec?.type !== 'ExternalName') {
        const a = this.clusterIps.assign(objectKey(svc.metadata), ip);
        if (a.refused) this.clusterIps.release(objectKey(svc.metadata));
      }
    }
  }

  /** Makes one Service's address, status and listeners match its spec. */
  async reconcile(key: string): Promise<void> {
    const svc = this.services.get(key);
    if (!svc || isBeingDeleted(svc) || svc.spec?.type === 'ExternalName') {
      await this.closeListeners(key, new Set());
      this.clusterIps.release(key);
      this.blocked.delete(key);
      return;
    }
    const spec = svc.spec ?? {};
    const headless = spec.clusterIP === CLUSTER_IP_NONE;
    let clusterIP: string | undefined;
    if (headless) {
      this.clusterIps.release(key);
    } else {
      const a = this.clusterIps.assign(key, spec.clusterIP || undefined);
      if (a.refused) this.logger.warn({ service: key, clusterIP: a.ip, refused: a.refused }, 'requested cluster IP refused; allocated another');
      clusterIP = a.ip;
    }
    const loadBalancer = spec.type === 'LoadBalancer';
    const errors = clusterIP === undefined ? [] : await this.syncListeners(key, svc, clusterIP, loadBalancer);

    const ingress = loadBalancer ? [{ ip: this.externalIP }] : undefined;
    const errorText = errors.length > 0 ? errors.join('; ') : undefined;
    const resource = this.serviceResource;
    await casUpdate<Service>(
      this.store,
      storeKey(resource, svc.metadata.namespace, svc.metadata.name ?? ''),
      (s) => {
        // Only write over the Service this decision was made for.
        if (s.metadata.uid !== svc.metadata.uid || (s.spec?.clusterIP ?? '') !== (spec.clusterIP ?? '')) return undefined;
        const before = JSON.stringify([s.spec?.clusterIP, s.spec?.clusterIPs, s.status?.loadBalancer, s.metadata.annotations?.[PROXY_ERROR_ANNOTATION]]);
        s.spec = { ...s.spec };
        if (headless) s.spec.clusterIPs = [CLUSTER_IP_NONE];
        else {
          s.spec.clusterIP = clusterIP;
          s.spec.clusterIPs = [clusterIP!];
        }
        s.status = { ...s.status, loadBalancer: ingress ? { ingress } : {} };
        const annotations = { ...s.metadata.annotations };
        if (errorText) annotations[PROXY_ERROR_ANNOTATION] = errorText;
        else delete annotations[PROXY_ERROR_ANNOTATION];
        s.metadata.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
        if (s.metadata.annotations === undefined) delete s.metadata.annotations;
        const after = JSON.stringify([s.spec.clusterIP, s.spec.clusterIPs, s.status.loadBalancer, s.metadata.annotations?.[PROXY_ERROR_ANNOTATION]]);
        return before === after ? undefined : s;
      },
      svc,
    );
    if (errors.some((e) => e.startsWith('cannot listen'))) {
      // A bind failure caused outside fedgate (another process holds the port): retry with backoff.
      throw new Error(`service ${key}: ${errorText}`);
    }
  }

  /** Opens, updates and closes the listeners of one Service; returns what could not be served. */
  private async syncListeners(key: string, svc: Readonly<Service>, clusterIP: string, loadBalancer: boolean): Promise<string[]> {
    const { namespace, name } = splitObjectKey(key);
    const desired = new Map<string, { ip: string; port: Readonly<ServicePort>; external: boolean }>();
    for (const port of svc.spec?.ports ?? []) {
      const protocol = port.protocol ?? 'TCP';
      if (protocol !== 'TCP') {
        const warnKey = `${key}/${port.name ?? port.port}/${protocol}`;
        if (!this.warnedProtocols.has(warnKey)) {
          this.warnedProtocols.add(warnKey);
          this.logger.warn({ service: key, port: port.port, protocol }, `the service proxy supports TCP only; ${protocol} port is not proxied`);
        }
        continue;
      }
      desired.set(`${clusterIP}:${port.port}`, { ip: clusterIP, port, external: false });
      if (loadBalancer) desired.set(`${this.externalIP}:${port.port}`, { ip: this.externalIP, port, external: true });
    }
    await this.closeListeners(key, new Set(desired.keys()));

    const errors: string[] = [];
    for (const [id, want] of desired) {
      const targets = () => readyTargets(want.port, this.endpoints.getByName(namespace, name));
      const description = `${key}:${want.port.port}`;
      const existing = this.listenersById.get(id);
      if (existing && existing.owner === key) {
        existing.listener.targets = targets;
        existing.listener.description = description;
        continue;
      }
      if (existing) {
        const msg = `port ${want.port.port} on ${want.ip} is already used by Service ${existing.owner}`;
        this.logger.warn({ service: key, address: id, holder: existing.owner }, `load balancer port taken: ${msg}`);
        errors.push(msg);
        continue;
      }
      const listener = new TcpProxyListener({ ip: want.ip, port: want.port.port, targets, description, logger: this.logger });
      const owned: OwnedListener = { listener, owner: key, external: want.external };
      this.listenersById.set(id, owned);
      try {
        await listener.listen();
        this.logger.info({ service: key, address: id }, 'service proxy listening');
      } catch (err) {
        this.listenersById.delete(id);
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        const msg = `cannot listen on ${id}: ${code}`;
        this.logger.warn({ service: key, address: id, err }, msg);
        errors.push(msg);
      }
    }
    if (errors.length > 0) this.blocked.add(key);
    else this.blocked.delete(key);
    return errors;
  }

  /** Closes the listeners of `key` not in `keep`; a freed address lets a blocked Service retry. */
  private async closeListeners(key: string, keep: ReadonlySet<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [id, l] of this.listenersById) {
      if (l.owner !== key || keep.has(id)) continue;
      this.listenersById.delete(id);
      closing.push(l.listener.close());
      this.logger.info({ service: key, address: id }, 'service proxy listener closed');
    }
    await Promise.all(closing);
    if (closing.length > 0) for (const other of this.blocked) if (other !== key) this.queue?.add(other);
  }
}
