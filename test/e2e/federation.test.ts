/**
 * A federation as a user runs it: a real gateway process and three real member processes
 * (process runtime) on loopback, joined with bootstrap tokens over mutual TLS, driven through
 * the gateway's REST API and the `fedgate` CLI. Every pod process carries an environment
 * marker so the test can find them and never leaves one behind.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFedgate } from '../fixtures/cli-run.js';
import { startGatewayProcess, startMemberProcess, type FedgateProcess } from '../fixtures/gateway-process.js';
import { sleep, waitFor } from '../fixtures/wait.js';
import { killProcessesWithEnv } from '../fixtures/processes.js';

type Obj = any;

const RUN = randomUUID();
const MARKER = { FEDGATE_TEST_RUN: RUN };
const HTTP_SERVER = "require('http').createServer((q,s)=>s.end(process.env.POD_NAME)).listen(8080, process.env.POD_IP)";
const CLUSTERS = [
  { name: 'eu-west', region: 'eu', octet: 111 },
  { name: 'us-east', region: 'us', octet: 112 },
  { name: 'ap-south', region: 'ap', octet: 113 },
] as const;
const TOLERATION_SECONDS = 4;

async function call(base: string, method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': type },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function ok(base: string, method: string, path: string, body?: unknown, type?: string): Promise<Obj> {
  const r = await call(base, method, path, body, type);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const SERVICE_NAME = 'web.shop.svc.global.fedgate.internal';

const isReady = (p: Obj): boolean => (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
const clusterReady = (c: Obj): string | undefined => (c.status?.conditions ?? []).find((x: Obj) => x.type === 'Ready')?.status;

describe('federation (gateway + 3 members, real processes, mutual TLS)', function () {
  this.timeout(300_000);
  let dir: string;
  let gwDir: string;
  let gateway: FedgateProcess;
  let joinAddress: string;
  let caHash: string;
  const members = new Map<string, FedgateProcess>();

  // A restarted gateway comes back on the same ports, as a real one would.
  const gatewayArgs = (): string[] =>
    gateway
      ? ['--data', gwDir, '--join-listen', String(gateway.info['joinAddress']), '--member-listen', String(gateway.info['memberAddress']), '--dns-listen', String(gateway.info['dnsAddress'])]
      : ['--data', gwDir, '--join-listen', '127.0.0.1:0', '--member-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0'];
  const storeUrl = (): string => `sqlite:${join(gwDir, 'fedgate.db')}`;

  async function createToken(ttl = '1h'): Promise<{ token: string; out: string }> {
    const run = await runFedgate(['token', 'create', '--gateway', gateway.url, '--data', gwDir, '--join-address', joinAddress, '--ttl', ttl]);
    assert.equal(run.code, 0, run.stderr);
    const token = /\b([a-z0-9]{6}\.[a-z0-9]{16})\b/.exec(run.stdout)?.[1];
    const hash = /--ca-hash (sha256:[0-9a-f]{64})/.exec(run.stdout)?.[1];
    assert.ok(token && hash, `token create printed the token and the join command: ${run.stdout}`);
    caHash = hash;
    return { token, out: run.stdout };
  }

  function memberArgs(c: (typeof CLUSTERS)[number], token?: string): string[] {
    const args = [
      '--name', c.name, '--data', join(dir, c.name), '--pod-cidr', `127.${c.octet}.0.0/16`, '--region', c.region,
      '--labels', `tier=gold,region=${c.region}`, '--nodes', '2', '--runtime', 'process', '--listen', '127.0.0.1:0',
      '--join', joinAddress, '--ca-hash', caHash,
    ];
    return token ? [...args, '--token', token] : args;
  }

  const memberUrl = (name: string): string => members.get(name)!.url;

  /** The addresses `n` DNS queries for the federated Service returned (one weighted pick each). */
  async function dnsAnswers(n: number): Promise<Set<string>> {
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([String(gateway.info['dnsAddress'])]);
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) for (const a of await resolver.resolve4(SERVICE_NAME)) seen.add(a);
    return seen;
  }
  const gw = (method: string, path: string, body?: unknown, type?: string): Promise<Obj> => ok(gateway.url, method, path, body, type);

  async function memberPods(name: string, ns: string, selector: string): Promise<Obj[]> {
    const list = await ok(memberUrl(name), 'GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`);
    return list.items.filter((p: Obj) => !p.metadata.deletionTimestamp);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-federation-'));
    gwDir = join(dir, 'gateway');
    gateway = await startGatewayProcess(storeUrl(), gatewayArgs());
    joinAddress = String(gateway.info['joinAddress']);
    assert.match(joinAddress, /^127\.0\.0\.1:\d+$/);
  });

  after(async () => {
    await Promise.all([...members.values()].map((m) => m.stop(15_000)));
    await gateway?.stop();
    killProcessesWithEnv(MARKER);
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log('--- gateway ---\n' + gateway.logs.slice(-30).join('\n') + '\n' + gateway.stderr.slice(-10).join('\n'));
    for (const [name, m] of members) console.log(`--- ${name} ---\n` + m.logs.slice(-15).join('\n') + '\n' + m.stderr.slice(-10).join('\n'));
  });

  it('joins three members with bootstrap tokens; wrong, expired and reused tokens are refused', async () => {
    const { out } = await createToken();
    assert.match(out, /fedgate join --gateway 127\.0\.0\.1:\d+ --token [a-z0-9]{6}\.[a-z0-9]{16} --ca-hash sha256:[0-9a-f]{64}/);

    const wrong = await runFedgate(['join', '--gateway', joinAddress, '--token', 'abcdef.0123456789abcdef', '--ca-hash', caHash, '--name', 'nope', '--data', join(dir, 'nope')]);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /bootstrap token is invalid or has expired/);

    const shortLived = (await createToken('1s')).token;
    await sleep(1500);
    const expired = await runFedgate(['join', '--gateway', joinAddress, '--token', shortLived, '--ca-hash', caHash, '--name', 'late', '--data', join(dir, 'late')]);
    assert.notEqual(expired.code, 0);
    assert.match(expired.stderr, /bootstrap token is invalid or has expired/);

    const tokens: string[] = [];
    for (const c of CLUSTERS) {
      const { token } = await createToken();
      tokens.push(token);
      members.set(c.name, await startMemberProcess(memberArgs(c, token)));
    }
    const reused = await runFedgate(['join', '--gateway', joinAddress, '--token', tokens[0]!, '--ca-hash', caHash, '--name', 'again', '--data', join(dir, 'again')]);
    assert.notEqual(reused.code, 0);
    assert.match(reused.stderr, /bootstrap token (was already used|is invalid or has expired)/);

    const clusters = await waitFor('3 Ready clusters', async () => {
      const list = (await gw('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters')).items;
      return list.length === 3 && list.every((c: Obj) => clusterReady(c) === 'True') ? list : undefined;
    });
    for (const c of clusters) {
      assert.equal(c.metadata.labels.tier, 'gold');
      assert.ok(Number(c.status.nodes?.total) === 2, `${c.metadata.name} reports its nodes`);
    }
  });

  it('divides a Deployment 4/2/2 by weights 2:1:1 and propagates the ConfigMap and Service it uses', async () => {
    await gw('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await gw('POST', '/api/v1/namespaces/shop/configmaps', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { greeting: 'hello' },
    });
    await gw('POST', '/apis/apps/v1/namespaces/shop/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 8,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web', image: 'registry.local/web:1', command: [process.execPath, '-e', HTTP_SERVER],
              env: [{ name: 'FEDGATE_TEST_RUN', value: RUN }],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
              volumeMounts: [{ name: 'config', mountPath: '/etc/fedgate-e2e-web' }],
            }],
            volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
          },
        },
      },
    });
    await gw('POST', '/api/v1/namespaces/shop/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await gw('POST', '/apis/policy.fedgate.io/v1alpha1/namespaces/shop/propagationpolicies', {
      apiVersion: 'policy.fedgate.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'web' },
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
        failover: { tolerationSeconds: TOLERATION_SECONDS, application: { decisionConditions: { tolerationSeconds: TOLERATION_SECONDS } } },
      },
    });
    const expected: Record<string, number> = { 'eu-west': 4, 'us-east': 2, 'ap-south': 2 };
    for (const [name, n] of Object.entries(expected)) {
      await waitFor(`${n} ready pods in ${name}`, async () => {
        const pods = await memberPods(name, 'shop', 'app=web');
        return pods.length === n && pods.every(isReady);
      }, 60_000);
      const cm = await ok(memberUrl(name), 'GET', '/api/v1/namespaces/shop/configmaps/web-config');
      assert.equal(cm.data.greeting, 'hello');
      await ok(memberUrl(name), 'GET', '/api/v1/namespaces/shop/services/web');
    }
    const d = await waitFor('8 ready replicas in the federated status', async () => {
      const dep = await gw('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
      return dep.status?.readyReplicas === 8 && dep.status?.observedGeneration === dep.metadata.generation ? dep : undefined;
    }, 60_000);
    assert.deepEqual(
      Object.fromEntries((d.status.clusters as Obj[]).map((c) => [c.cluster, c.replicas])),
      expected,
    );
  });

  it('applies an OverridePolicy that changes the image only in us-east', async () => {
    await gw('POST', '/apis/policy.fedgate.io/v1alpha1/namespaces/shop/overridepolicies', {
      apiVersion: 'policy.fedgate.io/v1alpha1',
      kind: 'OverridePolicy',
      metadata: { name: 'us-image' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
        overrideRules: [{ targetCluster: { clusterNames: ['us-east'] }, overriders: { imageOverrider: [{ component: 'Tag', operator: 'replace', value: '2' }] } }],
      },
    });
    await waitFor('the new image in us-east', async () => {
      const dep = await ok(memberUrl('us-east'), 'GET', '/apis/apps/v1/namespaces/shop/deployments/web');
      return dep.spec.template.spec.containers[0].image === 'registry.local/web:2';
    });
    for (const name of ['eu-west', 'ap-south']) {
      const dep = await ok(memberUrl(name), 'GET', '/apis/apps/v1/namespaces/shop/deployments/web');
      assert.equal(dep.spec.template.spec.containers[0].image, 'registry.local/web:1', `${name} keeps the template's image`);
    }
  });

  it('explains the placement: clusters, replicas, overrides and why a cluster was left out', async () => {
    const run = await runFedgate(['explain', 'deployment/web', '-n', 'shop', '--gateway', gateway.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^policy: shop\/web$/m);
    assert.match(run.stdout, /^eu-west\s+yes\s+4\b/m);
    assert.match(run.stdout, /^us-east\s+yes\s+2\s+.*us-image/m);
    assert.match(run.stdout, /^ap-south\s+yes\s+2\b/m);
    const missing = await runFedgate(['explain', 'deployment/nope', '-n', 'shop', '--gateway', gateway.url]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /deployments\.apps "nope" not found/);
  });

  it('answers a dry run with the placement it would get', async () => {
    const r = await gw('POST', '/apis/apps/v1/namespaces/shop/deployments?dryRun=All', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web-preview', labels: { app: 'web' } },
      spec: { replicas: 4, selector: { matchLabels: { app: 'preview' } }, template: { metadata: { labels: { app: 'preview' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    assert.equal((await call(gateway.url, 'GET', '/apis/apps/v1/namespaces/shop/deployments/web-preview')).status, 404);
    assert.ok(r.status?.placement, `dry run carries a placement: ${JSON.stringify(r.status)}`);
  });

  it('marks a SIGKILLed member NotReady within 2 s, moves its replicas after tolerationSeconds, and brings them back', async () => {
    const all = await waitFor('DNS answers with all three clusters', async () => {
      const seen = await dnsAnswers(60);
      return seen.size === 3 ? seen : undefined;
    }, 30_000, 200);
    assert.deepEqual([...all].sort(), ['127.111.0.1', '127.112.0.1', '127.113.0.1']);
    const explained = await runFedgate(['dns', 'explain', 'web.shop', '--gateway', gateway.url]);
    assert.equal(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /^name:\s+web\.shop\.svc\.global\.fedgate\.internal$/m);
    for (const [cluster, address] of [['eu-west', '127.111.0.1'], ['us-east', '127.112.0.1'], ['ap-south', '127.113.0.1']]) {
      assert.match(explained.stdout, new RegExp(`^${cluster}\\s+\\S+\\s+${address.replace(/\./g, '\\.')}\\s+\\d+\\s+[\\d.]+%\\s+yes\\s+yes`, 'm'));
    }
    const victim = members.get('ap-south')!;
    await victim.kill();
    const killedAt = Date.now();
    await waitFor('ap-south out of the DNS answers', async () => !(await dnsAnswers(40)).has('127.113.0.1'), 5000, 20);
    const outOfDnsMs = Date.now() - killedAt;
    console.log(`      ap-south out of DNS answers ${outOfDnsMs} ms after SIGKILL`);
    assert.ok(outOfDnsMs <= 2000, `still answered ${outOfDnsMs} ms after the kill`);
    await waitFor('ap-south NotReady', async () => clusterReady(await gw('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters/ap-south')) !== 'True', 5000, 50);
    const notReadyAfterMs = Date.now() - killedAt;
    console.log(`      ap-south NotReady ${notReadyAfterMs} ms after SIGKILL`);
    assert.ok(notReadyAfterMs <= 2000, `NotReady after ${notReadyAfterMs} ms`);
    // After tolerationSeconds the 8 replicas run in eu-west and us-east (Webster 2:1 → 5/3).
    await waitFor('replicas moved to eu-west and us-east', async () => {
      const eu = await memberPods('eu-west', 'shop', 'app=web');
      const us = await memberPods('us-east', 'shop', 'app=web');
      return eu.length === 5 && us.length === 3 && [...eu, ...us].every(isReady);
    }, 60_000);
    const moved = await gw('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
    assert.ok((moved.status?.placement?.failover ?? []).some((f: Obj) => f.from === 'ap-south'), JSON.stringify(moved.status?.placement));

    members.set('ap-south', await startMemberProcess(memberArgs(CLUSTERS[2])));
    await waitFor('ap-south Ready again', async () => clusterReady(await gw('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters/ap-south')) === 'True');
    for (const [name, n] of Object.entries({ 'eu-west': 4, 'us-east': 2, 'ap-south': 2 })) {
      await waitFor(`${n} pods back in ${name}`, async () => {
        const pods = await memberPods(name, 'shop', 'app=web');
        return pods.length === n && pods.every(isReady);
      }, 60_000);
    }
    await waitFor('ap-south back in the DNS answers', async () => (await dnsAnswers(60)).has('127.113.0.1'), 30_000, 200);
    const deps = (await ok(memberUrl('ap-south'), 'GET', '/apis/apps/v1/namespaces/shop/deployments')).items;
    assert.equal(deps.filter((x: Obj) => x.metadata.name === 'web').length, 1, 'nothing duplicated');
  });

  it('survives SIGKILL of the gateway: members reconnect and resync, no workload restarts', async () => {
    const before = new Map<string, Obj[]>();
    for (const name of members.keys()) before.set(name, await memberPods(name, 'shop', 'app=web'));
    const args = gatewayArgs();
    const restartedAt = Date.now();
    await gateway.kill();
    gateway = await startGatewayProcess(storeUrl(), args);
    await waitFor('3 Ready clusters after the restart, with fresh heartbeats', async () => {
      const list = (await gw('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters')).items;
      return list.length === 3 && list.every((c: Obj) => clusterReady(c) === 'True' && Date.parse(c.status.lastHeartbeatTime) > restartedAt);
    }, 30_000);
    await sleep(2000); // a resync that wrongly recreated workloads would show by now
    for (const [name, pods] of before) {
      const now = await memberPods(name, 'shop', 'app=web');
      assert.deepEqual(now.map((p: Obj) => p.metadata.uid).sort(), pods.map((p: Obj) => p.metadata.uid).sort(), `${name}: same pods`);
      const restarts = new Map(pods.map((p: Obj) => [p.metadata.uid, p.status.containerStatuses[0].restartCount]));
      for (const p of now) assert.equal(p.status.containerStatuses[0].restartCount, restarts.get(p.metadata.uid), `${name}/${p.metadata.name} did not restart`);
    }
  });

  it('deletes the Deployment in every member when it is deleted on the gateway', async () => {
    await gw('DELETE', '/apis/apps/v1/namespaces/shop/deployments/web');
    for (const name of members.keys()) {
      await waitFor(`the Deployment gone from ${name}`, async () => {
        const r = await call(memberUrl(name), 'GET', '/apis/apps/v1/namespaces/shop/deployments/web');
        return r.status === 404;
      }, 30_000);
    }
  });

  it('unjoin leaves a member workload running by default and removes it with --purge', async () => {
    await gw('POST', '/apis/apps/v1/namespaces/shop/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'keep' },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'keep' } },
        template: { metadata: { labels: { app: 'keep' } }, spec: { containers: [{ name: 'k', image: 'k', command: [process.execPath, '-e', 'setInterval(()=>{},1000)'], env: [{ name: 'FEDGATE_TEST_RUN', value: RUN }] }] } },
      },
    });
    await gw('POST', '/apis/policy.fedgate.io/v1alpha1/namespaces/shop/propagationpolicies', {
      apiVersion: 'policy.fedgate.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'keep' },
      spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'keep' }], placement: { clusterAffinity: { clusterNames: ['us-east', 'ap-south'] } } },
    });
    for (const name of ['us-east', 'ap-south']) {
      await waitFor(`keep running in ${name}`, async () => (await memberPods(name, 'shop', 'app=keep')).some(isReady), 60_000);
    }
    const orphan = await runFedgate(['unjoin', 'ap-south', '--gateway', gateway.url]);
    assert.equal(orphan.code, 0, orphan.stderr);
    const purge = await runFedgate(['unjoin', 'us-east', '--gateway', gateway.url, '--purge']);
    assert.equal(purge.code, 0, purge.stderr);
    await waitFor('us-east purged', async () => (await memberPods('us-east', 'shop', 'app=keep')).length === 0, 30_000);
    const kept = await memberPods('ap-south', 'shop', 'app=keep');
    assert.equal(kept.length, 1, 'ap-south keeps its workload after a plain unjoin');
    const clusters = (await gw('GET', '/apis/cluster.fedgate.io/v1alpha1/clusters')).items.map((c: Obj) => c.metadata.name);
    assert.deepEqual(clusters, ['eu-west']);
  });
});
