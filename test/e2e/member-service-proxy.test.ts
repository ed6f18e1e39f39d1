/**
 * The service proxy with real sockets on loopback: three HTTP backends on pod addresses,
 * a LoadBalancer Service in front of them, traffic through the external address and the
 * cluster IP, readiness changes, a taken external port, a restart, and stop().
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { builtinResources, memberResources, ResourceRegistry, storeKey } from '../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../controller/index.js';
import type { EndpointAddress, Endpoints, Service } from '../../member-cluster/api-types.js';
import { resolveMemberConfig } from '../../member-cluster/member-config.js';
import { PROXY_ERROR_ANNOTATION, ServiceProxy } from '../../member-cluster/service-proxy/index.js';
import { openStore, type Store } from '../../store/index.js';

const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
const services = registry.resolve('services')!;
const endpointsResource = registry.resolve('endpoints')!;
const config = resolveMemberConfig({ name: 'proxy-e2e', dataDir: '/nonexistent', podCIDR: '127.77.0.0/16' });
const backendIps = ['127.77.0.10', '127.77.0.11', '127.77.0.12'];

/** One HTTP GET on a fresh connection; resolves with the body or rejects with the socket error. */
function get(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Counts which backend answered each of `n` requests. */
async function spread(host: string, n: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const who = await get(host, 80);
    counts.set(who, (counts.get(who) ?? 0) + 1);
  }
  return counts;
}

function endpointsObject(ready: string[], notReady: string[]): Endpoints {
  const addr = (ip: string): EndpointAddress => ({ ip, targetRef: { kind: 'Pod', namespace: 'shop', name: `web-${ip.split('.')[3]}` } });
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'shop', uid: 'ep-web' },
    subsets: [{ addresses: ready.map(addr), notReadyAddresses: notReady.map(addr), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  };
}

function lbService(name: string, uid: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop', uid, creationTimestamp: new Date().toISOString() },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

describe('member service proxy (real sockets)', function () {
  this.timeout(30_000);
  let store: Store;
  let informers: SharedInformerFactory;
  let proxy: ServiceProxy | undefined;
  const backends: http.Server[] = [];
  const backendSockets = new Set<net.Socket>();

  before(async () => {
    store = await openStore('sqlite::memory:');
    for (const ip of backendIps) {
      const server = http.createServer((_req, res) => {
        res.setHeader('connection', 'close');
        res.end(ip);
      });
      server.on('connection', (s) => {
        backendSockets.add(s);
        s.on('close', () => backendSockets.delete(s));
      });
      backends.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(8080, ip, () => resolve());
      });
    }
  });

  after(async () => {
    await proxy?.stop().catch(() => {});
    informers?.stop();
    for (const s of backendSockets) s.destroy();
    await Promise.all(backends.map((b) => new Promise<void>((resolve) => (b.listening ? b.close(() => resolve()) : resolve()))));
    await store?.close();
  });

  const readService = async (name: string): Promise<Service> => JSON.parse((await store.get(storeKey(services, 'shop', name)))!.value) as Service;

  /** Writes Endpoints and waits until the proxy's cache shows that revision. */
  async function writeEndpoints(ready: string[], notReady: string[]): Promise<void> {
    const key = storeKey(endpointsResource, 'shop', 'web');
    const kv = await store.get(key);
    const value = JSON.stringify(endpointsObject(ready, notReady));
    const rev = kv ? await store.update(key, value, kv.modRevision) : await store.create(key, value);
    const informer = informers.informerFor<Endpoints>('endpoints');
    await until('the proxy sees the endpoints', () => Number(informer.get('shop/web')?.metadata.resourceVersion ?? 0) >= rev);
  }

  function startProxy(): ServiceProxy {
    informers = new SharedInformerFactory(store, registry, { logger: silentLogger });
    proxy = new ServiceProxy({ store, informers, registry, config, logger: silentLogger });
    proxy.start();
    return proxy;
  }

  it('gives the Service a cluster IP and the external address, and spreads fresh connections over all ready endpoints', async () => {
    await store.create(storeKey(services, 'shop', 'web'), JSON.stringify(lbService('web', 'svc-web')));
    startProxy();
    await writeEndpoints(backendIps, []);
    const svc = await until('the Service has its addresses', async () => {
      const s = await readService('web');
      return s.spec?.clusterIP && s.status?.loadBalancer?.ingress?.length ? s : undefined;
    });
    const clusterIP = svc.spec!.clusterIP!;
    assert.ok(clusterIP.startsWith('127.77.24') || clusterIP.startsWith('127.77.25'), clusterIP);
    assert.deepEqual(svc.spec!.clusterIPs, [clusterIP]);
    assert.deepEqual(svc.status!.loadBalancer!.ingress, [{ ip: config.externalIP }]);
    await until('listeners are open', () => (proxy!.listeners().length === 2 ? true : undefined));

    for (const host of [config.externalIP, clusterIP]) {
      const counts = await spread(host, 30);
      assert.deepEqual([...counts.keys()].sort(), backendIps, `${host}: ${JSON.stringify([...counts])}`);
      for (const ip of backendIps) assert.equal(counts.get(ip), 10, `${host} → ${ip}`);
    }
  });

  it('sends nothing to an endpoint that is not ready, and resets connections promptly when none is', async () => {
    await writeEndpoints(backendIps.slice(0, 2), [backendIps[2]!]);
    const counts = await spread(config.externalIP, 30);
    assert.deepEqual([...counts.keys()].sort(), backendIps.slice(0, 2));
    assert.equal(counts.get(backendIps[2]!), undefined);

    await writeEndpoints([], backendIps);
    const started = Date.now();
    await assert.rejects(get(config.externalIP, 80), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET' || err.code === 'ECONNREFUSED');
    const clusterIP = (await readService('web')).spec!.clusterIP!;
    await assert.rejects(get(clusterIP, 80), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET' || err.code === 'ECONNREFUSED');
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);

    await writeEndpoints(backendIps, []);
    assert.equal((await spread(config.externalIP, 3)).size, 3);
  });

  it('reports a LoadBalancer port another Service holds, and hands the port over once it is freed', async () => {
    await store.create(storeKey(services, 'shop', 'other'), JSON.stringify(lbService('other', 'svc-other')));
    const other = await until('the conflict is reported', async () => {
      const s = await readService('other');
      return s.metadata.annotations?.[PROXY_ERROR_ANNOTATION] ? s : undefined;
    });
    assert.equal(other.metadata.annotations![PROXY_ERROR_ANNOTATION], `port 80 on ${config.externalIP} is already used by Service shop/web`);
    assert.ok(other.spec?.clusterIP, 'it still gets a cluster IP');
    assert.notEqual(other.spec!.clusterIP, (await readService('web')).spec!.clusterIP);
    const otherIP = other.spec!.clusterIP!;
    await until('its cluster IP listener is open', () => (proxy!.listeners().some((l) => l.ip === otherIP) ? true : undefined));

    // web turns into a ClusterIP Service: its external port is freed and other takes it.
    const setType = async (type: 'ClusterIP' | 'LoadBalancer') => {
      const kv = (await store.get(storeKey(services, 'shop', 'web')))!;
      const web = JSON.parse(kv.value) as Service;
      web.spec!.type = type;
      await store.update(kv.key, JSON.stringify(web), kv.modRevision);
    };
    await setType('ClusterIP');
    await until('other holds the external port', () =>
      proxy!.listeners().some((l) => l.external && l.service === 'shop/other') ? true : undefined,
    );
    await until('the conflict is cleared', async () => ((await readService('other')).metadata.annotations?.[PROXY_ERROR_ANNOTATION] ? undefined : true));
    assert.deepEqual((await readService('web')).status?.loadBalancer, {});

    // Back to web: it waits until other is deleted.
    await setType('LoadBalancer');
    await until('web reports the conflict', async () => (await readService('web')).metadata.annotations?.[PROXY_ERROR_ANNOTATION]);
    await store.delete(storeKey(services, 'shop', 'other'));
    await until('web holds the external port again', () =>
      proxy!.listeners().some((l) => l.external && l.service === 'shop/web') && !proxy!.listeners().some((l) => l.ip === otherIP) ? true : undefined,
    );
    await until('web is clean', async () => ((await readService('web')).metadata.annotations?.[PROXY_ERROR_ANNOTATION] ? undefined : true));
    assert.equal((await spread(config.externalIP, 3)).size, 3);
  });

  it('opens the same listeners again after a restart, and stop() frees every port', async () => {
    const before = await readService('web');
    await proxy!.stop();
    informers.stop();
    assert.equal(await canListen(config.externalIP, 80), true, 'stop() freed the external port');
    assert.equal(await canListen(before.spec!.clusterIP!, 80), true, 'stop() freed the cluster IP port');

    startProxy();
    await until('listeners are open again', () => (proxy!.listeners().length === 2 ? true : undefined));
    assert.equal((await readService('web')).spec!.clusterIP, before.spec!.clusterIP);
    assert.equal((await spread(before.spec!.clusterIP!, 3)).size, 3);

    // A connection held open through the proxy is closed by stop().
    const held = net.connect({ host: config.externalIP, port: 80 });
    await new Promise<void>((resolve, reject) => held.once('connect', () => resolve()).once('error', reject));
    const closed = new Promise<void>((resolve) => held.once('close', () => resolve()));
    held.on('error', () => {});
    await proxy!.stop();
    await closed;
    assert.equal(await canListen(config.externalIP, 80), true);
    assert.equal(await canListen(before.spec!.clusterIP!, 80), true);
  });
});
