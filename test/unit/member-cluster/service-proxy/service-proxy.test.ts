import assert from 'node:assert/strict';
import { builtinResources, memberResources, ResourceRegistry, storeKey } from '../../../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger, type Logger } from '../../../../controller/index.js';
import type { Endpoints, Service } from '../../../../member-cluster/api-types.js';
import { parseCidr } from '../../../../member-cluster/ip-allocator.js';
import { ClusterIps, readyTargets, ServiceProxy } from '../../../../member-cluster/service-proxy/index.js';
import { openStore } from '../../../../store/index.js';
import { flush } from '../../../fixtures/fake-clock.js';

describe('service proxy', () => {
  it('grants a requested cluster IP when in range and free, otherwise keeps or allocates another', () => {
    const ips = new ClusterIps(parseCidr('127.9.0.0/29'));
    assert.deepEqual(ips.assign('a/x', '127.9.0.5'), { ip: '127.9.0.5' });
    assert.deepEqual(ips.assign('a/x', '127.9.0.5'), { ip: '127.9.0.5' });
    const taken = ips.assign('a/y', '127.9.0.5');
    assert.equal(taken.refused, '127.9.0.5 is already allocated to a/x');
    assert.notEqual(taken.ip, '127.9.0.5');
    const outside = ips.assign('a/z', '10.0.0.1');
    assert.equal(outside.refused, '10.0.0.1 is not in the service range 127.9.0.0/29');
    assert.equal(ips.holder(outside.ip), 'a/z');
    // Moving to another free address releases the old one.
    const old = ips.get('a/y')!;
    assert.deepEqual(ips.assign('a/y', '127.9.0.6'), { ip: '127.9.0.6' });
    assert.equal(ips.holder(old), undefined);
    ips.release('a/x');
    assert.equal(ips.holder('127.9.0.5'), undefined);
    assert.deepEqual(ips.assign('a/w', '127.9.0.5'), { ip: '127.9.0.5' });
    assert.deepEqual(ips.assign('a/w', '127.9.0.0'), { ip: '127.9.0.5', refused: '127.9.0.0 cannot be allocated in 127.9.0.0/29' });
  });

  it('resolves ready targets per endpoint port name and never returns not-ready addresses', () => {
    const ep: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [
        { addresses: [{ ip: '127.1.0.2' }], notReadyAddresses: [{ ip: '127.1.0.3' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] },
        { addresses: [{ ip: '127.1.0.4' }], ports: [{ name: 'http', port: 8081 }] },
      ],
    };
    assert.deepEqual(readyTargets({ name: 'http', port: 80 }, ep), [{ ip: '127.1.0.2', port: 8080 }, { ip: '127.1.0.4', port: 8081 }]);
    assert.deepEqual(readyTargets({ name: 'metrics', port: 9 }, ep), [{ ip: '127.1.0.2', port: 9090 }]);
    assert.deepEqual(readyTargets({ name: 'other', port: 1 }, ep), []);
    assert.deepEqual(readyTargets({ port: 80 }, { ...ep, subsets: [{ addresses: [{ ip: '127.1.0.7' }], ports: [{ port: 3000 }] }] }), [{ ip: '127.1.0.7', port: 3000 }]);
    assert.deepEqual(readyTargets({ port: 80, protocol: 'UDP' }, { ...ep, subsets: [{ addresses: [{ ip: '127.1.0.7' }], ports: [{ port: 3000 }] }] }), []);
    assert.deepEqual(readyTargets({ port: 80 }, undefined), []);
  });

  it('writes cluster IPs with CAS, rebuilt from the store on start; headless gets none; UDP is logged as unsupported', async () => {
    const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
    const services = registry.resolve('services')!;
    const store = await openStore('sqlite::memory:');
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_f, msg) => warnings.push(msg) };
    const config = { serviceCIDR: parseCidr('127.88.240.0/20'), externalIP: '127.88.0.1' };
    const svc = (name: string, spec: Service['spec'], created: string): Service => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: created },
      spec,
    });
    const put = (s: Service) => store.create(storeKey(services, 'ns', s.metadata.name!), JSON.stringify(s));
    const read = async (name: string) => JSON.parse((await store.get(storeKey(services, 'ns', name)))!.value) as Service;
    let informers: SharedInformerFactory | undefined;
    let proxy: ServiceProxy | undefined;
    const run = async (): Promise<void> => {
      informers = new SharedInformerFactory(store, registry, { logger: silentLogger });
      proxy = new ServiceProxy({ store, informers, registry, config, logger });
      proxy.start();
    };
    const until = async (what: string, check: () => Promise<boolean>) => {
      for (let i = 0; i < 2000; i++) {
        if (await check()) return;
        await flush();
      }
      assert.fail(`timed out waiting until ${what}`);
    };
    try {
      // The older Service keeps a duplicated address; the younger gets another.
      await put(svc('old', { clusterIP: '127.88.240.9' }, '2024-01-01T00:00:00Z'));
      await put(svc('young', { clusterIP: '127.88.240.9' }, '2024-06-01T00:00:00Z'));
      await put(svc('asks', { clusterIP: '127.88.240.20' }, '2024-06-02T00:00:00Z'));
      await put(svc('outside', { clusterIP: '10.1.2.3' }, '2024-06-03T00:00:00Z'));
      await put(svc('headless', { clusterIP: 'None' }, '2024-06-04T00:00:00Z'));
      await put(svc('plain', {}, '2024-06-05T00:00:00Z'));
      await put(svc('udp', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, '2024-06-06T00:00:00Z'));
      await run();
      await until('every Service has an address', async () => {
        for (const n of ['young', 'outside', 'plain', 'udp']) if ((await read(n)).spec?.clusterIP?.startsWith('127.88.24') !== true) return false;
        // The young Service starts with the old one's address: wait until it got its own.
        if ((await read('young')).spec?.clusterIP === '127.88.240.9') return false;
        return (await read('old')).spec?.clusterIPs !== undefined && (await read('headless')).spec?.clusterIPs !== undefined;
      });
      assert.equal((await read('old')).spec?.clusterIP, '127.88.240.9');
      assert.notEqual((await read('young')).spec?.clusterIP, '127.88.240.9');
      assert.equal((await read('asks')).spec?.clusterIP, '127.88.240.20');
      assert.deepEqual((await read('headless')).spec, { clusterIP: 'None', clusterIPs: ['None'] });
      assert.deepEqual((await read('plain')).status, { loadBalancer: {} });
      const ips = await Promise.all(['old', 'young', 'asks', 'outside', 'plain', 'udp'].map(async (n) => (await read(n)).spec!.clusterIP!));
      assert.equal(new Set(ips).size, ips.length, `distinct: ${ips.join(' ')}`);
      assert.ok(warnings.some((w) => /supports TCP only; UDP port is not proxied/.test(w)), warnings.join('\n'));
      assert.ok(warnings.some((w) => /requested cluster IP refused/.test(w)));
      assert.deepEqual(proxy!.listeners(), []);

      // After a restart the addresses stay as written: nothing is reassigned or rewritten.
      const revBefore = await store.currentRevision();
      await proxy!.stop();
      informers!.stop();
      await run();
      for (let i = 0; i < 100; i++) await flush();
      assert.equal(await store.currentRevision(), revBefore);
      const again = await Promise.all(['old', 'young', 'asks', 'outside', 'plain', 'udp'].map(async (n) => (await read(n)).spec!.clusterIP!));
      assert.deepEqual(again, ips);
    } finally {
      await proxy?.stop();
      informers?.stop();
      await store.close();
    }
  });
});
