import assert from 'node:assert/strict';
import { ContainerStartError } from '../../../../member-cluster/runtime/index.js';
import { containerArgv, expandVars, resolveContainerEnv, type ConfigLookup } from '../../../../member-cluster/kubelet/index.js';
import type { ConfigMap, Container, Pod, Secret } from '../../../../member-cluster/index.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const configMaps: Record<string, ConfigMap> = {
  app: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data: { MODE: 'prod', 'bad key': 'x', LEVEL: 'info' } },
};
const secrets: Record<string, Secret> = {
  db: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { PASSWORD: b64('pa$$ word'), USER: b64('admin') } },
};
const lookup: ConfigLookup = {
  configMap: (ns, name) => (ns === 'shop' ? configMaps[name] : undefined),
  secret: (ns, name) => (ns === 'shop' ? secrets[name] : undefined),
};
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u', labels: { app: 'web' } },
  spec: { containers: [] },
};
const ctx = { podIP: '127.1.0.7', hostIP: '127.1.0.1', nodeName: 'eu-node-0' };

describe('kubelet/container-env', () => {
  it('always sets the pod identity variables, then envFrom, then env (later wins)', () => {
    const c: Container = {
      name: 'main',
      envFrom: [{ configMapRef: { name: 'app' } }, { secretRef: { name: 'db' }, prefix: 'DB_' }],
      env: [
        { name: 'LEVEL', value: 'debug' },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'PASSWORD' } } },
        { name: 'M', valueFrom: { configMapKeyRef: { name: 'app', key: 'MODE' } } },
        { name: 'ME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'URL', value: 'http://$(IP):80/$(MODE)/$(NOPE)/$$(IP)' },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'missing', key: 'x', optional: true } } },
      ],
    };
    const env = resolveContainerEnv(pod, c, lookup, ctx);
    assert.deepEqual(env, {
      POD_IP: '127.1.0.7',
      POD_NAME: 'web-1',
      POD_NAMESPACE: 'shop',
      NODE_NAME: 'eu-node-0',
      HOSTNAME: 'web-1',
      MODE: 'prod',
      LEVEL: 'debug',
      DB_PASSWORD: 'pa$$ word',
      DB_USER: 'admin',
      PASS: 'pa$$ word',
      M: 'prod',
      ME: 'web-1',
      NS: 'shop',
      IP: '127.1.0.7',
      NODE: 'eu-node-0',
      APP: 'web',
      URL: 'http://127.1.0.7:80/prod/$(NOPE)/$(IP)',
    });
  });

  it('fails with CreateContainerConfigError for a missing ConfigMap, Secret or key', () => {
    const cases: [Container, RegExp][] = [
      [{ name: 'c', envFrom: [{ configMapRef: { name: 'nope' } }] }, /configmap "nope" not found/],
      [{ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'NOPE' } } }] }, /couldn't find key NOPE in Secret shop\/db/],
      [{ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }, /secret "gone" not found/],
    ];
    for (const [c, msg] of cases) {
      assert.throws(
        () => resolveContainerEnv(pod, c, lookup, ctx),
        (err) => err instanceof ContainerStartError && err.reason === 'CreateContainerConfigError' && msg.test(err.message),
      );
    }
  });

  it('expands $(VAR) in command and args', () => {
    assert.deepEqual(containerArgv({ name: 'c', command: ['echo', '$(A)'], args: ['$(B)-$(A)'] }, { A: '1', B: '2' }), ['echo', '1', '2-1']);
    assert.equal(expandVars('$$$(A)', { A: 'x' }), '$x');
  });
});
