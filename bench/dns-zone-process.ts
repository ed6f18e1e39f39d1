/**
 * Child process of `bench/dns.ts`: fedgate's DnsServer over the real ZoneView, itself over a
 * SQLite store holding three Ready Clusters and two Services placed on them:
 * - `static.bench.svc.<zone>` on one cluster: one A record, cached by the server;
 * - `web.bench.svc.<zone>` on all three, TrafficPolicy `weighted` 3:1:1: one address per
 *   query (`perQuery`), drawn by weight.
 * Heartbeats are written every 500 ms as members do, so the clusters stay fresh and the
 * zone recomputes as it would in a gateway.
 *
 *   FEDGATE_BENCH_DB=/tmp/x/fed.db DNS_PORT=0 DNS_WORKERS=2 npx tsx bench/dns-zone-process.ts
 *
 * prints one JSON line `{"port":N,"workers":N,"shares":{...}}` once listening on 127.0.0.1
 * (UDP and TCP), and runs until SIGTERM. DNS_WORKERS is the server's `workers` option
 * (1: UDP answered in this process; default: one worker process per CPU).
 */
import { resolve } from 'node:path';
import { ResourceRegistry, storeKey, type Cluster, type KubeObject, type TrafficPolicy } from '../apimachinery/index.js';
import { silentLogger } from '../controller/index.js';
import { DEFAULT_ZONE, DnsServer, ZoneView } from '../dns/index.js';
import { openStore, type Store } from '../store/index.js';

/** Namespace of the benchmark's Services. */
export const BENCH_NAMESPACE = 'bench';
/** The name answered with one cached A record. */
export const STATIC_NAME = `static.${BENCH_NAMESPACE}.svc.${DEFAULT_ZONE}`;
/** The name answered per query by weight. */
export const WEIGHTED_NAME = `web.${BENCH_NAMESPACE}.svc.${DEFAULT_ZONE}`;
/** Clusters, their external address and weight in the TrafficPolicy (3:1:1). */
export const BENCH_CLUSTERS = [
  { name: 'eu-1', region: 'eu', address: '127.0.0.1', weight: 3 },
  { name: 'us-1', region: 'us', address: '127.0.0.2', weight: 1 },
  { name: 'ap-1', region: 'ap', address: '127.0.0.3', weight: 1 },
] as const;
/** What members send: a heartbeat every 500 ms. */
const HEARTBEAT_INTERVAL_MS = 500;
/** Answers drawn from the zone to report the weighted shares. */
const SHARE_SAMPLES = 10_000;
const NAMESERVER_ADDRESS = '127.0.0.1';

const registry = new ResourceRegistry();

function clusterObject(c: (typeof BENCH_CLUSTERS)[number], now: number): Cluster {
  return {
    apiVersion: 'cluster.fedgate.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: c.name, uid: `uid-${c.name}` },
    spec: { region: c.region, endpoints: [c.address] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'HeartbeatsReceived' }],
      lastHeartbeatTime: new Date(now).toISOString(),
      services: ['static', 'web'].map((name) => ({ namespace: BENCH_NAMESPACE, name, readyEndpoints: 2, totalEndpoints: 2 })),
    },
  };
}

/** A Service as the replicator leaves it: applied on `clusters`, placement recorded. */
function serviceObject(name: string, clusters: readonly string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: BENCH_NAMESPACE, name, uid: `uid-${name}`, generation: 1 },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    status: {
      clusters: clusters.map((cluster) => ({ cluster, applied: true, appliedGeneration: 1, synced: true })),
      placement: { policy: `${BENCH_NAMESPACE}/${name}`, clusters: clusters.map((c) => ({ name: c })), excluded: [], failover: [] },
    },
  };
}

function weightedPolicy(): TrafficPolicy {
  return {
    apiVersion: 'networking.fedgate.io/v1alpha1',
    kind: 'TrafficPolicy',
    metadata: { namespace: BENCH_NAMESPACE, name: 'web-traffic', uid: 'uid-web-traffic', generation: 1, creationTimestamp: new Date().toISOString() },
    spec: { serviceRef: { name: 'web' }, strategy: 'weighted', weights: Object.fromEntries(BENCH_CLUSTERS.map((c) => [c.name, c.weight])) },
  };
}

/** Creates or replaces one object. */
async function put(store: Store, plural: string, obj: KubeObject): Promise<void> {
  const key = storeKey(registry.resolve(plural)!, obj.metadata.namespace, obj.metadata.name!);
  const kv = await store.get(key);
  if (kv) await store.update(key, JSON.stringify(obj), kv.modRevision);
  else await store.create(key, JSON.stringify(obj));
}

async function heartbeat(store: Store): Promise<void> {
  const now = Date.now();
  for (const c of BENCH_CLUSTERS) await put(store, 'clusters', clusterObject(c, now));
}

/** Percent of answers per address over many draws of the weighted name. */
function weightedShares(view: ZoneView): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < SHARE_SAMPLES; i++) {
    for (const r of view.answer({ name: WEIGHTED_NAME, type: 'A' }, { address: '127.0.0.1' }).answers) {
      const address = (r as { address: string }).address;
      counts[address] = (counts[address] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.entries(counts).sort().map(([a, n]) => [a, Math.round((n / SHARE_SAMPLES) * 1000) / 10]));
}

async function main(): Promise<void> {
  const dbPath = process.env['FEDGATE_BENCH_DB'];
  if (!dbPath) throw new Error('FEDGATE_BENCH_DB (a SQLite file path) is required');
  const store = await openStore(`sqlite:${dbPath}`);
  await heartbeat(store);
  await put(store, 'services', serviceObject('static', [BENCH_CLUSTERS[0].name]));
  await put(store, 'services', serviceObject('web', BENCH_CLUSTERS.map((c) => c.name)));
  await put(store, 'trafficpolicies', weightedPolicy());

  const view = new ZoneView({ store, registry, nameserverAddress: NAMESERVER_ADDRESS, logger: silentLogger });
  view.start();
  await view.waitForSync();
  const beating = setInterval(() => void heartbeat(store).catch((err: unknown) => process.stderr.write(`heartbeat failed: ${String(err)}\n`)), HEARTBEAT_INTERVAL_MS);

  const workers = process.env['DNS_WORKERS'] === undefined ? undefined : Number(process.env['DNS_WORKERS']);
  const udpIo = process.env['DNS_UDP_IO'] === 'dgram' ? 'dgram' : 'batch';
  const server = new DnsServer({ zone: view, workers, udpIo, udp: { host: '127.0.0.1', port: Number(process.env['DNS_PORT'] ?? 0) }, logger: silentLogger });
  const { udp } = await server.start();
  process.stdout.write(`${JSON.stringify({ port: udp.port, workers: server.workers, udpIo: server.udpIo, shares: weightedShares(view) })}\n`);

  process.once('SIGTERM', () => {
    clearInterval(beating);
    void (async () => {
      await server.stop();
      await view.stop();
      await store.close();
      process.exit(0);
    })();
  });
}

// Runs only as a program: bench/dns.ts imports the names above from this module.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) await main();
