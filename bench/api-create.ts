/**
 * REST API create benchmark: ConfigMap creates per second and p50/p99 latency through a
 * gateway process, on each backend, next to the raw store's own create rate measured on the
 * same backend in the same run. The ratio API/store is the figure to watch: it is the cost
 * of HTTP, validation, JSON and the watch cache on top of the store's commit.
 *
 *   npm run bench:api
 *   FEDGATE_BENCH_N=3000 npm run bench:api
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../store/index.js';
import { startEtcd, type EtcdFixture } from '../test/fixtures/etcd.js';
import { startGatewayProcess } from '../test/fixtures/gateway-process.js';
import { formatRow, summarize, type LatencyStats } from './report.js';
import { measureStorePuts } from './store-put.js';

const N = Number(process.env.FEDGATE_BENCH_N ?? 2000);
const CONCURRENCY = [1, 16];
const NAMESPACE = 'bench';

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

/** `n` ConfigMap creates with `concurrency` in flight; a non-201 answer aborts the run. */
async function measureApiCreates(base: string, n: number, concurrency: number, tag: string): Promise<LatencyStats> {
  const url = `${base}/api/v1/namespaces/${NAMESPACE}/configmaps`;
  const payload = 'x'.repeat(470); // about the 512-byte value measureStorePuts writes
  const latencies: number[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      const status = await post(url, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${tag}-${i}` }, data: { payload } });
      latencies[i] = performance.now() - t0;
      if (status !== 201) throw new Error(`create ${tag}-${i} answered ${status}`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize(latencies, (performance.now() - start) / 1000);
}

interface Backend {
  name: string;
  gatewayStore: string;
  rawStore: string;
}

async function benchBackend(b: Backend): Promise<string[][]> {
  const gw = await startGatewayProcess(b.gatewayStore);
  const rows: string[][] = [];
  let raw: Store | undefined;
  try {
    if ((await post(`${gw.url}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } })) !== 201) {
      throw new Error('cannot create the bench namespace');
    }
    await measureApiCreates(gw.url, 200, 8, 'warmup');
    raw = await openStore(b.rawStore);
    for (const c of CONCURRENCY) {
      const api = await measureApiCreates(gw.url, N, c, `c${c}`);
      const store = await measureStorePuts(raw, N, c);
      rows.push([
        b.name,
        String(c),
        api.perSecond.toFixed(0),
        api.p50Ms.toFixed(2),
        api.p99Ms.toFixed(2),
        store.perSecond.toFixed(0),
        store.p50Ms.toFixed(2),
        store.p99Ms.toFixed(2),
        (api.perSecond / store.perSecond).toFixed(2),
      ]);
    }
  } finally {
    await raw?.close();
    await gw.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-bench-api-'));
  let etcd: EtcdFixture | undefined;
  const backends: Backend[] = [
    { name: 'sqlite', gatewayStore: `sqlite:${path.join(dir, 'api.db')}`, rawStore: `sqlite:${path.join(dir, 'raw.db')}` },
  ];
  try {
    etcd = await startEtcd();
    if (etcd) backends.push({ name: 'etcd', gatewayStore: `${etcd.url}?prefix=/api`, rawStore: `${etcd.url}?prefix=/raw` });
    else console.log('etcd not found on PATH: measuring SQLite only');

    const header = ['backend', 'in flight', 'API creates/s', 'API p50 ms', 'API p99 ms', 'store puts/s', 'store p50 ms', 'store p99 ms', 'API/store'];
    const rows: string[][] = [];
    for (const b of backends) rows.push(...(await benchBackend(b)));
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    console.log(`\nConfigMap creates through the REST API vs raw store creates, ${N} each, ${os.cpus().length} cores, Node ${process.version}`);
    for (const r of [header, ...rows]) console.log(formatRow(r, widths));
  } finally {
    await etcd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
