/**
 * The kubelet with the process runtime, end to end: real processes on pod IPs from the
 * pod CIDR, readiness probes, restarts, volumes at their mountPath (mount namespace) and
 * through env vars (fallback), graceful deletion, and survival of a SIGKILLed member
 * process (pdeathsig + leftover sweep: no orphans, no duplicates, same IPs).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinResources, memberResources, ResourceRegistry, storeKey } from '../../apimachinery/index.js';
import { SharedInformerFactory, silentLogger } from '../../controller/index.js';
import { Kubelet } from '../../member-cluster/kubelet/index.js';
import { cidrContains, IpAllocator, resolveMemberConfig, type MemberConfig, type Node, type Pod, type PodSpec } from '../../member-cluster/index.js';
import { ProcessRuntime, readContainerLog } from '../../member-cluster/runtime/index.js';
import { openStore, type Store } from '../../store/index.js';
import { isAlive } from '../fixtures/processes.js';

const registry = new ResourceRegistry([...builtinResources, ...memberResources]);
const podsResource = registry.resolve('pods')!;
const NODE = 'e2e-node-0';
const MOUNT_PATH = '/etc/fedgate-test-config';
const HTTP_SERVER = "require('http').createServer((q,s)=>s.end(process.env.POD_NAME)).listen(8080, process.env.POD_IP)";

/** Processes whose environment carries POD_NAMESPACE=<ns> (and POD_NAME=<name> when given). */
function podProcesses(namespace: string, name?: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let env: string[];
    try {
      env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z') continue;
    } catch {
      continue;
    }
    if (env.includes(`POD_NAMESPACE=${namespace}`) && (name === undefined || env.includes(`POD_NAME=${name}`))) out.push(Number(entry));
  }
  return out;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Env {
  dir: string;
  store: Store;
  config: MemberConfig;
  namespace: string;
  informers: SharedInformerFactory;
  kubelet?: Kubelet;
}

async function openEnv(podCIDR: string): Promise<Env> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-kubelet-'));
  const store = await openStore(`sqlite:${path.join(dir, 'member.db')}`);
  const config = resolveMemberConfig({ name: 'e2e', dataDir: dir, podCIDR, nodes: 1 });
  return { dir, store, config, namespace: `k-${randomUUID().slice(0, 8)}`, informers: new SharedInformerFactory(store, registry, { logger: silentLogger }) };
}

async function startKubelet(env: Env, runtime = new ProcessRuntime()): Promise<Kubelet> {
  const podIPs = new IpAllocator(env.config.podCIDR, [env.config.serviceCIDR, env.config.externalIP]);
  const kubelet = new Kubelet({ nodeName: NODE, store: env.store, informers: env.informers, registry, config: env.config, runtime, podIPs, crashLoopBaseMs: 200 });
  await kubelet.start();
  env.kubelet = kubelet;
  return kubelet;
}

async function closeEnv(env: Env | undefined): Promise<void> {
  if (!env) return;
  try {
    await env.kubelet?.stop({ stopPods: true });
  } finally {
    killAll(podProcesses(env.namespace));
    env.informers.stop();
    await env.store.close();
    fs.rmSync(env.dir, { recursive: true, force: true });
  }
}

async function createPod(env: Env, name: string, spec: Omit<PodSpec, 'nodeName'>): Promise<Pod> {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: env.namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString(), generation: 1 },
    spec: { ...spec, nodeName: NODE },
  };
  await env.store.create(storeKey(podsResource, env.namespace, name), JSON.stringify(pod));
  return pod;
}

async function getPod(store: Store, namespace: string, name: string): Promise<Pod | undefined> {
  const kv = await store.get(storeKey(podsResource, namespace, name));
  return kv ? (JSON.parse(kv.value) as Pod) : undefined;
}

function isReady(p: Pod | undefined): boolean {
  return p?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

const httpPod = (): Omit<PodSpec, 'nodeName'> => ({
  containers: [
    {
      name: 'web',
      image: 'example/web:1',
      command: [process.execPath, '-e', HTTP_SERVER],
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1 },
    },
  ],
});

function pidOf(p: Pod, container = 0): number {
  const id = p.status!.containerStatuses![container]!.containerID!;
  return Number(id.replace('process://', ''));
}

describe('e2e: kubelet with the process runtime', function () {
  this.timeout(60_000);
  let env: Env | undefined;

  afterEach(async () => {
    await closeEnv(env);
    env = undefined;
    fs.rmSync(MOUNT_PATH, { recursive: true, force: true });
  });

  it('registers its Node with capacity and a Ready heartbeat', async () => {
    env = await openEnv('127.77.0.0/16');
    await startKubelet(env);
    const kv = await env.store.get(storeKey(registry.resolve('nodes')!, undefined, NODE));
    const node = JSON.parse(kv!.value) as Node;
    assert.deepEqual(node.status!.capacity, env.config.nodeCapacity);
    assert.deepEqual(node.status!.allocatable, env.config.nodeCapacity);
    const ready = node.status!.conditions!.find((c) => c.type === 'Ready') as { status: string; lastHeartbeatTime?: string };
    assert.equal(ready.status, 'True');
    assert.ok(ready.lastHeartbeatTime);
    assert.deepEqual(node.status!.addresses, [{ type: 'InternalIP', address: env.config.externalIP }]);
  });

  it('runs two pods on the same port on their own IPs, Ready by httpGet, and restarts a killed container', async () => {
    env = await openEnv('127.77.0.0/16');
    await startKubelet(env);
    const t0 = Date.now();
    await createPod(env, 'web-a', httpPod());
    await createPod(env, 'web-b', httpPod());
    const e = env;
    const running = await waitFor('web-a running', async () => {
      const p = await getPod(e.store, e.namespace, 'web-a');
      return p?.status?.containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const startLatency = Date.now() - t0;
    const a = await waitFor('web-a Ready', async () => {
      const p = await getPod(e.store, e.namespace, 'web-a');
      return isReady(p) ? p : undefined;
    });
    const b = await waitFor('web-b Ready', async () => {
      const p = await getPod(e.store, e.namespace, 'web-b');
      return isReady(p) ? p : undefined;
    });
    console.log(`      pod start latency (create → running): ${startLatency} ms; → Ready: ${Date.now() - t0} ms`);
    assert.ok(running.status!.podIP);
    assert.equal(a.status!.phase, 'Running');
    assert.notEqual(a.status!.podIP, b.status!.podIP);
    for (const p of [a, b]) {
      assert.ok(cidrContains(env.config.podCIDR, p.status!.podIP!), p.status!.podIP);
      const res = await fetch(`http://${p.status!.podIP}:8080/`);
      assert.equal(await res.text(), p.metadata.name);
    }
    assert.equal(podProcesses(env.namespace, 'web-a').length, 1);

    process.kill(pidOf(a), 'SIGKILL');
    const restarted = await waitFor('web-a restarted', async () => {
      const p = await getPod(e.store, e.namespace, 'web-a');
      return p?.status?.containerStatuses?.[0]?.restartCount === 1 && isReady(p) ? p : undefined;
    });
    const cs = restarted.status!.containerStatuses![0]!;
    assert.equal(cs.lastState?.terminated?.exitCode, 137);
    assert.equal(cs.lastState?.terminated?.reason, 'Error');
    assert.equal(restarted.status!.podIP, a.status!.podIP, 'a restart keeps the pod IP');
    assert.equal(await (await fetch(`http://${a.status!.podIP}:8080/`)).text(), 'web-a');
    assert.deepEqual(podProcesses(env.namespace, 'web-a'), [pidOf(restarted)]);
    const logs = await readContainerLog(env.dir, { namespace: env.namespace, name: 'web-a', uid: a.metadata.uid! }, 'web');
    assert.equal(typeof logs, 'string');
  });

  it('a pod whose command exits 0 with restartPolicy Never Succeeds; a missing command is a clear waiting reason', async () => {
    env = await openEnv('127.77.0.0/16');
    await startKubelet(env);
    await createPod(env, 'once', { restartPolicy: 'Never', containers: [{ name: 'main', command: ['sh', '-c', 'echo "hello $POD_NAME on $NODE_NAME"'] }] });
    await createPod(env, 'nocmd', { containers: [{ name: 'main', image: 'nginx:1.27' }] });
    await createPod(env, 'fails', { restartPolicy: 'Never', containers: [{ name: 'main', command: ['sh', '-c', 'exit 3'] }] });
    const e = env;
    const done = await waitFor('once Succeeded', async () => {
      const p = await getPod(e.store, e.namespace, 'once');
      return p?.status?.phase === 'Succeeded' ? p : undefined;
    });
    const t = done.status!.containerStatuses![0]!.state.terminated!;
    assert.equal(t.exitCode, 0);
    assert.equal(t.reason, 'Completed');
    const log = await readContainerLog(env.dir, { namespace: env.namespace, name: 'once', uid: done.metadata.uid! }, 'main');
    assert.equal(log, `hello once on ${NODE}\n`);
    const failed = await waitFor('fails Failed', async () => {
      const p = await getPod(e.store, e.namespace, 'fails');
      return p?.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(failed.status!.containerStatuses![0]!.state.terminated!.exitCode, 3);
    const nocmd = await waitFor('nocmd waiting', async () => {
      const p = await getPod(e.store, e.namespace, 'nocmd');
      return p?.status?.containerStatuses?.[0]?.state.waiting?.reason === 'RunContainerError' ? p : undefined;
    });
    assert.match(nocmd.status!.containerStatuses![0]!.state.waiting!.message!, /runs spec\.containers\[\]\.command; none given/);
    assert.equal(nocmd.status!.phase, 'Pending');
  });

  it('shows a configMap volume at its mountPath (own mount namespace), read-only', async function () {
    if (process.getuid?.() !== 0) this.skip();
    env = await openEnv('127.77.0.0/16');
    const runtime = new ProcessRuntime();
    assert.equal(runtime.mountsAtPath, true);
    await startKubelet(env, runtime);
    const cmKey = storeKey(registry.resolve('configmaps')!, env.namespace, 'cfg');
    await env.store.create(cmKey, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: env.namespace, uid: randomUUID() }, data: { greeting: 'hi from cm' } }));
    await createPod(env, 'reader', {
      restartPolicy: 'Never',
      volumes: [{ name: 'config', configMap: { name: 'cfg' } }],
      containers: [
        {
          name: 'main',
          command: ['sh', '-c', `cat ${MOUNT_PATH}/greeting; echo; touch ${MOUNT_PATH}/x 2>/dev/null && echo writable || echo read-only`],
          volumeMounts: [{ name: 'config', mountPath: MOUNT_PATH }],
        },
      ],
    });
    const e = env;
    const done = await waitFor('reader finished', async () => {
      const p = await getPod(e.store, e.namespace, 'reader');
      return p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed' ? p : undefined;
    });
    const log = await readContainerLog(env.dir, { namespace: env.namespace, name: 'reader', uid: done.metadata.uid! }, 'main');
    assert.equal(log, 'hi from cm\nread-only\n');
    assert.equal(done.status!.phase, 'Succeeded');
    assert.equal(done.status!.conditions!.find((c) => c.type === 'VolumeMountsAtPath')?.status, 'True');
    assert.deepEqual(fs.readdirSync(MOUNT_PATH), [], 'the mount did not leak into the host namespace');
  });

  it('without mount namespaces exports VOLUME_<NAME> and says so in a pod condition', async () => {
    env = await openEnv('127.77.0.0/16');
    await startKubelet(env, new ProcessRuntime({ mountNamespaces: false }));
    await env.store.create(
      storeKey(registry.resolve('secrets')!, env.namespace, 'sec'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: env.namespace, uid: randomUUID() }, data: { token: Buffer.from('s3cret').toString('base64') } }),
    );
    await createPod(env, 'fallback', {
      restartPolicy: 'Never',
      volumes: [{ name: 'my-secret', secret: { secretName: 'sec' } }],
      containers: [{ name: 'main', command: ['sh', '-c', 'cat "$VOLUME_MY_SECRET/token"'], volumeMounts: [{ name: 'my-secret', mountPath: MOUNT_PATH }] }],
    });
    const e = env;
    const done = await waitFor('fallback finished', async () => {
      const p = await getPod(e.store, e.namespace, 'fallback');
      return p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(await readContainerLog(env.dir, { namespace: env.namespace, name: 'fallback', uid: done.metadata.uid! }, 'main'), 's3cret');
    const cond = done.status!.conditions!.find((c) => c.type === 'VolumeMountsAtPath');
    assert.equal(cond?.status, 'False');
    assert.equal(cond?.reason, 'NoMountNamespace');
    assert.match(cond!.message!, /NOT at their mountPath/);
  });

  it('a graceful delete stops the process and removes the pod object', async () => {
    env = await openEnv('127.77.0.0/16');
    await startKubelet(env);
    await createPod(env, 'doomed', { terminationGracePeriodSeconds: 5, containers: [{ name: 'main', command: ['sleep', '300'] }] });
    const e = env;
    const running = await waitFor('doomed running', async () => {
      const p = await getPod(e.store, e.namespace, 'doomed');
      return p?.status?.containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const pid = pidOf(running);
    assert.ok(isAlive(pid));
    const key = storeKey(podsResource, env.namespace, 'doomed');
    const kv = (await env.store.get(key))!;
    const pod = JSON.parse(kv.value) as Pod;
    pod.metadata.deletionTimestamp = new Date().toISOString();
    pod.metadata.deletionGracePeriodSeconds = 5;
    await env.store.update(key, JSON.stringify(pod), kv.modRevision);
    await waitFor('pod object removed', async () => ((await e.store.get(key)) ? undefined : true));
    assert.equal(isAlive(pid), false, 'the container process is gone');
    assert.deepEqual(podProcesses(env.namespace, 'doomed'), []);
  });

  it('a new kubelet kills the containers an abandoned one left running (recorded PIDs), then runs each pod once', async () => {
    env = await openEnv('127.77.0.0/16');
    const first = await startKubelet(env);
    await createPod(env, 'kept', { containers: [{ name: 'main', command: ['sleep', '300'] }] });
    const e = env;
    const running = await waitFor('kept running', async () => {
      const p = await getPod(e.store, e.namespace, 'kept');
      return p?.status?.containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const oldPid = pidOf(running);
    await first.stop({ stopPods: false });
    assert.ok(isAlive(oldPid), 'stopPods: false leaves the container running');
    env.kubelet = undefined;
    await startKubelet(env);
    const again = await waitFor('kept restarted', async () => {
      const p = await getPod(e.store, e.namespace, 'kept');
      const cs = p?.status?.containerStatuses?.[0];
      return cs?.state.running && cs.restartCount === 1 ? p : undefined;
    });
    assert.equal(isAlive(oldPid), false, 'the leftover process was killed');
    assert.deepEqual(podProcesses(env.namespace, 'kept'), [pidOf(again)]);
    assert.equal(again.status!.podIP, running.status!.podIP);
  });

  it('containers die with a SIGKILLed member process and run again, once, on the same IPs after it restarts', async () => {
    env = await openEnv('127.78.0.0/16');
    const e = env;
    const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'member-kubelet-process.ts');
    const children: ChildProcess[] = [];
    const startMember = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, e.dir, '127.78.0.0/16', NODE], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`member process exited with ${code}`)));
      });
      return child;
    };
    try {
      let member = await startMember();
      await createPod(env, 'web-a', httpPod());
      await createPod(env, 'web-b', httpPod());
      const before = new Map<string, Pod>();
      for (const name of ['web-a', 'web-b']) {
        before.set(
          name,
          await waitFor(`${name} Ready`, async () => {
            const p = await getPod(e.store, e.namespace, name);
            return isReady(p) ? p : undefined;
          }),
        );
      }
      const oldPids = [...before.values()].map((p) => pidOf(p));
      const exited = new Promise((r) => member.once('exit', r));
      member.kill('SIGKILL');
      await exited;
      // A process leaving has no readable environ a moment before it stops running: wait for both.
      await waitFor(
        'containers died with the member (pdeathsig)',
        () => (podProcesses(e.namespace).length === 0 && oldPids.every((pid) => !isAlive(pid)) ? true : undefined),
        5000,
      );

      member = await startMember();
      for (const [name, old] of before) {
        const p = await waitFor(`${name} Ready again`, async () => {
          const cur = await getPod(e.store, e.namespace, name);
          return isReady(cur) && cur?.status?.containerStatuses?.[0]?.restartCount === 1 ? cur : undefined;
        });
        assert.equal(p.status!.podIP, old.status!.podIP, `${name} keeps its IP`);
        const cs = p.status!.containerStatuses![0]!;
        assert.equal(cs.lastState?.terminated?.reason, 'Unknown');
        assert.equal(cs.lastState?.terminated?.message, 'the member restarted');
        assert.equal(await (await fetch(`http://${p.status!.podIP}:8080/`)).text(), name);
        assert.equal(podProcesses(e.namespace, name).length, 1, `exactly one process for ${name}`);
      }
      // A graceful stop of the member leaves the containers to the next member process, which adopts none twice.
      const stopped = new Promise((r) => member.once('exit', r));
      member.kill('SIGTERM');
      await stopped;
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      killAll(podProcesses(e.namespace));
    }
  });
});
