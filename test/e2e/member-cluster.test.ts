/**
 * A member cluster as a user runs it: `fedgate member` as a real process with the process
 * runtime, driven through its local API. Workloads are real OS processes on loopback
 * addresses; every one of them carries an environment marker so the test can count them
 * and never leaves one behind.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMemberProcess, type FedgateProcess } from '../fixtures/gateway-process.js';
import { waitFor } from '../fixtures/wait.js';
import { isAlive, killProcessesWithEnv, processesWithEnv } from '../fixtures/processes.js';

const POD_CIDR = '127.91.0.0/16';
const EXTERNAL_IP = '127.91.0.1';
const RUN = randomUUID();
const MARKER = { FEDGATE_TEST_RUN: RUN };
const NODE = process.execPath;
const HTTP_SERVER = "require('http').createServer((q,s)=>s.end(process.env.POD_NAME)).listen(8080, process.env.POD_IP)";

type Obj = any;

/** GET over a fresh connection (no keep-alive), so a proxy sees one connection per request. */
function getFresh(host: string, port: number): Promise<string> {
  return new Promise((done, fail) => {
    const req = http.get({ host, port, path: '/', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => done(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
  });
}

function container(name: string, script: string, extra: Obj = {}): Obj {
  return {
    name,
    image: `node:${process.versions.node}`,
    command: [NODE, '-e', script],
    env: [{ name: 'FEDGATE_TEST_RUN', value: RUN }],
    ...extra,
  };
}

const isReady = (p: Obj): boolean => (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
const pidOf = (p: Obj, i = 0): number => Number(String(p.status?.containerStatuses?.[i]?.containerID ?? '').replace('process://', ''));

describe('member cluster (fedgate member, process runtime)', function () {
  this.timeout(240_000);
  let dir: string;
  let member: FedgateProcess | undefined;

  const memberArgs = (): string[] => [
    '--name', 'eu-west', '--data', dir, '--pod-cidr', POD_CIDR, '--external-ip', EXTERNAL_IP,
    '--nodes', '3', '--node-capacity', 'cpu=4,memory=8Gi,pods=110', '--runtime', 'process', '--listen', '127.0.0.1:0',
  ];

  async function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Obj }> {
    const res = await fetch(`${member!.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function ok(method: string, path: string, body?: unknown, contentType?: string): Promise<Obj> {
    const r = await api(method, path, body, contentType);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  const pods = async (ns: string, selector: string): Promise<Obj[]> =>
    (await ok('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`)).items.filter(
      (p: Obj) => !p.metadata.deletionTimestamp,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-member-'));
    member = await startMemberProcess(memberArgs());
  });

  after(async () => {
    if (member) await member.stop(15_000);
    const left = killProcessesWithEnv(MARKER);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(left, 0, `${left} pod processes were still running after the member stopped`);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && member) {
      console.log(member.logs.slice(-40).join('\n'));
      console.log(member.stderr.slice(-20).join('\n'));
    }
  });

  it('runs a Deployment of 3 HTTP servers behind a LoadBalancer Service', async () => {
    await ok('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              container('web', HTTP_SERVER, {
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              }),
            ],
          },
        },
      },
    });
    await ok('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const ready = await waitFor('3 ready pods', async () => {
      const list = await pods('default', 'app=web');
      return list.length === 3 && list.every(isReady) ? list : undefined;
    });
    const ips = new Set(ready.map((p: Obj) => p.status.podIP));
    assert.equal(ips.size, 3, 'each pod has its own IP');
    for (const ip of ips) assert.match(String(ip), /^127\.91\./);

    const svc = await waitFor('the LoadBalancer address', async () => {
      const s = await ok('GET', '/api/v1/namespaces/default/services/web');
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    });
    assert.equal(svc.status.loadBalancer.ingress[0].ip, EXTERNAL_IP);
    await waitFor('3 ready endpoints', async () => {
      const ep = (await api('GET', '/api/v1/namespaces/default/endpoints/web')).body;
      return (ep?.subsets?.[0]?.addresses?.length ?? 0) === 3;
    });
    const seen = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const name = await getFresh(EXTERNAL_IP, 80);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), ready.map((p: Obj) => p.metadata.name).sort(), `30 requests reached ${JSON.stringify([...seen])}`);
  });

  it('restarts a killed container (restartCount 1)', async () => {
    const [victim] = await pods('default', 'app=web');
    const pid = pidOf(victim);
    assert.ok(pid > 0 && isAlive(pid), `pod ${victim.metadata.name} runs as pid ${pid}`);
    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor('the container to restart and be ready', async () => {
      const p = await ok('GET', `/api/v1/namespaces/default/pods/${victim.metadata.name}`);
      return p.status?.containerStatuses?.[0]?.restartCount === 1 && isReady(p) ? p : undefined;
    });
    assert.notEqual(pidOf(restarted), pid);
    assert.equal(restarted.status.containerStatuses[0].lastState?.terminated !== undefined, true);
  });

  it('scales down to 1, stopping two processes', async () => {
    const before = await pods('default', 'app=web');
    const pids = before.map((p: Obj) => pidOf(p));
    await ok('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 1 } }, 'application/merge-patch+json');
    const after = await waitFor('one pod left', async () => {
      const all = (await ok('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items;
      return all.length === 1 ? all : undefined;
    });
    const stopped = pids.filter((pid: number) => pid !== pidOf(after[0]));
    assert.equal(stopped.length, 2);
    await waitFor('the two processes to exit', async () => stopped.every((pid: number) => !isAlive(pid)), 15_000);
    assert.equal(processesWithEnv({ ...MARKER, POD_NAMESPACE: 'default' }).length, 1);
  });

  it('rolls out a template change with never zero ready pods (maxUnavailable 0)', async () => {
    await ok('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 2 } }, 'application/merge-patch+json');
    await waitFor('2 ready pods', async () => {
      const list = await pods('default', 'app=web');
      return list.length === 2 && list.every(isReady);
    });
    const patched = await ok('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', [
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'VERSION', value: '2' } },
    ], 'application/json-patch+json');
    let minReady = Infinity;
    await waitFor('the rollout to finish', async () => {
      const all = (await ok('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items;
      minReady = Math.min(minReady, all.filter(isReady).length);
      const d = await ok('GET', '/apis/apps/v1/namespaces/default/deployments/web');
      const done =
        d.status?.observedGeneration === patched.metadata.generation &&
        d.status?.updatedReplicas === 2 &&
        d.status?.readyReplicas === 2 &&
        d.status?.replicas === 2 &&
        all.length === 2 &&
        all.every((p: Obj) => p.spec.containers[0].env.some((e: Obj) => e.name === 'VERSION' && e.value === '2'));
      return done;
    }, 60_000, 50);
    assert.ok(minReady >= 1, `ready pods dropped to ${minReady} during the rollout`);
  });

  it('runs a Job to completion with completions 3 / parallelism 2, and stops a failing one at its backoffLimit', async () => {
    await ok('POST', '/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'count' },
      spec: {
        completions: 3,
        parallelism: 2,
        template: { spec: { restartPolicy: 'Never', containers: [container('c', 'setTimeout(() => {}, 300)')] } },
      },
    });
    await ok('POST', '/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'fail' },
      spec: {
        backoffLimit: 1,
        template: { spec: { restartPolicy: 'Never', containers: [container('c', 'process.exit(3)')] } },
      },
    });
    let maxActive = 0;
    const done = await waitFor('the Job to complete', async () => {
      const j = await ok('GET', '/apis/batch/v1/namespaces/default/jobs/count');
      maxActive = Math.max(maxActive, j.status?.active ?? 0);
      return (j.status?.conditions ?? []).some((c: Obj) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    }, 60_000, 50);
    assert.equal(done.status.succeeded, 3);
    assert.ok(maxActive <= 2, `at most 2 pods at once, saw ${maxActive}`);
    const failed = await waitFor('the failing Job to fail', async () => {
      const j = await ok('GET', '/apis/batch/v1/namespaces/default/jobs/fail');
      return (j.status?.conditions ?? []).some((c: Obj) => c.type === 'Failed' && c.status === 'True') ? j : undefined;
    }, 90_000);
    assert.equal(failed.status.conditions.find((c: Obj) => c.type === 'Failed').reason, 'BackoffLimitExceeded');
    assert.equal(failed.status.failed, 2);
  });

  it('runs one DaemonSet pod per node', async () => {
    await ok('POST', '/apis/apps/v1/namespaces/default/daemonsets', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [container('a', 'setInterval(() => {}, 1000)')] } },
      },
    });
    const list = await waitFor('3 running agent pods', async () => {
      const all = await pods('default', 'app=agent');
      return all.length === 3 && all.every((p: Obj) => p.status?.phase === 'Running') ? all : undefined;
    });
    assert.deepEqual(list.map((p: Obj) => p.spec.nodeName).sort(), ['eu-west-node-0', 'eu-west-node-1', 'eu-west-node-2']);
  });

  it('starts a StatefulSet in order and keeps a PVC across pod deletion', async () => {
    await ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sts' } });
    const script =
      "const fs=require('fs');fs.appendFileSync('/mnt/fedgate-e2e-sts/starts', process.env.POD_NAME+'\\n');" +
      "require('http').createServer((q,s)=>s.end(fs.readFileSync('/mnt/fedgate-e2e-sts/starts'))).listen(8080, process.env.POD_IP)";
    await ok('POST', '/apis/apps/v1/namespaces/sts/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        serviceName: 'web',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [
              container('db', script, {
                volumeMounts: [{ name: 'data', mountPath: '/mnt/fedgate-e2e-sts' }],
                readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
              }),
            ],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    // Ordered start: a pod appears only once every lower ordinal is ready.
    const order: string[] = [];
    await waitFor('web-0..2 ready', async () => {
      const all = await pods('sts', 'app=db');
      const byName = new Map(all.map((p: Obj) => [p.metadata.name, p]));
      for (let i = 1; i < 3; i++) {
        if (byName.has(`web-${i}`) && !order.includes(`web-${i}`)) {
          for (let j = 0; j < i; j++) assert.ok(isReady(byName.get(`web-${j}`)), `web-${i} appeared before web-${j} was ready`);
        }
      }
      for (const name of byName.keys()) if (!order.includes(name as string)) order.push(name as string);
      return all.length === 3 && all.every(isReady);
    }, 60_000, 50);
    assert.deepEqual(order, ['web-0', 'web-1', 'web-2']);
    const claim = await ok('GET', '/api/v1/namespaces/sts/persistentvolumeclaims/data-web-1');
    assert.equal(claim.status?.phase, 'Bound');
    const uid = (await ok('GET', '/api/v1/namespaces/sts/pods/web-1')).metadata.uid;
    await ok('DELETE', '/api/v1/namespaces/sts/pods/web-1');
    const again = await waitFor('web-1 to come back ready', async () => {
      const p = (await api('GET', '/api/v1/namespaces/sts/pods/web-1')).body;
      return p?.metadata?.uid && p.metadata.uid !== uid && isReady(p) ? p : undefined;
    }, 60_000);
    const body = await fetch(`http://${again.status.podIP}:8080/`).then((r) => r.text());
    assert.deepEqual(body.trim().split('\n'), ['web-1', 'web-1'], 'the file written before the deletion survived on the PVC');
    const onDisk = join(dir, 'pvc', 'sts', 'data-web-1', 'starts');
    assert.ok(existsSync(onDisk), `${onDisk} exists`);
    assert.equal(readFileSync(onDisk, 'utf8'), 'web-1\nweb-1\n');
  });

  it('keeps a pod that fits no node Pending with a clear reason', async () => {
    await ok('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'huge' },
      spec: { containers: [container('h', 'setInterval(() => {}, 1000)', { resources: { requests: { cpu: '64' } } })] },
    });
    const cond = await waitFor('PodScheduled=False', async () => {
      const p = await ok('GET', '/api/v1/namespaces/default/pods/huge');
      return (p.status?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled' && c.status === 'False');
    });
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message, /0\/3 nodes are available: 3 Insufficient cpu/);
    const p = await ok('GET', '/api/v1/namespaces/default/pods/huge');
    assert.equal(p.status.phase, 'Pending');
    assert.equal(p.spec.nodeName, undefined);
  });

  it('survives SIGKILL of the member: objects kept, workloads running again, no duplicate processes', async () => {
    const running = async (): Promise<Obj[]> =>
      [...(await pods('default', 'app in (web,agent)')), ...(await pods('sts', 'app=db'))];
    const beforePods = await running();
    assert.equal(beforePods.length, 2 + 3 + 3);
    const beforePids = beforePods.map((p: Obj) => pidOf(p));
    const deploymentsBefore = (await ok('GET', '/apis/apps/v1/namespaces/default/deployments')).items.map((d: Obj) => d.metadata.uid);

    await member!.kill();
    await waitFor('pod processes to die with the member', async () => beforePids.every((pid: number) => !isAlive(pid)), 10_000);

    member = await startMemberProcess(memberArgs());
    const deploymentsAfter = (await ok('GET', '/apis/apps/v1/namespaces/default/deployments')).items.map((d: Obj) => d.metadata.uid);
    assert.deepEqual(deploymentsAfter, deploymentsBefore);
    const afterPods = await waitFor('every workload running and ready again', async () => {
      const all = await running();
      return all.length === beforePods.length && all.every((p: Obj) => p.status?.phase === 'Running' && pidOf(p) > 0 && isAlive(pidOf(p)))
        ? all
        : undefined;
    }, 60_000);
    // The same pods (same uids and addresses), not new ones, and exactly one process each.
    assert.deepEqual(afterPods.map((p: Obj) => p.metadata.uid).sort(), beforePods.map((p: Obj) => p.metadata.uid).sort());
    for (const p of afterPods) {
      const before = beforePods.find((b: Obj) => b.metadata.uid === p.metadata.uid);
      assert.equal(p.status.podIP, before.status.podIP, `${p.metadata.name} kept its IP`);
      const procs = processesWithEnv({ ...MARKER, POD_NAME: p.metadata.name, POD_NAMESPACE: p.metadata.namespace });
      assert.equal(procs.length, 1, `${p.metadata.namespace}/${p.metadata.name} runs as ${procs.length} processes`);
    }
    assert.equal(processesWithEnv(MARKER).length, afterPods.length);
  });
});
