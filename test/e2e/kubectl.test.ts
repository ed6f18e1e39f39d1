/**
 * The real kubectl against the gateway's REST API (in this process, over HTTP on loopback)
 * and against a member cluster's local API (a `fedgate member` process with the process
 * runtime, over HTTPS with the kubeconfig it writes: its CA and its admin token): apply (client-side with strategic merge patches, and server-side), get in its
 * forms, watch, describe, explain, api-resources, delete and logs — each must exit 0 with
 * nothing on stderr. Skipped, with the reason printed, when kubectl is not installed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse as parseYaml } from 'yaml';
import { kubeconfigFor, writeKubeconfig } from '../../cli/kubeconfig.js';
import { Gateway } from '../../gateway/index.js';
import { openStore, type Store } from '../../store/index.js';
import { startMemberProcess, type FedgateProcess } from '../fixtures/gateway-process.js';
import { killProcessesWithEnv } from '../fixtures/processes.js';
import { waitFor } from '../fixtures/wait.js';

type Obj = any;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const KUBECTL = 'kubectl';

function kubectlMissing(): string | undefined {
  const probe = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `kubectl is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `kubectl does not run: ${probe.stderr}`;
  return undefined;
}

/** A kubectl bound to one kubeconfig and its own cache directory. */
class Kubectl {
  readonly watchers = new Set<ChildProcess>();

  constructor(
    private readonly kubeconfig: string,
    private readonly cacheDir: string,
  ) {}

  private argv(args: string[]): string[] {
    return [...args, `--kubeconfig=${this.kubeconfig}`, `--cache-dir=${this.cacheDir}`];
  }

  /** Runs kubectl (asynchronously: the API server may live in this process). */
  run(args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, this.argv(args), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Runs kubectl and asserts exit 0 and an empty stderr; returns stdout. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.run(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    assert.equal(r.stderr, '', `kubectl ${args.join(' ')} wrote to stderr`);
    return r.stdout;
  }

  /** Starts a long-running kubectl (a watch); `output()` is what it printed so far. */
  start(args: string[]): { child: ChildProcess; output: () => string; errors: () => string } {
    const child = spawn(KUBECTL, this.argv(args), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.watchers.add(child);
    child.once('exit', () => this.watchers.delete(child));
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    return { child, output: () => out, errors: () => err };
  }

  /** Stops every kubectl still running, by PID. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.watchers].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** The table rows of kubectl output, split on runs of spaces. */
function rows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

const MANIFEST_V1 = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - {name: MODE, value: blue}
        - {name: LEVEL, value: info}
      - name: log
        image: fluent-bit:3.0
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: policy.fedgate.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
  placement:
    clusterAffinity:
      clusterNames: [eu-west]
`;

/** The edit: a new image, one env var changed and one dropped, three replicas, a second cluster. */
const MANIFEST_V2 = MANIFEST_V1.replace('nginx:1.25', 'nginx:1.27')
  .replace('{name: MODE, value: blue}', '{name: MODE, value: green}')
  .replace('        - {name: LEVEL, value: info}\n', '')
  .replace('replicas: 2', 'replicas: 3')
  .replace('clusterNames: [eu-west]', 'clusterNames: [eu-west, us-east]');

describe('kubectl against the gateway', function () {
  this.timeout(180_000);
  let dir: string;
  let store: Store;
  let gateway: Gateway;
  let kubectl: Kubectl;

  const api = async (method: string, path: string, body?: unknown): Promise<Obj> => {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const deploymentNow = async (): Promise<Obj> => (await api('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).body;

  before(async function () {
    const missing = kubectlMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'fedgate-kubectl-'));
    store = await openStore(`sqlite:${join(dir, 'fed.db')}`);
    gateway = new Gateway({ store, logger: pino({ level: 'silent' }) });
    await gateway.start();
    writeKubeconfig(join(dir, 'kubeconfig'), kubeconfigFor({ server: gateway.url }));
    kubectl = new Kubectl(join(dir, 'kubeconfig'), join(dir, 'cache'));
    writeFileSync(join(dir, 'v1.yaml'), MANIFEST_V1);
    writeFileSync(join(dir, 'v2.yaml'), MANIFEST_V2);
  });

  after(async () => {
    await kubectl?.stopAll();
    await gateway?.stop();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies a multi-document file: Namespace, Deployment, Service, PropagationPolicy', async () => {
    const out = await kubectl.ok('apply', '-f', join(dir, 'v1.yaml'));
    assert.deepEqual(out.trim().split('\n'), [
      'namespace/shop created',
      'deployment.apps/web created',
      'service/web created',
      'propagationpolicy.policy.fedgate.io/web created',
    ]);
    const d = await deploymentNow();
    assert.equal(d.spec.replicas, 2);
    assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.equal((await api('GET', '/apis/policy.fedgate.io/v1alpha1/namespaces/shop/propagationpolicies/web')).status, 200);
  });

  it('applies the edited file again: a strategic merge patch for the Deployment, a merge patch for the policy', async () => {
    const out = await kubectl.ok('apply', '-f', join(dir, 'v2.yaml'));
    assert.deepEqual(out.trim().split('\n'), [
      'namespace/shop unchanged',
      'deployment.apps/web configured',
      'service/web unchanged',
      'propagationpolicy.policy.fedgate.io/web configured',
    ]);
    const d = await deploymentNow();
    assert.equal(d.spec.replicas, 3);
    const [web, log] = d.spec.template.spec.containers;
    assert.equal(web.name, 'web');
    assert.equal(web.image, 'nginx:1.27');
    assert.deepEqual(web.env, [{ name: 'MODE', value: 'green' }], 'env merged by name, the dropped entry deleted');
    assert.deepEqual(web.ports, [{ containerPort: 80 }]);
    assert.deepEqual(log, { name: 'log', image: 'fluent-bit:3.0' }, 'the untouched container kept');
    assert.equal(d.metadata.generation, 2);
    const pp = (await api('GET', '/apis/policy.fedgate.io/v1alpha1/namespaces/shop/propagationpolicies/web')).body;
    assert.deepEqual(pp.spec.placement.clusterAffinity.clusterNames, ['eu-west', 'us-east']);
  });

  it('refuses an unknown field (server-side strict field validation)', async () => {
    writeFileSync(join(dir, 'typo.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\n  namespace: shop\ndta:\n  a: b\n');
    const r = await kubectl.run(['apply', '-f', join(dir, 'typo.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /strict decoding error: unknown field "dta"/);
    assert.equal((await api('GET', '/api/v1/namespaces/shop/configmaps/typo')).status, 404);
  });

  it('gets -o wide, -o yaml, by label, and across namespaces', async () => {
    const wide = rows(await kubectl.ok('get', 'deployments', '-n', 'shop', '-o', 'wide'));
    assert.deepEqual(wide[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'CLUSTERS', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual([wide[1]![0], wide[1]![1], wide[1]![4], wide[1]![6], wide[1]![7], wide[1]![8]], ['web', '0/3', '<none>', 'web,log', 'nginx:1.27,fluent-bit:3.0', 'app=web']);
    const svc = rows(await kubectl.ok('get', 'svc', '-n', 'shop'));
    assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'CLUSTERS', 'AGE']);
    assert.deepEqual(svc[1]!.slice(0, 5), ['web', 'ClusterIP', '<none>', '<none>', '80/TCP']);

    const yaml = parseYaml(await kubectl.ok('get', 'deploy', 'web', '-n', 'shop', '-o', 'yaml')) as Obj;
    assert.equal(yaml.kind, 'Deployment');
    assert.equal(yaml.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(yaml.metadata.managedFields, undefined, 'kubectl hides managedFields by default');

    assert.equal((await kubectl.ok('get', 'deploy', '-n', 'shop', '-l', 'app=web', '-o', 'name')).trim(), 'deployment.apps/web');
    assert.equal((await kubectl.ok('get', 'deploy', '-n', 'shop', '-l', 'app!=web', '-o', 'name')).trim(), '');

    const all = rows(await kubectl.ok('get', 'deployments,propagationpolicies', '-A'));
    assert.deepEqual(all[0]!.slice(0, 2), ['NAMESPACE', 'NAME']);
    assert.ok(all.some((r) => r[0] === 'shop' && r[1] === 'deployment.apps/web'));
    assert.ok(all.some((r) => r[0] === 'shop' && r[1] === 'propagationpolicy.policy.fedgate.io/web' && r[2] === 'Deployment/web' && r[4] === 'eu-west,us-east'));
  });

  it('shows per-cluster readiness of a federated template', async () => {
    const d = await deploymentNow();
    d.status = {
      replicas: 3,
      readyReplicas: 3,
      clusters: [
        { cluster: 'eu-west', replicas: 2, applied: true, status: { readyReplicas: 2 } },
        { cluster: 'us-east', replicas: 1, applied: true, status: { readyReplicas: 1 } },
      ],
    };
    assert.equal((await api('PUT', '/apis/apps/v1/namespaces/shop/deployments/web/status', d)).status, 200);
    const table = rows(await kubectl.ok('get', 'deploy', 'web', '-n', 'shop'));
    assert.deepEqual(table[1]!.slice(0, 5), ['web', '3/3', '0', '0', 'eu-west 2/2, us-east 1/1']);
  });

  it('watches: kubectl get -w prints the update', async () => {
    const watch = kubectl.start(['get', 'deploy', 'web', '-n', 'shop', '-w']);
    await waitFor('the first row of the watch', async () => watch.output().includes('web'), 30_000);
    await kubectl.ok('patch', 'deploy', 'web', '-n', 'shop', '-p', '{"spec":{"replicas":5}}');
    await waitFor('the update in the watch', async () => rows(watch.output()).some((r) => r[0] === 'web' && r[1] === '3/5'), 30_000);
    const lines = rows(watch.output());
    assert.equal(lines[0]![0], 'NAME');
    assert.equal(lines.filter((r) => r[0] === 'NAME').length, 1, 'the header once');
    assert.equal(watch.errors(), '');
    watch.child.kill('SIGTERM');
  });

  it('describes a Deployment and a policy (events come from the gateway, none yet)', async () => {
    const text = await kubectl.ok('describe', 'deployment', 'web', '-n', 'shop');
    assert.match(text, /^Name:\s+web$/m);
    assert.match(text, /^Replicas:\s+5 desired/m);
    assert.match(text, /Image:\s+nginx:1\.27/);
    assert.match(text, /^Events:\s+<none>$/m);
    const pp = await kubectl.ok('describe', 'pp', 'web', '-n', 'shop');
    assert.match(pp, /^Kind:\s+PropagationPolicy$/m);
    assert.match(pp, /Cluster Names:/);
  });

  it('lists api-resources with short names, and gets clusters', async () => {
    const resources = rows(await kubectl.ok('api-resources'));
    const byName = new Map(resources.map((r) => [r[0], r]));
    assert.deepEqual(byName.get('deployments')!.slice(0, 2), ['deployments', 'deploy']);
    assert.deepEqual(byName.get('propagationpolicies')!.slice(0, 3), ['propagationpolicies', 'pp', 'policy.fedgate.io/v1alpha1']);
    assert.deepEqual(byName.get('clusters')!.slice(0, 3), ['clusters', 'cl', 'cluster.fedgate.io/v1alpha1']);
    assert.ok(byName.has('events'));
    assert.deepEqual(rows(await kubectl.ok('api-resources', '--categories=fedgate', '-o', 'name')).map((r) => r[0]).sort(), [
      'clusterpropagationpolicies.policy.fedgate.io',
      'clusters.cluster.fedgate.io',
      'overridepolicies.policy.fedgate.io',
      'propagationpolicies.policy.fedgate.io',
      'trafficpolicies.networking.fedgate.io',
    ]);

    writeFileSync(join(dir, 'cluster.yaml'), 'apiVersion: cluster.fedgate.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: eu-west\nspec:\n  region: eu\n  weight: 2\n');
    await kubectl.ok('apply', '-f', join(dir, 'cluster.yaml'));
    const c = await api('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters/eu-west');
    c.body.status = { conditions: [{ type: 'Ready', status: 'True' }], nodes: { ready: 3, total: 3 } };
    assert.equal((await api('PUT', '/apis/cluster.fedgate.io/v1alpha1/clusters/eu-west/status', c.body)).status, 200);
    const clusters = rows(await kubectl.ok('get', 'clusters'));
    assert.deepEqual(clusters[0], ['NAME', 'READY', 'REGION', 'WEIGHT', 'NODES', 'AGE']);
    assert.deepEqual(clusters[1]!.slice(0, 5), ['eu-west', 'True', 'eu', '2', '3/3']);
  });

  it('explains fields from the OpenAPI document', async () => {
    const text = await kubectl.ok('explain', 'deployment.spec');
    assert.match(text, /^KIND:\s+Deployment$/m);
    assert.match(text, /^FIELD: spec <Object>$/m);
    assert.match(text, /^ {2}replicas\s+<integer>$/m);
    assert.match(text, /^ {2}template\s+<Object> -required-$/m);
    const policy = await kubectl.ok('explain', 'propagationpolicies.spec.placement');
    assert.match(policy, /^ {2}clusterAffinity\s+<Object>$/m);
  });

  it('applies server-side: fields owned by another manager conflict unless forced', async () => {
    writeFileSync(join(dir, 'ssa.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  color: blue\n  size: L\n');
    assert.equal((await kubectl.ok('apply', '--server-side', '-f', join(dir, 'ssa.yaml'))).trim(), 'configmap/settings serverside-applied');
    let cm = (await api('GET', '/api/v1/namespaces/shop/configmaps/settings')).body;
    assert.deepEqual(cm.data, { color: 'blue', size: 'L' });
    assert.deepEqual(cm.metadata.managedFields.map((e: Obj) => `${e.manager}/${e.operation}`), ['kubectl/Apply']);

    await kubectl.ok('patch', 'configmap', 'settings', '-n', 'shop', '-p', '{"data":{"color":"red"}}');
    writeFileSync(join(dir, 'ssa.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  color: green\n');
    const conflict = await kubectl.run(['apply', '--server-side', '-f', join(dir, 'ssa.yaml')]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: \.data\.color/);

    await kubectl.ok('apply', '--server-side', '--force-conflicts', '-f', join(dir, 'ssa.yaml'));
    cm = (await api('GET', '/api/v1/namespaces/shop/configmaps/settings')).body;
    assert.deepEqual(cm.data, { color: 'green' }, 'size was only this applier\'s: it went with the configuration');
  });

  it('deletes, waiting until the objects are gone', async () => {
    assert.equal((await kubectl.ok('delete', 'deployment', 'web', '-n', 'shop')).trim(), 'deployment.apps "web" deleted');
    assert.equal((await api('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).status, 404);
    assert.equal((await kubectl.ok('delete', 'namespace', 'shop')).trim(), 'namespace "shop" deleted');
    assert.equal((await api('GET', '/api/v1/namespaces/shop')).status, 404);
    assert.equal((await api('GET', '/api/v1/namespaces/shop/services/web')).status, 404);
  });
});

describe('kubectl against a member cluster', function () {
  this.timeout(180_000);
  const RUN = randomUUID();
  let dir: string;
  let member: FedgateProcess | undefined;
  let kubectl: Kubectl;

  before(async function () {
    const missing = kubectlMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'fedgate-kubectl-member-'));
    member = await startMemberProcess(
      [
        '--name', 'kubectl-e2e', '--data', join(dir, 'member'), '--pod-cidr', '127.94.0.0/16', '--external-ip', '127.94.0.1',
        '--nodes', '1', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', '--runtime', 'process', '--listen', '127.0.0.1:0',
      ],
      { secure: true },
    );
    // The member's own kubeconfig: https, its CA, its admin token.
    assert.equal(member.info['kubeconfig'], join(dir, 'member', 'member.kubeconfig'));
    kubectl = new Kubectl(join(dir, 'member', 'member.kubeconfig'), join(dir, 'cache'));
  });

  after(async () => {
    await kubectl?.stopAll();
    if (member) await member.stop(15_000);
    const left = killProcessesWithEnv({ FEDGATE_TEST_RUN: RUN });
    if (dir) rmSync(dir, { recursive: true, force: true });
    assert.equal(left, 0, `${left} pod processes outlived the member`);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && member) console.log(member.logs.slice(-30).join('\n'));
  });

  it('reaches it with member.kubeconfig: https, whoami is its admin; a request without credentials gets 401', async () => {
    assert.match(member!.url, /^https:\/\//);
    const none = await kubectl.run(['get', 'pods']);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const whoami = parseYaml(await kubectl.ok('auth', 'whoami', '-o', 'yaml')) as Obj;
    assert.equal(whoami.status.userInfo.username, 'admin');
    assert.ok(whoami.status.userInfo.groups.includes('system:masters'));
    const anonymous = await new Promise<number | undefined>((done, fail) =>
      https
        .get(`${member!.url}/api/v1/namespaces/default/pods`, { ca: readFileSync(join(dir, 'member', 'api-pki', 'ca.crt'), 'utf8'), agent: false }, (res) => {
          res.resume();
          done(res.statusCode);
        })
        .on('error', fail),
    );
    assert.equal(anonymous, 401);
  });

  it('gets pods and reads their logs', async () => {
    writeFileSync(
      join(dir, 'pod.yaml'),
      `apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo hello; echo world; sleep 1000"]
    env:
    - {name: FEDGATE_TEST_RUN, value: "${RUN}"}
`,
    );
    assert.equal((await kubectl.ok('apply', '-f', join(dir, 'pod.yaml'))).trim(), 'pod/hello created');
    const running = await waitFor(
      'the pod running and its log written',
      async () => {
        const table = rows(await kubectl.ok('get', 'pods'));
        const log = table[1]?.[2] === 'Running' ? await kubectl.ok('logs', 'hello') : '';
        return log === 'hello\nworld\n' ? table : undefined;
      },
      60_000,
      250,
    );
    assert.deepEqual(running[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(running[1]!.slice(0, 4), ['hello', '1/1', 'Running', '0']);
    const wide = rows(await kubectl.ok('get', 'pods', '-o', 'wide'));
    assert.deepEqual(wide[0]!.slice(5, 7), ['IP', 'NODE']);
    assert.match(wide[1]![5]!, /^127\.94\./);

    assert.equal(await kubectl.ok('logs', 'hello', '--tail=1'), 'world\n');
    assert.equal(await kubectl.ok('logs', 'hello', '-c', 'main', '--limit-bytes=3'), 'hel');

    const follow = kubectl.start(['logs', '-f', 'hello']);
    await waitFor('the followed log', async () => follow.output() === 'hello\nworld\n', 30_000);
    assert.equal(follow.child.exitCode, null, 'a followed log stays open while the container runs');
    follow.child.kill('SIGTERM');

    // A followed log ends by itself when its container exits.
    writeFileSync(
      join(dir, 'short.yaml'),
      `apiVersion: v1
kind: Pod
metadata:
  name: short
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo start; sleep 2; echo done"]
    env:
    - {name: FEDGATE_TEST_RUN, value: "${RUN}"}
`,
    );
    await kubectl.ok('apply', '-f', join(dir, 'short.yaml'));
    await waitFor('the short pod to start', async () => (await kubectl.run(['logs', 'short'])).stdout.startsWith('start'), 60_000, 100);
    assert.equal(await kubectl.ok('logs', '-f', 'short'), 'start\ndone\n');

    const missing = await kubectl.run(['logs', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pods "nope" not found/);
    const badContainer = await kubectl.run(['logs', 'hello', '-c', 'sidecar']);
    assert.equal(badContainer.code, 1);
    assert.match(badContainer.stderr, /container sidecar is not valid for pod hello/);
    const previous = await kubectl.run(['logs', 'hello', '--previous']);
    assert.equal(previous.code, 1);
    assert.match(previous.stderr, /previous terminated container "main" in pod "hello"/);
  });
});
