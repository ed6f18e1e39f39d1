import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../apimachinery/index.js';
import { dependenciesOf } from '../../../../replicator/render/index.js';

const podSpec = {
  serviceAccountName: 'runner',
  imagePullSecrets: [{ name: 'pull' }],
  volumes: [
    { name: 'a', configMap: { name: 'cm-volume' } },
    { name: 'b', secret: { secretName: 'sec-volume' } },
    { name: 'c', projected: { sources: [{ configMap: { name: 'cm-projected' } }, { secret: { name: 'sec-projected' } }, { downwardAPI: {} }] } },
    { name: 'd', emptyDir: {} },
  ],
  initContainers: [{ name: 'init', image: 'x', envFrom: [{ configMapRef: { name: 'cm-envfrom' } }] }],
  containers: [
    {
      name: 'app',
      image: 'x',
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'k' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'sec-env', key: 'k' } } },
        { name: 'C', value: 'plain' },
        { name: 'D', valueFrom: { configMapKeyRef: { name: 'cm-volume', key: 'dup' } } },
      ],
      envFrom: [{ secretRef: { name: 'sec-envfrom' } }],
    },
  ],
};

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: podSpec } },
};

function service(name: string, selector: Record<string, string> | undefined, namespace = 'shop'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ...(selector ? { selector } : {}), ports: [{ port: 80 }] } };
}

describe('replicator/render/dependencies', () => {
  it('finds ConfigMaps, Secrets, the ServiceAccount and selecting Services, in a stable order', () => {
    const services = [
      service('web-z', { app: 'web' }),
      service('web-a', { app: 'web', tier: 'front' }),
      service('api', { app: 'api' }),
      service('no-selector', undefined),
      service('empty-selector', {}),
      service('other-ns', { app: 'web' }, 'elsewhere'),
    ];
    const deps = dependenciesOf(web, { services });
    assert.deepEqual(
      deps.map((d) => `${d.kind}/${d.name}`),
      [
        'ConfigMap/cm-env',
        'ConfigMap/cm-envfrom',
        'ConfigMap/cm-projected',
        'ConfigMap/cm-volume',
        'Secret/pull',
        'Secret/sec-env',
        'Secret/sec-envfrom',
        'Secret/sec-projected',
        'Secret/sec-volume',
        'ServiceAccount/runner',
        'Service/web-a',
        'Service/web-z',
      ],
    );
    assert.ok(deps.every((d) => d.namespace === 'shop' && d.apiVersion === 'v1'));
    assert.deepEqual(dependenciesOf(web, { services: [...services].reverse() }), deps);
  });

  it('leaves out the default ServiceAccount and finds a Pod’s and a CronJob’s references', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop', labels: { app: 'web' } },
      spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'x', envFrom: [{ configMapRef: { name: 'cfg' } }] }] },
    };
    assert.deepEqual(
      dependenciesOf(pod, { services: [service('web', { app: 'web' })] }).map((d) => `${d.kind}/${d.name}`),
      ['ConfigMap/cfg', 'Service/web'],
    );
    const cron: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'shop' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 's', secret: { secretName: 'token' } }] } } } } },
    };
    assert.deepEqual(dependenciesOf(cron, { services: [] }).map((d) => `${d.kind}/${d.name}`), ['Secret/token']);
  });

  it('has none for kinds without a pod template', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: {} };
    assert.deepEqual(dependenciesOf(cm, { services: [service('web', { app: 'web' })] }), []);
  });
});
