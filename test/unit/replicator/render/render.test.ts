import assert from 'node:assert/strict';
import {
  CLUSTER_LABEL,
  MANAGED_BY_LABEL,
  TEMPLATE_GENERATION_ANNOTATION,
  TEMPLATE_UID_ANNOTATION,
  isInvalid,
  type KubeObject,
  type OverridePolicy,
  type OverrideRule,
} from '../../../../apimachinery/index.js';
import type { ClusterView } from '../../../../replicator/placement/index.js';
import { renderForCluster } from '../../../../replicator/render/index.js';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u-123',
      resourceVersion: '42',
      generation: 7,
      creationTimestamp: '2024-01-01T00:00:00Z',
      managedFields: [{}],
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'x' }],
      finalizers: ['f'],
      labels: { app: 'web', team: 'a' },
      annotations: { note: 'keep' },
    },
    spec: {
      replicas: 8,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          initContainers: [{ name: 'init', image: 'busybox' }],
          containers: [
            { name: 'app', image: 'registry:5000/repo/img:1.0', args: ['--port=80', '--debug'], command: ['/bin/app'] },
            { name: 'side', image: `ghcr.io/org/side@${DIGEST}` },
          ],
        },
      },
    },
    status: { readyReplicas: 8 },
  };
}

function cluster(name: string, extra: Partial<ClusterView> = {}): ClusterView {
  return { name, labels: {}, taints: [], ready: true, weight: 1, ...extra };
}

const eu = cluster('eu', { region: 'eu', labels: { env: 'prod' } });
const us = cluster('us', { region: 'us', labels: { env: 'dev' } });

function op(name: string, rules: OverrideRule[], extra: Partial<OverridePolicy['spec']> = {}, namespace = 'shop'): OverridePolicy {
  return { apiVersion: 'policy.fedgate.io/v1alpha1', kind: 'OverridePolicy', metadata: { name, namespace }, spec: { overrideRules: rules, ...extra } };
}

type Container = { name: string; image: string; args?: string[]; command?: string[] };
function containers(obj: KubeObject): Container[] {
  const spec = (obj.spec as { template: { spec: { containers: Container[]; initContainers: Container[] } } }).template.spec;
  return [...spec.initContainers, ...spec.containers];
}
function images(obj: KubeObject): string[] {
  return containers(obj).map((c) => c.image);
}

describe('replicator/render/render', () => {
  it('strips server fields, sets replicas and adds the marks', () => {
    const { object, overrides } = renderForCluster(deployment(), eu, [], { replicas: 4 });
    assert.deepEqual(object.metadata, {
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web', team: 'a', [MANAGED_BY_LABEL]: 'fedgate', [CLUSTER_LABEL]: 'eu' },
      annotations: { note: 'keep', [TEMPLATE_GENERATION_ANNOTATION]: '7', [TEMPLATE_UID_ANNOTATION]: 'u-123' },
    });
    assert.equal(object.status, undefined);
    assert.equal((object.spec as { replicas: number }).replicas, 4);
    assert.deepEqual(overrides, []);
    // Without replicas the template's count stays.
    assert.equal((renderForCluster(deployment(), eu, []).object.spec as { replicas: number }).replicas, 8);
  });

  it('never mutates its inputs', () => {
    const template = deployment();
    const policies = [
      op('all', [
        {
          overriders: {
            imageOverrider: [{ component: 'Tag', operator: 'replace', value: '2.0' }],
            argsOverrider: [{ containerName: 'app', operator: 'add', value: ['--x'] }],
            labelsOverrider: [{ operator: 'add', value: { extra: 'y' } }],
            plaintext: [{ path: '/spec/paused', operator: 'add', value: true }],
          },
        },
      ]),
    ];
    const before = structuredClone({ template, policies });
    Object.freeze(template);
    const { object } = renderForCluster(template, eu, policies, { replicas: 1 });
    assert.deepEqual({ template, policies }, before);
    assert.notEqual(object.metadata, template.metadata);
  });

  it('overrides registry, repository and tag of every container image, keeping ports and digests apart', () => {
    const registry = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'mirror.eu:443' }] } }])]);
    assert.deepEqual(images(registry.object), ['mirror.eu:443/busybox', 'mirror.eu:443/repo/img:1.0', `mirror.eu:443/org/side@${DIGEST}`]);
    assert.deepEqual(registry.overrides, ['img/rule#0']);

    const addRegistry = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Registry', operator: 'add', value: '-eu' }] } }])]);
    assert.deepEqual(images(addRegistry.object), ['-eu/busybox', 'registry:5000-eu/repo/img:1.0', `ghcr.io-eu/org/side@${DIGEST}`]);

    const removeRegistry = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Registry', operator: 'remove' }] } }])]);
    assert.deepEqual(images(removeRegistry.object), ['busybox', 'repo/img:1.0', `org/side@${DIGEST}`]);

    const repo = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Repository', operator: 'replace', value: 'team/other' }] } }])]);
    assert.deepEqual(images(repo.object), ['team/other', 'registry:5000/team/other:1.0', `ghcr.io/team/other@${DIGEST}`]);

    const tag = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Tag', operator: 'replace', value: '2.0' }] } }])]);
    assert.deepEqual(images(tag.object), ['busybox:2.0', 'registry:5000/repo/img:2.0', 'ghcr.io/org/side:2.0']);

    const digest = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Tag', operator: 'replace', value: DIGEST }] } }])]);
    assert.deepEqual(images(digest.object), [`busybox@${DIGEST}`, `registry:5000/repo/img@${DIGEST}`, `ghcr.io/org/side@${DIGEST}`]);

    const untag = renderForCluster(deployment(), eu, [op('img', [{ overriders: { imageOverrider: [{ component: 'Tag', operator: 'remove' }] } }])]);
    assert.deepEqual(images(untag.object), ['busybox', 'registry:5000/repo/img', 'ghcr.io/org/side']);
  });

  it('limits an image override to its predicate path and combines components', () => {
    const { object } = renderForCluster(deployment(), eu, [
      op('img', [
        {
          overriders: {
            imageOverrider: [
              { component: 'Registry', operator: 'replace', value: 'mirror.io', predicate: { path: '/spec/template/spec/containers/0/image' } },
              { component: 'Tag', operator: 'replace', value: '3', predicate: { path: '/spec/template/spec/containers/0/image' } },
            ],
          },
        },
      ]),
    ]);
    assert.deepEqual(images(object), ['busybox', 'mirror.io/repo/img:3', `ghcr.io/org/side@${DIGEST}`]);
  });

  it('adds and removes args and commands by container name', () => {
    const { object } = renderForCluster(deployment(), eu, [
      op('args', [
        {
          overriders: {
            argsOverrider: [
              { containerName: 'app', operator: 'remove', value: ['--debug'] },
              { containerName: 'app', operator: 'add', value: ['--region=eu'] },
              { containerName: 'side', operator: 'add', value: ['-v'] },
              { containerName: 'missing', operator: 'add', value: ['-q'] },
            ],
            commandOverrider: [{ containerName: 'app', operator: 'add', value: ['--'] }],
          },
        },
      ]),
    ]);
    const [, app, side] = containers(object);
    assert.deepEqual(app!.args, ['--port=80', '--region=eu']);
    assert.deepEqual(app!.command, ['/bin/app', '--']);
    assert.deepEqual(side!.args, ['-v']);
  });

  it('adds, replaces and removes labels and annotations, but keeps the marks', () => {
    const { object } = renderForCluster(deployment(), eu, [
      op('meta', [
        {
          overriders: {
            labelsOverrider: [
              { operator: 'add', value: { tier: 'front' } },
              { operator: 'replace', value: { team: 'b', absent: 'x' } },
              { operator: 'remove', value: { app: '' } },
              { operator: 'remove', value: { [MANAGED_BY_LABEL]: '' } },
            ],
            annotationsOverrider: [{ operator: 'remove', value: { note: '' } }, { operator: 'add', value: { owner: 'ops' } }],
          },
        },
      ]),
    ]);
    assert.deepEqual(object.metadata.labels, { team: 'b', tier: 'front', [MANAGED_BY_LABEL]: 'fedgate', [CLUSTER_LABEL]: 'eu' });
    assert.deepEqual(object.metadata.annotations, { owner: 'ops', [TEMPLATE_GENERATION_ANNOTATION]: '7', [TEMPLATE_UID_ANNOTATION]: 'u-123' });
  });

  it('applies plaintext JSON patches, env included', () => {
    const { object } = renderForCluster(
      deployment(),
      eu,
      [
        op('plain', [
          {
            overriders: {
              plaintext: [
                { path: '/spec/template/spec/containers/0/env', operator: 'add', value: [{ name: 'REGION', value: 'eu' }] },
                { path: '/spec/replicas', operator: 'replace', value: 2 },
              ],
            },
          },
        ]),
      ],
      { replicas: 4 },
    );
    const app = containers(object)[1] as Container & { env?: unknown };
    assert.deepEqual(app.env, [{ name: 'REGION', value: 'eu' }]);
    assert.equal((object.spec as { replicas: number }).replicas, 2);
  });

  it('applies only rules whose targetCluster matches, policies in name order', () => {
    const policies = [
      op('b-second', [{ targetCluster: { clusterNames: ['eu'] }, overriders: { labelsOverrider: [{ operator: 'add', value: { order: 'b' } }] } }]),
      op('a-first', [
        { targetCluster: { labelSelector: { matchLabels: { env: 'prod' } } }, overriders: { labelsOverrider: [{ operator: 'add', value: { order: 'a', prod: 'yes' } }] } },
        { targetCluster: { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['us'] }] } }, overriders: { labelsOverrider: [{ operator: 'add', value: { us: 'yes' } }] } },
      ]),
    ];
    const inEu = renderForCluster(deployment(), eu, policies);
    assert.deepEqual(inEu.overrides, ['a-first/rule#0', 'b-second/rule#0']);
    assert.equal(inEu.object.metadata.labels!['order'], 'b');
    assert.equal(inEu.object.metadata.labels!['prod'], 'yes');
    const inUs = renderForCluster(deployment(), us, policies);
    assert.deepEqual(inUs.overrides, ['a-first/rule#1']);
    assert.equal(inUs.object.metadata.labels!['us'], 'yes');
    assert.equal(inUs.object.metadata.labels!['order'], undefined);
  });

  it('applies only policies of the namespace that select the template and are not being deleted', () => {
    const rule: OverrideRule = { overriders: { labelsOverrider: [{ operator: 'add', value: { hit: 'yes' } }] } };
    const policies = [
      op('other-ns', [rule], {}, 'elsewhere'),
      op('other-kind', [rule], { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'StatefulSet' }] }),
      op('by-name', [rule], { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }] }),
      { ...op('dying', [rule]), metadata: { name: 'dying', namespace: 'shop', deletionTimestamp: '2024-01-01T00:00:00Z' } },
    ];
    assert.deepEqual(renderForCluster(deployment(), eu, policies).overrides, ['by-name/rule#0']);
  });

  it('reports a failing override as Invalid naming it', () => {
    const bad = [op('broken', [{ overriders: { plaintext: [{ path: '/spec/nothing/here', operator: 'replace', value: 1 }] } }])];
    assert.throws(
      () => renderForCluster(deployment(), eu, bad),
      (err: Error) => isInvalid(err) && /override broken\/rule#0/.test(err.message),
    );
    const rename = [op('rename', [{ overriders: { plaintext: [{ path: '/metadata/name', operator: 'replace', value: 'other' }] } }])];
    assert.throws(() => renderForCluster(deployment(), eu, rename), (err: Error) => isInvalid(err) && /rename\/rule#0.*may not change/.test(err.message));
    const badImage = [op('img', [{ overriders: { imageOverrider: [{ component: 'Repository', operator: 'remove' }] } }])];
    assert.throws(() => renderForCluster(deployment(), eu, badImage), (err: Error) => isInvalid(err) && /img\/rule#0/.test(err.message));
  });

  it('drops a Service cluster IP but keeps a headless Service headless', () => {
    const svc = (clusterIP: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ port: 80 }] } });
    assert.deepEqual(renderForCluster(svc('10.0.0.7'), eu, []).object.spec, { ports: [{ port: 80 }] });
    assert.equal((renderForCluster(svc('None'), eu, []).object.spec as { clusterIP: string }).clusterIP, 'None');
  });
});
