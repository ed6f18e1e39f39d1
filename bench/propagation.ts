/**
 * Propagation benchmark: a real gateway process and N simulated members in this process,
 * each joined with its own bootstrap token and connected over mutual TLS. A simulated member
 * is a member's store plus its agent (the part that applies, acks and reports), without the
 * pod control plane, whose cost `bench/member-pods.ts` measures on its own.
 *
 * - propagation latency: a ConfigMap created on the gateway → stored in every member
 *   (applied and acknowledged), p50/p99, for 3, 10, 50 and 100 members;
 * - resync: 5,000 ConfigMaps placed on 3 members, the gateway SIGKILLed and restarted: time
 *   until every member has finished its full resync.
 *
 *   npx tsx bench/propagation.ts
 *   FEDGATE_BENCH_CLUSTERS=3,10 FEDGATE_BENCH_RESYNC=1000 npx tsx bench/propagation.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createBootstrapToken } from '../cli/commands/token.js';
import { GatewayConnection, joinGateway, loadMemberCredentials, MemberAgent, MemberCluster } from '../member-cluster/index.js';
import { openStore, type Store } from '../store/index.js';
import { startGatewayProcess, type FedgateProcess } from '../test/fixtures/gateway-process.js';
import { formatRow, summarize } from './report.js';

const CLUSTER_COUNTS = (process.env.FEDGATE_BENCH_CLUSTERS ?? '3,10,50,100').split(',').map(Number);
const OBJECTS = Number(process.env.FEDGATE_BENCH_OBJECTS ?? 30);
const RESYNC_OBJECTS = Number(process.env.FEDGATE_BENCH_RESYNC ?? 5000);
const logger = pino({ level: 'error' });
const CM_PREFIX = '/registry/core/configmaps/bench/';

interface SimMember {
  name: string;
  store: Store;
  agent: MemberAgent;
  connection: GatewayConnection;
  /** When each ConfigMap name first appeared in this member's store. */
  seen: Map<string, number>;
  stopWatch: () => void;
}

const capacity = () => ({
  capacity: { cpu: '16', memory: '64Gi', pods: '440' },
  allocatable: { cpu: '16', memory: '64Gi', pods: '440' },
  available: { cpu: '16', memory: '64Gi', pods: '440' },
  nodes: { ready: 4, total: 4 },
  services: [],
});

async function call(base: string, method: string, p: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function startMember(gw: FedgateProcess, dir: string, name: string): Promise<SimMember> {
  const dataDir = path.join(dir, name);
  const token = await createBootstrapToken(gw.url, 600);
  await joinGateway({ gatewayJoinAddress: String(gw.info['joinAddress']), token: token.token, clusterName: name, dataDir, caHash: String(gw.info['caHash']), region: 'bench' });
  const credentials = loadMemberCredentials(dataDir);
  const store = await openStore('sqlite::memory:');
  const agent = new MemberAgent({ store, registry: MemberCluster.registry(), clusterName: name, capacity, logger });
  const seen = new Map<string, number>();
  const stopWatch = store.watch(CM_PREFIX, 0, (e) => {
    if (e.type === 'create') seen.set(e.kv.key.slice(CM_PREFIX.length), performance.now());
  }, () => {});
  const connection = new GatewayConnection({
    memberAddress: String(gw.info['memberAddress']),
    clusterName: name,
    credentials,
    onStream: (s) => agent.attach(s),
    lastAppliedSeq: () => agent.lastAppliedSeq,
    logger,
  });
  connection.start();
  return { name, store, agent, connection, seen, stopWatch };
}

async function stopMember(m: SimMember): Promise<void> {
  m.stopWatch();
  await m.connection.stop();
  await m.agent.stop();
  await m.store.close();
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function allReady(gw: FedgateProcess, n: number): Promise<boolean> {
  const list = (await call(gw.url, 'GET', '/apis/cluster.fedgate.io/v1alpha1/clusters')).items as any[];
  return list.length === n && list.every((c) => (c.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True'));
}

async function setUpFederation(gw: FedgateProcess): Promise<void> {
  await call(gw.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  await call(gw.url, 'POST', '/apis/policy.fedgate.io/v1alpha1/clusterpropagationpolicies', {
    apiVersion: 'policy.fedgate.io/v1alpha1',
    kind: 'ClusterPropagationPolicy',
    metadata: { name: 'everywhere' },
    spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bench' }], placement: { clusterAffinity: { labelSelector: {} } } },
  });
}

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: 'x'.repeat(200) } });

async function propagationLatency(n: number): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fedgate-bench-prop-${n}-`));
  const gw = await startGatewayProcess(`sqlite:${path.join(dir, 'gateway', 'fedgate.db')}`);
  const members: SimMember[] = [];
  try {
    await setUpFederation(gw);
    for (let i = 0; i < n; i++) members.push(await startMember(gw, dir, `sim-${String(i).padStart(3, '0')}`));
    await until(`${n} Ready clusters`, () => allReady(gw, n));
    const latencies: number[] = [];
    for (let i = 0; i < OBJECTS; i++) {
      const name = `lat-${i}`;
      const t0 = performance.now();
      await call(gw.url, 'POST', '/api/v1/namespaces/bench/configmaps', configMap(name));
      await until(`${name} in every member`, () => members.every((m) => m.seen.has(name)), 60_000);
      latencies.push(Math.max(...members.map((m) => m.seen.get(name)!)) - t0);
    }
    const s = summarize(latencies, 1);
    return [String(n), String(OBJECTS), s.p50Ms.toFixed(1), s.p99Ms.toFixed(1), s.maxMs.toFixed(1)];
  } finally {
    await Promise.all(members.map(stopMember));
    await gw.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function resyncAfterRestart(n: number, objects: number): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-bench-resync-'));
  const storeUrl = `sqlite:${path.join(dir, 'gateway', 'fedgate.db')}`;
  let gw = await startGatewayProcess(storeUrl);
  const members: SimMember[] = [];
  try {
    await setUpFederation(gw);
    for (let i = 0; i < n; i++) members.push(await startMember(gw, dir, `sim-${i}`));
    await until(`${n} Ready clusters`, () => allReady(gw, n));
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < objects; i = next++) await call(gw.url, 'POST', '/api/v1/namespaces/bench/configmaps', configMap(`cm-${i}`));
      }),
    );
    await until(`${objects} objects in every member`, () => members.every((m) => m.seen.size >= objects));
    const before = members.map((m) => m.agent.lastPruneResult);
    const ports = ['--join-listen', String(gw.info['joinAddress']), '--member-listen', String(gw.info['memberAddress'])];
    await gw.kill();
    const t0 = performance.now();
    gw = await startGatewayProcess(storeUrl, ports);
    const listening = performance.now() - t0;
    await until('every member resynced', () => members.every((m, i) => m.agent.lastPruneResult !== undefined && m.agent.lastPruneResult !== before[i]));
    const total = performance.now() - t0;
    return [String(n), String(objects), (listening / 1000).toFixed(2), (total / 1000).toFixed(2)];
  } finally {
    await Promise.all(members.map(stopMember));
    await gw.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`propagation benchmark: ${os.cpus().length} cores, Node ${process.version}; gateway in a child process, simulated members (store + agent) in this one`);
  const widths = [10, 8, 10, 10, 10];
  console.log(formatRow(['members', 'objects', 'p50 ms', 'p99 ms', 'max ms'], widths));
  for (const n of CLUSTER_COUNTS) console.log(formatRow(await propagationLatency(n), widths));
  const rw = [10, 8, 22, 22];
  console.log(formatRow(['members', 'objects', 'gateway up after (s)', 'all resynced after (s)'], rw));
  console.log(formatRow(await resyncAfterRestart(3, RESYNC_OBJECTS), rw));
}

await main();
