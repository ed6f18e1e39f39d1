/** `fedgate gateway`: the federation API server on a store chosen by URL. */
import type { Logger } from 'pino';
import { join } from 'node:path';
import { ResourceRegistry, type KubeObject } from '../../apimachinery/index.js';
import { Gateway, type DryRunPreview, type PodLogSource } from '../../gateway/index.js';
import { DnsServer, ZoneView } from '../../dns/index.js';
import { GatewayPki, MemberServer, Replicator } from '../../replicator/index.js';
import { openStore, type Store } from '../../store/index.js';
import { parseHostPort, type HostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';

/** Default API address (loopback only). */
export const DEFAULT_LISTEN = '127.0.0.1:6443';

/** Default join port (Register: server-authenticated TLS). */
export const DEFAULT_JOIN_LISTEN = '127.0.0.1:7443';
/** Default member port (Connect: mutual TLS). */
export const DEFAULT_MEMBER_LISTEN = '127.0.0.1:7444';
/** Default DNS address (UDP and TCP). */
export const DEFAULT_DNS_LISTEN = '127.0.0.1:5353';

/** Flags of `fedgate gateway`, as commander hands them over. */
export interface GatewayFlags {
  store?: string;
  listen: string;
  data: string;
  joinListen: string;
  memberListen: string;
  advertiseMemberAddress?: string;
  /** DNS address; `false` (`--no-dns`) runs no DNS server. */
  dns?: boolean;
  dnsListen?: string;
  dnsZone?: string;
  logLevel: string;
}

/** A running gateway and the store under it. */
export interface RunningGateway {
  gateway: Gateway;
  store: Store;
  stop(): Promise<void>;
}

/** Where and how to run an API server (the gateway's, or a member's local one). */
export interface ApiServerOptions {
  storeUrl: string;
  listen: HostPort;
  logger: Logger;
  /** Kinds served; the gateway's by default. */
  registry?: ResourceRegistry;
  /** Completes dry-run answers. */
  dryRunPreview?: DryRunPreview;
  /** Container logs (a member's): serves `pods/{name}/log`. */
  podLogs?: PodLogSource;
}

/** Opens the store and starts an API server on it; errors carry a user-facing message. */
export async function startApiServer(o: ApiServerOptions): Promise<RunningGateway> {
  let store: Store;
  try {
    store = await openStore(o.storeUrl);
  } catch (err) {
    throw new Error(`cannot open store ${o.storeUrl}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const gateway = new Gateway({ store, listen: o.listen, logger: o.logger, registry: o.registry, dryRunPreview: o.dryRunPreview, podLogs: o.podLogs });
  try {
    await gateway.start();
  } catch (err) {
    await store.close();
    throw new Error(`cannot listen on ${o.listen.host}:${o.listen.port}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return {
    gateway,
    store,
    async stop() {
      await gateway.stop();
      await store.close();
    },
  };
}

/** A running federation gateway: API server, replicator and member server. */
export interface RunningFederationGateway extends RunningGateway {
  joinAddress: string;
  memberAddress: string;
  caHash: string;
  /** `host:port` of the DNS server (UDP and TCP), when it runs. */
  dnsAddress?: string;
  dnsZone?: string;
}

/**
 * Starts the federation gateway: the API server on the store, the gateway CA (created in
 * the data directory at first start), the replicator reading through the API server's watch
 * cache, and the join and member gRPC ports.
 */
export async function startFederationGateway(flags: GatewayFlags, logger: Logger): Promise<RunningFederationGateway> {
  const listen = parseHostPort(flags.listen, '--listen');
  const joinListen = parseHostPort(flags.joinListen, '--join-listen');
  const memberListen = parseHostPort(flags.memberListen, '--member-listen');
  const storeUrl = flags.store ?? `sqlite:${join(flags.data, 'fedgate.db')}`;
  let replicator: Replicator | undefined;
  const api = await startApiServer({
    storeUrl,
    listen,
    logger,
    dryRunPreview: async (obj) => (replicator ? withPlacementPreview(replicator, obj, logger) : obj),
  });
  // Each started part pushes its stop; stopping runs them in reverse, also after a failed start.
  const stops: (() => Promise<void>)[] = [() => api.stop()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
  };
  try {
    const pki = await GatewayPki.loadOrCreate(flags.data, {
      hosts: [...new Set(['127.0.0.1', 'localhost', listen.host, joinListen.host, memberListen.host])],
    });
    const federation = new Replicator({ store: api.gateway.store, registry: new ResourceRegistry(), logger });
    await federation.start();
    replicator = federation;
    stops.push(() => federation.stop());
    const server = new MemberServer({
      pki,
      store: api.gateway.store,
      handler: federation.streamHandler,
      joinListen,
      memberListen,
      logger,
      advertiseMemberAddress: flags.advertiseMemberAddress,
    });
    await server.start();
    stops.push(() => server.stop());
    let dnsAddress: string | undefined;
    let dnsZone: string | undefined;
    if (flags.dns !== false) {
      const dnsListen = parseHostPort(flags.dnsListen ?? DEFAULT_DNS_LISTEN, '--dns-listen');
      const zone = new ZoneView({ store: api.gateway.store, registry: new ResourceRegistry(), zone: flags.dnsZone, nameserverAddress: dnsListen.host, logger });
      zone.start();
      stops.push(() => zone.stop());
      await zone.waitForSync();
      const dns = new DnsServer({ zone, udp: dnsListen, tcp: dnsListen, logger });
      const bound = await dns.start();
      stops.push(() => dns.stop());
      dnsAddress = `${bound.udp.address}:${bound.udp.port}`;
      dnsZone = zone.zones[0];
    }
    return { ...api, joinAddress: server.joinAddress, memberAddress: server.memberAddress, caHash: pki.caHash, dnsAddress, dnsZone, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A dry run of a template answers with the placement it would get, in `status.placement`. */
async function withPlacementPreview(replicator: Replicator, obj: KubeObject, logger: Logger): Promise<KubeObject> {
  try {
    const placement = await replicator.explain(obj);
    return { ...obj, status: { ...(obj.status as object | undefined), placement } };
  } catch (err) {
    logger.debug({ err }, 'no placement preview');
    return obj;
  }
}

/** The action of `fedgate gateway`. */
export async function gatewayCommand(flags: GatewayFlags): Promise<void> {
  const logger = createLogger(flags.logLevel, 'gateway');
  const running = await startFederationGateway(flags, logger);
  logger.info(
    {
      url: running.gateway.url,
      joinAddress: running.joinAddress,
      memberAddress: running.memberAddress,
      dnsAddress: running.dnsAddress,
      dnsZone: running.dnsZone,
      caHash: running.caHash,
      store: flags.store ?? 'sqlite',
    },
    'gateway listening',
  );
  stopOnSignals(logger, running.stop);
}
