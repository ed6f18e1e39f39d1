import assert from 'node:assert/strict';
import type { Endpoints, Pod, Service } from '../../../../member-cluster/api-types.js';
import { EndpointsController } from '../../../../member-cluster/controllers/endpoints.js';
import { newFixture, type Fixture } from './controller-fixture.js';

function pod(name: string, labels: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'app', command: ['x'], ports: [{ name: 'http', containerPort: 8080 }] }] },
  };
}

describe('member-cluster/controllers/endpoints', () => {
  let f: Fixture;
  let c: EndpointsController;
  beforeEach(async () => {
    f = await newFixture();
    c = new EndpointsController(f.ctx);
    await f.start();
  });
  afterEach(async () => {
    c.writer.close();
    await f.close();
  });

  it('splits ready and not-ready pods, resolves a named targetPort, leaves out pods without IP or terminating', async () => {
    await f.create<Service>({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090 }] },
    });
    const a = await f.create(pod('a', { app: 'web' }));
    const b = await f.create(pod('b', { app: 'web' }));
    const noIp = await f.create(pod('c', { app: 'web' }));
    const other = await f.create(pod('d', { app: 'db' }));
    await f.setPod(a, { nodeName: 'm1-node-0', ip: '127.1.0.20', ready: true });
    await f.setPod(b, { nodeName: 'm1-node-1', ip: '127.1.0.3', ready: false });
    await f.setPod(noIp, { ready: true });
    await f.setPod(other, { ip: '127.1.0.9', ready: true });
    await c.reconcile('shop/web');
    await f.settle();
    const ep = await f.get<Endpoints>('endpoints', 'shop', 'web');
    assert.ok(ep);
    assert.equal(ep.metadata.labels?.['tier'], 'front');
    assert.equal(ep.subsets?.length, 1);
    const s = ep.subsets![0]!;
    assert.deepEqual(s.addresses, [{ ip: '127.1.0.20', nodeName: 'm1-node-0', targetRef: { kind: 'Pod', namespace: 'shop', name: 'a', uid: a.metadata.uid } }]);
    assert.deepEqual(s.notReadyAddresses?.map((x) => x.ip), ['127.1.0.3']);
    assert.deepEqual(s.ports, [
      { name: 'metrics', port: 9090, protocol: 'TCP' },
      { name: 'web', port: 8080, protocol: 'TCP' },
    ]);
    // b becomes ready; a starts terminating.
    await f.setPod(b, { ready: true });
    await f.update<Pod>('pods', 'shop', 'a', (p) => {
      p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
      p.metadata.finalizers = ['x'];
    });
    await c.reconcile('shop/web');
    await f.settle();
    const ep2 = await f.get<Endpoints>('endpoints', 'shop', 'web');
    assert.deepEqual(ep2?.subsets?.[0]?.addresses?.map((x) => x.ip), ['127.1.0.3']);
    assert.equal(ep2?.subsets?.[0]?.notReadyAddresses, undefined);
    const rv = ep2?.metadata.resourceVersion;
    await c.reconcile('shop/web');
    assert.equal((await f.get<Endpoints>('endpoints', 'shop', 'web'))?.metadata.resourceVersion, rv, 'no write when nothing changed');
  });

  it('deletes the Endpoints with the Service and leaves selector-less Services alone', async () => {
    await f.create<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await f.create<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
    await c.reconcile('shop/web');
    await c.reconcile('shop/ext');
    await f.settle();
    assert.deepEqual((await f.get<Endpoints>('endpoints', 'shop', 'web'))?.subsets, []);
    assert.equal(await f.get('endpoints', 'shop', 'ext'), undefined);
    await f.store.delete('/registry/core/services/shop/web');
    await f.settle();
    await c.reconcile('shop/web');
    await f.settle();
    assert.equal(await f.get('endpoints', 'shop', 'web'), undefined);
  });
});
