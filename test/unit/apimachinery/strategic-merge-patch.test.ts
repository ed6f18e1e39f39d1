import assert from 'node:assert/strict';
import {
  apiSchemaFor,
  applyStrategicMergePatch,
  isBadRequest,
  isInvalid,
  ResourceRegistry,
  type KubeObject,
} from '../../../apimachinery/index.js';

const registry = new ResourceRegistry();
const deploymentSchema = apiSchemaFor(registry.resolve('deployments')!);
const serviceSchema = apiSchemaFor(registry.resolve('services')!);

/** Applies the patch to deep copies and asserts the inputs came back unchanged. */
function smp(target: unknown, patch: unknown, schema = deploymentSchema): any {
  const t0 = structuredClone(target);
  const p0 = structuredClone(patch);
  const out = applyStrategicMergePatch(target, patch, schema);
  assert.deepEqual(target, t0, 'target mutated');
  assert.deepEqual(patch, p0, 'patch mutated');
  return out;
}

function deployment(containers: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } } },
  };
}

const containersOf = (d: any): any[] => d.spec.template.spec.containers;

function throwsWith(fn: () => unknown, predicate: (err: unknown) => boolean, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => predicate(err) && pattern.test((err as Error).message));
}

describe('applyStrategicMergePatch', () => {
  it('merges containers by name and replaces lists without a merge strategy', () => {
    const live = deployment([
      { name: 'web', image: 'web:1', args: ['--a', '--b'] },
      { name: 'proxy', image: 'proxy:1' },
    ]);
    const out = smp(live, { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2', args: ['--c'] }] } } } });
    assert.deepEqual(containersOf(out), [
      { name: 'web', image: 'web:2', args: ['--c'] },
      { name: 'proxy', image: 'proxy:1' },
    ]);
  });

  it('adds a container with a new name, and deletes fields set to null', () => {
    const live = deployment([{ name: 'web', image: 'web:1', workingDir: '/srv' }]);
    const out = smp(live, { metadata: { labels: { app: null, tier: 'front' } }, spec: { template: { spec: { containers: [{ name: 'web', workingDir: null }, { name: 'log', image: 'log:1' }] } } } });
    assert.deepEqual(out.metadata.labels, { tier: 'front' });
    assert.deepEqual(containersOf(out), [{ name: 'web', image: 'web:1' }, { name: 'log', image: 'log:1' }]);
  });

  it('merges env by name, ports by containerPort, and service ports by port', () => {
    const live = deployment([{ name: 'web', image: 'w', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] }]);
    const out = smp(live, { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 443, name: 'https' }] }] } } } });
    assert.deepEqual(containersOf(out)[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }]);
    // An entry the server does not have comes before the server's ones, as in Kubernetes (no $setElementOrder).
    assert.deepEqual(containersOf(out)[0].ports, [{ containerPort: 443, name: 'https' }, { containerPort: 80, name: 'http' }]);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const patched = smp(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, serviceSchema);
    assert.deepEqual(patched.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });

  it('$patch: replace replaces a map or a whole list; $patch: delete empties a map or drops one entry', () => {
    const live = deployment([{ name: 'web', image: 'w' }, { name: 'proxy', image: 'p' }], { nodeSelector: { disk: 'ssd', zone: 'a' } });
    const replacedMap = smp(live, { spec: { template: { spec: { nodeSelector: { $patch: 'replace', zone: 'b' } } } } });
    assert.deepEqual(replacedMap.spec.template.spec.nodeSelector, { zone: 'b' });
    const replacedList = smp(live, { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o' }] } } } });
    assert.deepEqual(containersOf(replacedList), [{ name: 'only', image: 'o' }]);
    const deletedMap = smp(live, { spec: { template: { spec: { nodeSelector: { $patch: 'delete' } } } } });
    assert.deepEqual(deletedMap.spec.template.spec.nodeSelector, {});
    const deletedEntry = smp(live, { spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'proxy' }] } } } });
    assert.deepEqual(containersOf(deletedEntry), [{ name: 'web', image: 'w' }]);
    const merged = smp(live, { spec: { template: { spec: { nodeSelector: { $patch: 'merge', zone: 'c' } } } } });
    assert.deepEqual(merged.spec.template.spec.nodeSelector, { disk: 'ssd', zone: 'c' });
  });

  it('$retainKeys keeps only the listed fields (switching a strategy to Recreate)', () => {
    const live = { ...deployment([]), spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const out = smp(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
    throwsWith(() => smp(live, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }), isBadRequest, /retainKeys/);
  });

  it('$setElementOrder orders the patch entries and keeps server-only entries where they were', () => {
    const live = deployment([{ name: 'a', image: '1' }, { name: 'server-only', image: 's' }, { name: 'b', image: '1' }]);
    const out = smp(live, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'b', image: '2' }] } } },
    });
    assert.deepEqual(containersOf(out).map((c: any) => `${c.name}:${c.image}`), ['server-only:s', 'b:2', 'a:1']);
  });

  it('finalizers merge as a set; $deleteFromPrimitiveList removes values', () => {
    const live = { ...deployment([]), metadata: { name: 'web', finalizers: ['x', 'y'] } };
    assert.deepEqual(smp(live, { metadata: { finalizers: ['y', 'z'] } }).metadata.finalizers, ['x', 'y', 'z']);
    assert.deepEqual(smp(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }).metadata.finalizers, ['y']);
  });

  it('applies the three-way patch kubectl apply sends after a manifest was edited', () => {
    // The object as `kubectl apply` created it from the first manifest.
    const firstManifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { finalizers: ['example.com/a', 'example.com/b'], labels: { app: 'api', tier: 'back' }, name: 'api', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'api' } },
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            containers: [
              { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], image: 'api:1', name: 'api', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] },
              { image: 'proxy:1', name: 'sidecar' },
            ],
            volumes: [{ emptyDir: {}, name: 'cache' }],
          },
        },
      },
    };
    const live = structuredClone(firstManifest) as any;
    live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(firstManifest)}\n` };
    live.metadata.uid = 'u1';
    live.metadata.resourceVersion = '7';
    // The second manifest: sidecar first with a new image, env C before A (B gone), port 9090
    // gone, Recreate, the cache volume from a ConfigMap, the tier label and finalizer a gone.
    const secondManifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { annotations: {}, finalizers: ['example.com/b'], labels: { app: 'api' }, name: 'api', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'api' } },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            containers: [
              { image: 'proxy:2', name: 'sidecar' },
              { env: [{ name: 'C', value: '3' }, { name: 'A', value: '1' }], image: 'api:1', name: 'api', ports: [{ containerPort: 8080, name: 'http' }] },
            ],
            volumes: [{ configMap: { name: 'cache-config' }, name: 'cache' }],
          },
        },
      },
    };
    const lastApplied = `${JSON.stringify(secondManifest)}\n`;
    // Byte for byte what kubectl 1.32 sent (captured from `kubectl apply -v=8`), annotation aside.
    const patch = {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['example.com/a'],
        '$setElementOrder/finalizers': ['example.com/b'],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
        labels: { tier: null },
      },
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'api' }],
            '$setElementOrder/volumes': [{ name: 'cache' }],
            containers: [
              { image: 'proxy:2', name: 'sidecar' },
              {
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                '$setElementOrder/ports': [{ containerPort: 8080 }],
                env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }],
                name: 'api',
                ports: [{ $patch: 'delete', containerPort: 9090 }],
              },
            ],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cache-config' }, emptyDir: null, name: 'cache' }],
          },
        },
      },
    };
    const out = smp(live, patch);
    const expected = structuredClone(secondManifest) as any;
    expected.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied };
    expected.metadata.uid = 'u1';
    expected.metadata.resourceVersion = '7';
    assert.deepEqual(out, expected);
    // Key order inside entries may differ; entry order must match the manifest.
    assert.deepEqual(containersOf(out).map((c: any) => c.name), ['sidecar', 'api']);
    assert.deepEqual(containersOf(out)[1].env.map((e: any) => e.name), ['C', 'A']);
  });

  it('without a schema every list is replaced, as in a JSON merge patch', () => {
    const out = smp({ spec: { items: [{ name: 'a' }, { name: 'b' }] } }, { spec: { items: [{ name: 'c' }] } }, undefined);
    assert.deepEqual(out, { spec: { items: [{ name: 'c' }] } });
  });

  it('refuses malformed patches with 400 and patches that do not fit with 422', () => {
    const live = deployment([{ name: 'web', image: 'w' }]);
    throwsWith(() => smp(live, ['not', 'an', 'object']), isBadRequest, /JSON object/);
    throwsWith(() => smp(live, { spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } }), isBadRequest, /merge key "name"/);
    throwsWith(() => smp(live, { spec: { $patch: 'explode' } }), isBadRequest, /unknown \$patch directive/);
    throwsWith(() => smp(live, { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }), isBadRequest, /merge key/);
    throwsWith(() => smp(live, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'x' }], containers: [{ name: 'web', image: 'v' }] } } } }), isBadRequest, /not in \$setElementOrder/);
    throwsWith(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [['nested']] } }), isInvalid, /lists of lists/);
    throwsWith(() => smp(live, { spec: { replicas: Number.NaN } }), isBadRequest, /number JSON cannot represent/);
  });
});
