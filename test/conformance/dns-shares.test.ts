/**
 * Weighted answers over the wire: 10,000 real DNS queries (Node's resolver, UDP) against a
 * TrafficPolicy with weights 3:1:1 give each cluster its share within ±2 percentage points.
 * The zone is the real ZoneView over a SQLite store, the server the real DnsServer, once
 * answering in its own process and once with UDP workers, whose draws come from each
 * worker's own random source.
 */
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { ResourceRegistry, storeKey, type KubeObject } from '../../apimachinery/index.js';
import { silentLogger } from '../../controller/index.js';
import { DnsServer, ZoneView } from '../../dns/index.js';
import { openStore, type Store } from '../../store/index.js';

const QUERIES = 10_000;
const IN_FLIGHT = 8;
const NAME = 'web.shop.svc.global.fedgate.internal';
const registry = new ResourceRegistry();

function cluster(name: string, address: string): KubeObject {
  return {
    apiVersion: 'cluster.fedgate.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, uid: `uid-${name}` },
    spec: { region: 'eu', endpoints: [address] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'HeartbeatsReceived' }],
      lastHeartbeatTime: new Date().toISOString(),
      services: [{ namespace: 'shop', name: 'web', readyEndpoints: 1, totalEndpoints: 1 }],
    },
  };
}

for (const workers of [1, 3]) {
  describe(`dns weighted shares over the wire (${workers === 1 ? 'in-process' : `${workers} UDP workers`})`, function () {
    this.timeout(120_000);
    let store: Store;
    let view: ZoneView;
    let server: DnsServer;
    let address: string;

    before(async () => {
      store = await openStore('sqlite::memory:');
      const put = (plural: string, obj: KubeObject) =>
        store.create(storeKey(registry.resolve(plural)!, obj.metadata.namespace, obj.metadata.name!), JSON.stringify(obj));
      await put('clusters', cluster('a', '127.0.10.1'));
      await put('clusters', cluster('b', '127.0.10.2'));
      await put('clusters', cluster('c', '127.0.10.3'));
      await put('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { namespace: 'shop', name: 'web', uid: 'uid-web' },
        spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
        status: { placement: { clusters: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
      });
      await put('trafficpolicies', {
        apiVersion: 'networking.fedgate.io/v1alpha1',
        kind: 'TrafficPolicy',
        metadata: { namespace: 'shop', name: 'web' },
        spec: { serviceRef: { name: 'web' }, strategy: 'weighted', weights: { a: 3, b: 1, c: 1 } },
      });
      // Heartbeats are not refreshed here, so freshness is generous.
      view = new ZoneView({ store, registry, nameserverAddress: '127.0.0.1', freshnessMs: 600_000, writeStatus: false, logger: silentLogger });
      view.start();
      await view.waitForSync();
      server = new DnsServer({ zone: view, workers, logger: silentLogger });
      const bound = await server.start();
      address = `${bound.udp.address}:${bound.udp.port}`;
    });

    after(async () => {
      await server?.stop();
      await view?.stop();
      await store?.close();
    });

    it(`gives 60/20/20 ±2 points over ${QUERIES} queries for weights 3:1:1`, async () => {
      assert.equal(server.workerPids.length, workers > 1 ? workers : 0);
      const resolver = new Resolver({ timeout: 2000, tries: 2 });
      resolver.setServers([address]);
      const counts = new Map<string, number>();
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let i = next++; i < QUERIES; i = next++) {
            const [ip] = await resolver.resolve4(NAME);
            counts.set(ip!, (counts.get(ip!) ?? 0) + 1);
          }
        }),
      );
      const share = (ip: string) => (100 * (counts.get(ip) ?? 0)) / QUERIES;
      console.log(`      shares: a ${share('127.0.10.1').toFixed(1)}%, b ${share('127.0.10.2').toFixed(1)}%, c ${share('127.0.10.3').toFixed(1)}%`);
      assert.ok(Math.abs(share('127.0.10.1') - 60) <= 2, `a: ${share('127.0.10.1')}%`);
      assert.ok(Math.abs(share('127.0.10.2') - 20) <= 2, `b: ${share('127.0.10.2')}%`);
      assert.ok(Math.abs(share('127.0.10.3') - 20) <= 2, `c: ${share('127.0.10.3')}%`);
    });
  });
}
