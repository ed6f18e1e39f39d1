/**
 * Member cluster benchmark: pod start latency (create through the local API → Ready) with
 * the process runtime, and how many simulated pods one member brings up per second (a
 * Deployment scaled from 0 to N: controllers, scheduler and kubelets all on the path).
 *
 *   npx tsx bench/member-pods.ts
 *   FEDGATE_BENCH_PODS=40 FEDGATE_BENCH_SIMULATED=2000 npx tsx bench/member-pods.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Gateway } from '../gateway/index.js';
import { MemberCluster, resolveMemberConfig, type RuntimeName } from '../member-cluster/index.js';
import { openStore } from '../store/index.js';
import { formatRow, summarize } from './report.js';

const PROCESS_PODS = Number(process.env.FEDGATE_BENCH_PODS ?? 30);
const SIMULATED_PODS = Number(process.env.FEDGATE_BENCH_SIMULATED ?? 1000);

interface Harness {
  url: string;
  stop(): Promise<void>;
}

async function startMember(runtime: RuntimeName, octet: number, nodes: number, podsPerNode: number): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fedgate-bench-member-${runtime}-`));
  const store = await openStore(`sqlite:${path.join(dir, 'member.db')}`);
  const logger = pino({ level: 'warn' });
  const config = resolveMemberConfig({
    name: `bench-${runtime}`,
    dataDir: dir,
    podCIDR: `127.${octet}.0.0/16`,
    nodes,
    nodeCapacity: { cpu: '64', memory: '256Gi', pods: String(podsPerNode) },
    runtime,
  });
  const member = new MemberCluster({ store, config, logger });
  const gateway = new Gateway({ store, logger, registry: member.registry, listen: { host: '127.0.0.1', port: 0 } });
  await gateway.start();
  await member.start();
  return {
    url: gateway.url,
    async stop() {
      await member.stop({ stopPods: true });
      await gateway.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function call(url: string, method: string, body?: unknown, type = 'application/json'): Promise<any> {
  const res = await fetch(url, { method, headers: body ? { 'content-type': type } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const isReady = (p: any): boolean => (p?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** Creates pods one after another and times each from the create call to Ready (seen by a watch). */
async function podStartLatency(h: Harness, n: number): Promise<number[]> {
  const latencies: number[] = [];
  const pods = `${h.url}/api/v1/namespaces/default/pods`;
  for (let i = 0; i < n; i++) {
    const name = `lat-${i}`;
    const t0 = performance.now();
    const created = await call(pods, 'POST', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'node', command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'] }] },
    });
    // Watch from the create's revision until the pod reports Ready.
    const res = await fetch(`${pods}?watch=true&fieldSelector=metadata.name%3D${name}&resourceVersion=${created.metadata.resourceVersion}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (let ready = false; !ready; ) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`watch of ${name} ended before Ready`);
      buf += decoder.decode(value, { stream: true });
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const event = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (isReady(event.object)) ready = true;
      }
    }
    latencies.push(performance.now() - t0);
    await reader.cancel();
    await call(`${pods}/${name}`, 'DELETE');
  }
  return latencies;
}

/** Scales a Deployment from 0 to n simulated replicas; returns seconds until all are ready. */
async function simulatedRamp(h: Harness, n: number): Promise<number> {
  const deployments = `${h.url}/apis/apps/v1/namespaces/default/deployments`;
  const t0 = performance.now();
  await call(deployments, 'POST', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ramp' },
    spec: {
      replicas: n,
      selector: { matchLabels: { app: 'ramp' } },
      template: { metadata: { labels: { app: 'ramp' } }, spec: { containers: [{ name: 'c', image: 'sim' }] } },
    },
  });
  for (;;) {
    const d = await call(`${deployments}/ramp`, 'GET');
    if (d.status?.readyReplicas === n) return (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  console.log(`member benchmark: ${os.cpus().length} cores, Node ${process.version}`);
  const proc = await startMember('process', 93, 3, 110);
  try {
    await podStartLatency(proc, 3); // warm-up
    const s = summarize(await podStartLatency(proc, PROCESS_PODS), 1);
    const widths = [36, 8, 10, 10, 10];
    console.log(formatRow(['pod start, create → Ready', 'pods', 'p50 ms', 'p99 ms', 'max ms'], widths));
    console.log(formatRow(['process runtime (sequential)', String(s.ops), s.p50Ms.toFixed(1), s.p99Ms.toFixed(1), s.maxMs.toFixed(1)], widths));
  } finally {
    await proc.stop();
  }
  const sim = await startMember('simulated', 94, 10, Math.ceil(SIMULATED_PODS / 10) + 10);
  try {
    const seconds = await simulatedRamp(sim, SIMULATED_PODS);
    const widths = [36, 8, 10, 10];
    console.log(formatRow(['simulated Deployment 0 → N ready', 'pods', 'seconds', 'pods/s'], widths));
    console.log(formatRow(['10 nodes, one member', String(SIMULATED_PODS), seconds.toFixed(2), (SIMULATED_PODS / seconds).toFixed(0)], widths));
  } finally {
    await sim.stop();
  }
}

await main();
