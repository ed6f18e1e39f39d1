/**
 * `fedgate dns`: the authoritative DNS server on its own, reading clusters, services and
 * traffic policies from a store (the gateway runs the same server by default); and
 * `fedgate dns explain SERVICE.NAMESPACE`: why the name answers as it does, computed by the
 * same pure rules from the gateway's current objects.
 */
import { ResourceRegistry, type Cluster, type KubeList, type TrafficPolicy } from '../../apimachinery/index.js';
import { buildZone, DEFAULT_FRESHNESS_MS, DnsServer, MAX_WORKERS, ZoneView, type ServiceObject } from '../../dns/index.js';
import { openStore } from '../../store/index.js';
import { gatewayRequest } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { parseHostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';
import { formatTable } from './explain.js';

/** Flags of `fedgate dns`. */
export interface DnsFlags {
  store: string;
  listen: string;
  zone: string;
  logLevel: string;
  /** UDP worker processes (`--workers N`); default 1, which answers in the server's own process. */
  workers?: string | number;
  /** `--udp-io batch|dgram`: batched system calls (default, Linux) or Node's dgram one datagram at a time. */
  udpIo?: 'batch' | 'dgram';
}

/** The `--workers` value as a number; a clear error for anything but a whole number in range. */
export function parseWorkers(value: string | number | undefined, flag = '--workers'): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new Error(`${flag} must be a whole number from 1 to ${MAX_WORKERS}, got "${value}"`);
  return n;
}

/** The action of `fedgate dns`: a standalone DNS server over a store. */
export async function dnsCommand(flags: DnsFlags): Promise<void> {
  const listen = parseHostPort(flags.listen, '--listen');
  // One process answering in batches outruns BIND's static rate on the reference machine
  // (ADR 016); worker processes remain for machines where one core is not enough.
  const workers = parseWorkers(flags.workers) ?? 1;
  const logger = createLogger(flags.logLevel, 'dns');
  let store;
  try {
    store = await openStore(flags.store);
  } catch (err) {
    throw new Error(`cannot open store ${flags.store}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const zone = new ZoneView({ store, registry: new ResourceRegistry(), zone: flags.zone, nameserverAddress: listen.host, logger });
  zone.start();
  await zone.waitForSync();
  const server = new DnsServer({ zone, udp: listen, tcp: listen, logger, workers, udpIo: flags.udpIo });
  const bound = await server.start();
  logger.info({ dnsAddress: `${bound.udp.address}:${bound.udp.port}`, zone: zone.zones[0], udpWorkers: server.workerPids.length, udpIo: server.udpIo }, 'dns listening');
  stopOnSignals(logger, async () => {
    await server.stop();
    await zone.stop();
    await store.close();
  });
}

/** Flags of `fedgate dns explain`. */
export interface DnsExplainFlags extends TargetFlags {
  zone: string;
  output?: 'table' | 'json';
}

/** The action of `fedgate dns explain web.shop`. */
export async function dnsExplainCommand(target: string, flags: DnsExplainFlags): Promise<void> {
  const dot = target.indexOf('.');
  if (dot <= 0 || dot === target.length - 1) throw new Error(`"${target}" is not SERVICE.NAMESPACE (for example web.shop)`);
  const [name, namespace] = [target.slice(0, dot), target.slice(dot + 1)];
  const gateway = resolveTarget(flags);
  const [service, clusters, policies] = await Promise.all([
    gatewayRequest<ServiceObject>(gateway, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`),
    gatewayRequest<KubeList<Cluster>>(gateway, 'GET', '/apis/cluster.fedgate.io/v1alpha1/clusters'),
    gatewayRequest<KubeList<TrafficPolicy>>(gateway, 'GET', `/apis/networking.fedgate.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/trafficpolicies`),
  ]);
  const build = buildZone({
    zones: [flags.zone],
    nameserverAddresses: ['127.0.0.1'],
    serial: 0,
    clusters: clusters.items,
    services: [service],
    policies: policies.items,
    now: Date.now(),
    freshnessMs: DEFAULT_FRESHNESS_MS,
    lastHealthy: new Map(),
  });
  const e = build.explanations.get(`${namespace}/${name}`);
  if (!e) throw new Error(`service ${namespace}/${name} is not placed on any cluster, so it has no DNS name`);
  if (flags.output === 'json') {
    process.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
    return;
  }
  process.stdout.write(`name:      ${e.names.join(', ')}\n`);
  process.stdout.write(`strategy:  ${e.strategy}${e.policy ? ` (TrafficPolicy ${e.policy})` : ' (default)'}, ttl ${e.ttl}s\n`);
  if (e.failOpen) process.stdout.write('no cluster is healthy: answers fall back to the last healthy set (fail open)\n');
  process.stdout.write(
    formatTable(
      ['CLUSTER', 'REGION', 'ADDRESS', 'WEIGHT', 'SHARE', 'HEALTHY', 'SERVING', 'REASON'],
      e.clusters.map((c) => [c.cluster, c.region ?? '', c.address, String(c.weight), `${c.share}%`, c.healthy ? 'yes' : 'no', c.serving ? 'yes' : 'no', c.message || c.reason]),
    ),
  );
}

