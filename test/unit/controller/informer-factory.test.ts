import assert from 'node:assert/strict';
import { ResourceRegistry, memberResources, builtinResources, storeKey, type KubeObject } from '../../../apimachinery/index.js';
import { BY_NAMESPACE, SharedInformerFactory } from '../../../controller/index.js';
import { openStore, type Store } from '../../../store/index.js';

describe('SharedInformerFactory', () => {
  const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  const pod = (ns: string, name: string, node: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { nodeName: node, containers: [] },
  });

  it('shares one informer per resource and adds indexers, also to objects already cached', async () => {
    const pods = registry.resolve('pods')!;
    await store.create(storeKey(pods, 'a', 'p1'), JSON.stringify(pod('a', 'p1', 'n1')));
    await store.create(storeKey(pods, 'b', 'p2'), JSON.stringify(pod('b', 'p2', 'n1')));
    const factory = new SharedInformerFactory(store, registry);
    const first = factory.informerFor('pods');
    factory.start();
    await factory.waitForSync();
    const byNode = (obj: Readonly<KubeObject>): string[] => [String((obj.spec as { nodeName?: string }).nodeName ?? '')];
    const second = factory.informerFor(pods, { byNode });
    assert.equal(first, second);
    assert.deepEqual(second.byIndex('byNode', 'n1').map((p) => p.metadata.name).sort(), ['p1', 'p2']);
    assert.deepEqual(second.byIndex(BY_NAMESPACE, 'a').map((p) => p.metadata.name), ['p1']);
    assert.throws(() => factory.informerFor(pods, { byNode: () => [] }), /indexer byNode already exists/);
    // Informers asked for after start() start at once.
    const nodes = factory.informerFor('nodes');
    await nodes.waitForSync();
    assert.equal(nodes.hasSynced(), true);
    factory.stop();
  });

  it('refuses a resource the registry does not know', () => {
    const factory = new SharedInformerFactory(store, registry);
    assert.throws(() => factory.informerFor('widgets'), /no resource widgets/);
  });
});
