/**
 * Store write benchmark: creates per second and latency percentiles, sequential and with
 * many creates in flight, for each backend and for the watch cache in front of it.
 *
 *   npx tsx bench/store-put.ts            # starts a throwaway etcd on tmpfs if installed
 *   FEDGATE_BENCH_ETCD=etcd://127.0.0.1:2379 npx tsx bench/store-put.ts
 *   FEDGATE_BENCH_N=2000 npx tsx bench/store-put.ts
 *
 * `measureStorePuts` is exported for other benchmarks that need the raw store write rate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WatchCache, openStore, type Store } from '../store/index.js';
import { startEtcd, type EtcdFixture } from '../test/fixtures/etcd.js';
import { formatRow, summarize, type LatencyStats } from './report.js';

/** Result of one measurement. */
export interface PutStats extends LatencyStats {
  concurrency: number;
}

/**
 * Creates `n` keys of ~`valueBytes` each under a fresh prefix, with `concurrency` creates in
 * flight, and reports throughput and latency.
 */
export async function measureStorePuts(store: Store, n: number, concurrency: number, valueBytes = 512): Promise<PutStats> {
  const prefix = `/bench/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
  const value = JSON.stringify({ kind: 'ConfigMap', data: { payload: 'x'.repeat(Math.max(0, valueBytes - 40)) } });
  const latencies: number[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = performance.now();
      await store.create(`${prefix}${String(i).padStart(8, '0')}`, value);
      latencies[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { ...summarize(latencies, (performance.now() - start) / 1000), concurrency };
}

interface Target {
  name: string;
  open(): Promise<Store>;
}

async function main(): Promise<void> {
  const n = Number(process.env.FEDGATE_BENCH_N ?? 1000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-bench-store-'));
  let etcd: EtcdFixture | undefined;
  let etcdUrl = process.env.FEDGATE_BENCH_ETCD;
  try {
    if (!etcdUrl) {
      etcd = await startEtcd();
      etcdUrl = etcd?.url;
    }
    let db = 0;
    const sqlite = (sync: 'FULL' | 'NORMAL') => () => openStore(`sqlite:${path.join(dir, `bench-${++db}.db`)}`, { synchronous: sync });
    const cached = (open: () => Promise<Store>) => async () => {
      const cache = new WatchCache(await open(), { prefix: '/' });
      await cache.start();
      return cache;
    };
    const targets: Target[] = [
      { name: 'sqlite FULL (disk)', open: sqlite('FULL') },
      { name: 'sqlite NORMAL (disk)', open: sqlite('NORMAL') },
      { name: 'cache > sqlite FULL', open: cached(sqlite('FULL')) },
    ];
    if (etcdUrl) {
      const url = etcdUrl;
      let ns = 0;
      const etcdOpen = () => openStore(`${url}?prefix=/bench-${process.pid}-${++ns}`);
      const where = etcd ? 'tmpfs' : url;
      targets.push({ name: `etcd (${where})`, open: etcdOpen }, { name: `cache > etcd (${where})`, open: cached(etcdOpen) });
    } else {
      console.log('etcd: not found on PATH and FEDGATE_BENCH_ETCD unset; skipping etcd rows');
    }

    console.log(`store create benchmark: ${n} creates of ~512-byte values per row; tmp dir ${dir}`);
    const widths = [26, 6, 8, 10, 9, 9, 9];
    console.log(formatRow(['target', 'inflt', 'ops', 'creates/s', 'p50 ms', 'p99 ms', 'max ms'], widths));
    for (const t of targets) {
      for (const concurrency of [1, 16]) {
        const store = await t.open();
        try {
          await measureStorePuts(store, Math.min(50, n), concurrency); // warm-up
          const s = await measureStorePuts(store, n, concurrency);
          console.log(
            formatRow(
              [t.name, String(concurrency), String(s.ops), s.perSecond.toFixed(0), s.p50Ms.toFixed(2), s.p99Ms.toFixed(2), s.maxMs.toFixed(2)],
              widths,
            ),
          );
        } finally {
          await store.close();
        }
      }
    }
  } finally {
    await etcd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
