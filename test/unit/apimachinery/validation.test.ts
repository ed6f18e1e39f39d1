import assert from 'node:assert/strict';
import {
  builtinResources,
  compileAllSchemas,
  deepCopy,
  ResourceRegistry,
  schemaFor,
  validateObject,
  type ResourceInfo,
  type StatusCause,
} from '../../../apimachinery/index.js';

const registry = new ResourceRegistry();

function resource(apiVersion: string, kind: string): ResourceInfo {
  const r = registry.byKind(apiVersion, kind);
  assert.ok(r, `${apiVersion} ${kind} is served`);
  return r;
}

/** Validates `obj` against the resource its apiVersion/kind name. */
function validate(obj: Record<string, unknown>): StatusCause[] {
  return validateObject(resource(obj['apiVersion'] as string, obj['kind'] as string), obj);
}

function fields(causes: StatusCause[]): string[] {
  return causes.map((c) => `${c.field ?? ''}:${c.reason}`);
}

/** Sets a dotted path (numeric segments index arrays) on a copy of `obj`. */
function withValue<T>(obj: T, path: string, value: unknown): T {
  const copy = deepCopy(obj);
  const parts = path.split('.');
  let cur = copy as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web', tier: 'front' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            args: ['--port', '8080'],
            env: [{ name: 'MODE', value: 'prod' }],
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1 } },
            readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
            // Unknown fields inside a pod template pass, as Kubernetes' pruning-free decoding keeps them.
            securityContext: { runAsNonRoot: true },
          },
        ],
      },
    },
  },
};

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics' },
    ],
  },
};

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: 'shop' },
  data: { 'app.properties': 'a=b\n', MODE: 'prod' },
  binaryData: { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64') },
};

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'web-tls', namespace: 'shop' },
  type: 'kubernetes.io/tls',
  data: { 'tls.crt': Buffer.from('cert').toString('base64'), 'tls.key': Buffer.from('key!').toString('base64') },
  stringData: { note: 'plain text' },
};

/** The PropagationPolicy example of DESIGN.md. */
const propagationPolicy = {
  apiVersion: 'policy.fedgate.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
    placement: {
      clusterAffinity: { clusterNames: ['eu-west', 'us-east', 'ap-south'] },
      replicaScheduling: {
        replicaSchedulingType: 'Divided',
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ['eu-west'] }, weight: 2 },
            { targetCluster: { clusterNames: ['us-east'] }, weight: 1 },
            { targetCluster: { clusterNames: ['ap-south'] }, weight: 1 },
          ],
        },
      },
    },
  },
};

const clusterPropagationPolicy = {
  apiVersion: 'policy.fedgate.io/v1alpha1',
  kind: 'ClusterPropagationPolicy',
  metadata: { name: 'everywhere' },
  spec: {
    resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', labelSelector: { matchLabels: { shared: 'true' } } }],
    placement: {
      clusterAffinity: {
        labelSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
        fieldSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['ap'] }] },
        exclude: ['old'],
      },
      clusterTolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoSchedule' }],
      spreadConstraints: [{ spreadByField: 'region', minGroups: 1, maxGroups: 2 }],
      replicaScheduling: { replicaSchedulingType: 'Duplicated' },
    },
    priority: 10,
    conflictResolution: 'Overwrite',
    failover: { application: { decisionConditions: { tolerationSeconds: 30 }, purgeMode: 'Graciously', gracePeriodSeconds: 60 } },
  },
};

const overridePolicy = {
  apiVersion: 'policy.fedgate.io/v1alpha1',
  kind: 'OverridePolicy',
  metadata: { name: 'web-eu', namespace: 'shop' },
  spec: {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
    overrideRules: [
      {
        targetCluster: { clusterNames: ['eu-west'] },
        overriders: {
          imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'eu.registry.example' }],
          argsOverrider: [{ containerName: 'web', operator: 'add', value: ['--region=eu'] }],
          commandOverrider: [{ containerName: 'web', operator: 'remove', value: ['--debug'] }],
          labelsOverrider: [{ operator: 'add', value: { region: 'eu' } }],
          annotationsOverrider: [{ operator: 'remove', value: { note: '' } }],
          plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 5 }],
        },
      },
    ],
  },
};

const trafficPolicy = {
  apiVersion: 'networking.fedgate.io/v1alpha1',
  kind: 'TrafficPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    serviceRef: { name: 'web' },
    strategy: 'weighted',
    weights: { 'eu-west': 3, 'us-east': 1, 'ap-south': 0 },
    primaryClusters: ['eu-west'],
    ttl: 30,
    whenAllUnhealthy: 'lastHealthy',
  },
};

const cluster = {
  apiVersion: 'cluster.fedgate.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'eu-west', labels: { env: 'prod' } },
  spec: {
    region: 'eu',
    zone: 'eu-west-1a',
    weight: 2,
    taints: [{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }],
    apiEndpoint: 'https://127.0.0.2:6443',
    endpoints: ['127.0.0.2'],
  },
};

const job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'migrate', namespace: 'shop' },
  spec: {
    backoffLimit: 2,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'tools:1', command: ['migrate'] }] } },
  },
};

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };

describe('validation', () => {
  it('compiles every schema (strict mode catches schema typos)', () => {
    compileAllSchemas();
    for (const r of builtinResources) assert.ok(schemaFor(r), `${r.kind} has a schema`);
  });

  const valid: [string, Record<string, unknown>][] = [
    ['Deployment', deployment],
    ['Service', service],
    ['ConfigMap', configMap],
    ['Secret', secret],
    ['PropagationPolicy (DESIGN.md example)', propagationPolicy],
    ['ClusterPropagationPolicy', clusterPropagationPolicy],
    ['OverridePolicy', overridePolicy],
    ['TrafficPolicy', trafficPolicy],
    ['Cluster', cluster],
    ['Job', job],
    ['Namespace', namespace],
  ];
  for (const [name, obj] of valid) {
    it(`accepts a valid ${name}`, () => {
      assert.deepEqual(validate(obj), []);
    });
  }

  describe('envelope and metadata', () => {
    it('checks apiVersion and kind against the resource', () => {
      const r = resource('apps/v1', 'Deployment');
      assert.deepEqual(fields(validateObject(r, { ...deployment, apiVersion: 'apps/v1beta1' })), ['apiVersion:FieldValueInvalid']);
      assert.deepEqual(fields(validateObject(r, { ...deployment, kind: 'ReplicaSet' })), ['kind:FieldValueInvalid']);
      const { kind: _kind, ...noKind } = deployment;
      assert.deepEqual(fields(validateObject(r, noKind)), ['kind:FieldValueRequired']);
      assert.deepEqual(fields(validateObject(r, 'text')), [':FieldValueInvalid']);
    });

    it('applies the name rules of the kind and its scope', () => {
      assert.deepEqual(fields(validate(withValue(service, 'metadata.name', 'web.v1'))), ['metadata.name:FieldValueInvalid']);
      assert.deepEqual(validate(withValue(deployment, 'metadata.name', 'web.v1')), []);
      assert.deepEqual(fields(validate(withValue(cluster, 'metadata.namespace', 'shop'))), ['metadata.namespace:FieldValueForbidden']);
      assert.deepEqual(fields(validate(withValue(deployment, 'metadata.namespace', undefined))), ['metadata.namespace:FieldValueRequired']);
    });
  });

  describe('Deployment', () => {
    it('spec.replicas "three" → spec.replicas Invalid', () => {
      const causes = validate(withValue(deployment, 'spec.replicas', 'three'));
      assert.deepEqual(fields(causes), ['spec.replicas:FieldValueInvalid']);
      assert.equal(causes[0]!.message, 'Invalid value: "three": spec.replicas in body must be of type integer: "string"');
    });

    it('negative and fractional replicas are invalid', () => {
      assert.deepEqual(fields(validate(withValue(deployment, 'spec.replicas', -1))), ['spec.replicas:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(deployment, 'spec.replicas', 1.5))), ['spec.replicas:FieldValueInvalid']);
      assert.deepEqual(validate(withValue(deployment, 'spec.replicas', 0)), []);
    });

    it('a container without image → spec.template.spec.containers[0].image Required', () => {
      const causes = validate(withValue(deployment, 'spec.template.spec.containers.0.image', undefined));
      assert.deepEqual(fields(causes), ['spec.template.spec.containers[0].image:FieldValueRequired']);
      assert.equal(causes[0]!.message, 'Required value');
    });

    it('no containers → spec.template.spec.containers Required', () => {
      assert.deepEqual(fields(validate(withValue(deployment, 'spec.template.spec.containers', []))), [
        'spec.template.spec.containers:FieldValueRequired',
      ]);
    });

    it('a selector that does not match the template labels is reported at spec.template.metadata.labels', () => {
      const causes = validate(withValue(deployment, 'spec.selector', { matchLabels: { app: 'api' } }));
      assert.deepEqual(fields(causes), ['spec.template.metadata.labels:FieldValueInvalid']);
      assert.equal(causes[0]!.message, 'Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`');
    });

    it('matchExpressions selectors are matched against the template too', () => {
      const ok = withValue(deployment, 'spec.selector', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] });
      assert.deepEqual(validate(ok), []);
      const bad = withValue(deployment, 'spec.selector', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] });
      assert.deepEqual(fields(validate(bad)), ['spec.template.metadata.labels:FieldValueInvalid']);
    });

    it('requires a valid, non-empty selector', () => {
      assert.deepEqual(fields(validate(withValue(deployment, 'spec.selector', undefined))), ['spec.selector:FieldValueRequired']);
      assert.deepEqual(fields(validate(withValue(deployment, 'spec.selector', {}))), ['spec.selector:FieldValueInvalid']);
      const badOp = withValue(deployment, 'spec.selector', { matchExpressions: [{ key: 'app', operator: 'Near', values: ['web'] }] });
      const causes = validate(badOp);
      assert.deepEqual(fields(causes), ['spec.selector.matchExpressions[0].operator:FieldValueNotSupported']);
      assert.equal(causes[0]!.message, 'Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist"');
      assert.deepEqual(fields(validate(withValue(deployment, 'spec.selector', { matchLabels: { app: '-web' } }))), [
        'spec.selector.matchLabels:FieldValueInvalid',
      ]);
    });

    it('reports every problem at once, with precise paths', () => {
      let bad = withValue(deployment, 'spec.replicas', 'three');
      bad = withValue(bad, 'spec.template.spec.containers.0.ports.0.containerPort', 70000);
      bad = withValue(bad, 'spec.strategy.type', 'Blue');
      bad = withValue(bad, 'spec.template.spec.containers.0.name', 'Web_1');
      assert.deepEqual(fields(validate(bad)).sort(), [
        'spec.replicas:FieldValueInvalid',
        'spec.strategy.type:FieldValueNotSupported',
        'spec.template.spec.containers[0].name:FieldValueInvalid',
        'spec.template.spec.containers[0].ports[0].containerPort:FieldValueInvalid',
      ]);
    });

    it('duplicate container names are reported', () => {
      const c = deployment.spec.template.spec.containers[0]!;
      const bad = withValue(deployment, 'spec.template.spec.containers', [c, { ...c }]);
      assert.deepEqual(fields(validate(bad)), ['spec.template.spec.containers[1].name:FieldValueDuplicate']);
    });
  });

  describe('Job', () => {
    it('needs restartPolicy OnFailure or Never', () => {
      assert.deepEqual(fields(validate(withValue(job, 'spec.template.spec.restartPolicy', 'Always'))), [
        'spec.template.spec.restartPolicy:FieldValueNotSupported',
      ]);
      assert.deepEqual(fields(validate(withValue(job, 'spec.template.spec.restartPolicy', undefined))), [
        'spec.template.spec.restartPolicy:FieldValueRequired',
      ]);
    });

    it('a given selector must match the template', () => {
      assert.deepEqual(fields(validate(withValue(job, 'spec.selector', { matchLabels: { job: 'x' } }))), [
        'spec.template.metadata.labels:FieldValueInvalid',
      ]);
    });
  });

  describe('Service', () => {
    it('port out of range and unknown type', () => {
      let bad = withValue(service, 'spec.ports.0.port', 0);
      bad = withValue(bad, 'spec.type', 'Magic');
      assert.deepEqual(fields(validate(bad)), ['spec.type:FieldValueNotSupported', 'spec.ports[0].port:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(service, 'spec.ports.1.port', 65536))), ['spec.ports[1].port:FieldValueInvalid']);
    });

    it('needs ports, named and unique when several', () => {
      assert.deepEqual(fields(validate(withValue(service, 'spec.ports', []))), ['spec.ports:FieldValueRequired']);
      assert.deepEqual(fields(validate(withValue(service, 'spec.ports.1.name', undefined))), ['spec.ports[1].name:FieldValueRequired']);
      assert.deepEqual(fields(validate(withValue(service, 'spec.ports.1.name', 'http'))), ['spec.ports[1].name:FieldValueDuplicate']);
      assert.deepEqual(validate(withValue(service, 'spec', { clusterIP: 'None', selector: { app: 'web' } })), []);
    });

    it('ExternalName needs spec.externalName', () => {
      assert.deepEqual(fields(validate(withValue(service, 'spec', { type: 'ExternalName' }))), ['spec.externalName:FieldValueRequired']);
      assert.deepEqual(validate(withValue(service, 'spec', { type: 'ExternalName', externalName: 'db.example.com' })), []);
    });
  });

  describe('ConfigMap and Secret', () => {
    it('ConfigMap data must be strings, binaryData base64, keys valid', () => {
      assert.deepEqual(fields(validate(withValue(configMap, 'data', { count: 3 }))), ['data[count]:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(configMap, 'binaryData', { 'logo.png': 'not base64!' }))), [
        'binaryData[logo.png]:FieldValueInvalid',
      ]);
      assert.deepEqual(fields(validate(withValue(configMap, 'data', { 'a/b': 'x' }))), ['data[a/b]:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(configMap, 'binaryData', { MODE: '' }))), ['binaryData[MODE]:FieldValueInvalid']);
    });

    it('Secret data must be padded base64', () => {
      for (const bad of ['abc', 'ab=c', 'YWJj\n', 'YWJjZA']) {
        const causes = validate(withValue(secret, 'data', { 'tls.crt': bad }));
        assert.deepEqual(fields(causes), ['data[tls.crt]:FieldValueInvalid'], bad);
      }
      assert.deepEqual(validate(withValue(secret, 'data', { empty: '', padded: 'YWJjZA==' })), []);
      assert.deepEqual(fields(validate(withValue(secret, 'type', 7))), ['type:FieldValueInvalid']);
    });

    it('caps the payload at 1 MiB', () => {
      const big = Buffer.alloc(1024 * 1024).toString('base64');
      assert.deepEqual(fields(validate(withValue(secret, 'data', { big }))), ['data:FieldValueTooLong']);
    });
  });

  describe('policies', () => {
    it('PropagationPolicy needs non-empty resourceSelectors with apiVersion and kind', () => {
      assert.deepEqual(fields(validate(withValue(propagationPolicy, 'spec.resourceSelectors', []))), ['spec.resourceSelectors:FieldValueRequired']);
      assert.deepEqual(fields(validate(withValue(propagationPolicy, 'spec.resourceSelectors', [{ name: 'web' }]))), [
        'spec.resourceSelectors[0].apiVersion:FieldValueRequired',
        'spec.resourceSelectors[0].kind:FieldValueRequired',
      ]);
      assert.deepEqual(fields(validate(withValue(propagationPolicy, 'spec', {}))), ['spec.resourceSelectors:FieldValueRequired']);
    });

    it('PropagationPolicy scheduling enums, weights and spread bounds', () => {
      const base = 'spec.placement.replicaScheduling';
      assert.deepEqual(fields(validate(withValue(propagationPolicy, `${base}.replicaSchedulingType`, 'Split'))), [
        `${base}.replicaSchedulingType:FieldValueNotSupported`,
      ]);
      assert.deepEqual(fields(validate(withValue(propagationPolicy, `${base}.weightPreference.staticWeightList.0.weight`, 0))), [
        `${base}.weightPreference.staticWeightList[0].weight:FieldValueInvalid`,
      ]);
      assert.deepEqual(fields(validate(withValue(propagationPolicy, `${base}.weightPreference.dynamicWeight`, 'Random'))), [
        `${base}.weightPreference.dynamicWeight:FieldValueNotSupported`,
      ]);
      const spread = withValue(clusterPropagationPolicy, 'spec.placement.spreadConstraints', [{ spreadByField: 'region', minGroups: 3, maxGroups: 2 }]);
      assert.deepEqual(fields(validate(spread)), ['spec.placement.spreadConstraints[0].maxGroups:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(clusterPropagationPolicy, 'spec.conflictResolution', 'Merge'))), [
        'spec.conflictResolution:FieldValueNotSupported',
      ]);
      assert.deepEqual(fields(validate(withValue(clusterPropagationPolicy, 'spec.priority', 'high'))), ['spec.priority:FieldValueInvalid']);
    });

    it('label selectors inside policies are validated', () => {
      const bad = withValue(clusterPropagationPolicy, 'spec.placement.clusterAffinity.labelSelector', {
        matchExpressions: [{ key: 'env', operator: 'In' }],
      });
      assert.deepEqual(fields(validate(bad)), ['spec.placement.clusterAffinity.labelSelector.matchExpressions[0].values:FieldValueRequired']);
      const badField = withValue(clusterPropagationPolicy, 'spec.placement.clusterAffinity.fieldSelector', {
        matchExpressions: [{ key: 'color', operator: 'In', values: ['x'] }],
      });
      assert.deepEqual(fields(validate(badField)), ['spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].key:FieldValueNotSupported']);
    });

    it('OverridePolicy overriders are typed', () => {
      const rule = 'spec.overrideRules.0.overriders';
      assert.deepEqual(fields(validate(withValue(overridePolicy, `${rule}.imageOverrider.0.component`, 'Digest'))), [
        'spec.overrideRules[0].overriders.imageOverrider[0].component:FieldValueNotSupported',
      ]);
      assert.deepEqual(fields(validate(withValue(overridePolicy, `${rule}.plaintext.0.path`, 'spec/replicas'))), [
        'spec.overrideRules[0].overriders.plaintext[0].path:FieldValueInvalid',
      ]);
      assert.deepEqual(fields(validate(withValue(overridePolicy, `${rule}.argsOverrider.0.value`, '--x'))), [
        'spec.overrideRules[0].overriders.argsOverrider[0].value:FieldValueInvalid',
      ]);
      assert.deepEqual(fields(validate(withValue(overridePolicy, 'spec.overrideRules.0.overriders', undefined))), [
        'spec.overrideRules[0].overriders:FieldValueRequired',
      ]);
    });

    it('TrafficPolicy fields', () => {
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.serviceRef', undefined))), ['spec.serviceRef:FieldValueRequired']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.serviceRef.name', ''))), ['spec.serviceRef.name:FieldValueRequired']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.serviceRef.name', 'Web.v1'))), ['spec.serviceRef.name:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.strategy', 'random'))), ['spec.strategy:FieldValueNotSupported']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.weights', { 'eu-west': -1 }))), ['spec.weights[eu-west]:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.ttl', 0))), ['spec.ttl:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.ttl', 86401))), ['spec.ttl:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.whenAllUnhealthy', 'all'))), ['spec.whenAllUnhealthy:FieldValueNotSupported']);
      assert.deepEqual(fields(validate(withValue(trafficPolicy, 'spec.primaryClusters', 'eu-west'))), ['spec.primaryClusters:FieldValueInvalid']);
    });

    it('Cluster weight and taints', () => {
      assert.deepEqual(fields(validate(withValue(cluster, 'spec.weight', -2))), ['spec.weight:FieldValueInvalid']);
      assert.deepEqual(fields(validate(withValue(cluster, 'spec.taints.0.effect', 'Evict'))), ['spec.taints[0].effect:FieldValueNotSupported']);
      assert.deepEqual(fields(validate(withValue(cluster, 'spec.taints.0.key', 'bad key'))), ['spec.taints[0].key:FieldValueInvalid']);
    });
  });

  it('validating one Deployment is cheap (well under a millisecond on average)', () => {
    const r = resource('apps/v1', 'Deployment');
    validateObject(r, deployment);
    const n = 2000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) validateObject(r, deployment);
    const perObjectMs = Number(process.hrtime.bigint() - start) / 1e6 / n;
    assert.ok(perObjectMs < 1, `${perObjectMs.toFixed(3)} ms per object`);
  });
});
