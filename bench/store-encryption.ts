/**
 * Cost of encrypting Secrets at rest: creates of Secret-sized values per second on SQLite
 * with and without the `EncryptingStore` (AES-256-GCM), sequential and 16 in flight, with
 * synchronous=FULL (the default: fsync-bound) and NORMAL (shows the CPU cost more plainly),
 * plus reads (get, which decrypts) and the bare seal/open rate.
 *
 *   npx tsx bench/store-encryption.ts
 *   FEDGATE_BENCH_N=5000 FEDGATE_BENCH_VALUE_BYTES=4096 npx tsx bench/store-encryption.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EncryptingStore, generateEncryptionKey, openStore, type Store } from '../store/index.js';
import { EnvelopeCipher } from '../store/encryption-envelope.js';
import { formatRow, summarize, type LatencyStats } from './report.js';

const SECRETS = '/registry/core/secrets/';

function secretValue(bytes: number): string {
  const payload = Buffer.alloc(Math.max(1, Math.floor(((bytes - 160) * 3) / 4)), 0x5a).toString('base64');
  return JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench', namespace: 'bench' }, type: 'Opaque', data: { payload } });
}

async function timed(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<LatencyStats> {
  const latencies: number[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = performance.now();
      await op(i);
      latencies[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize(latencies, (performance.now() - start) / 1000);
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians over rounds of one measurement. */
interface Medians {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function medians(runs: LatencyStats[]): Medians {
  return { perSecond: median(runs.map((r) => r.perSecond)), p50Ms: median(runs.map((r) => r.p50Ms)), p99Ms: median(runs.map((r) => r.p99Ms)) };
}

async function main(): Promise<void> {
  const n = Number(process.env.FEDGATE_BENCH_N ?? 2000);
  const rounds = Math.max(1, Number(process.env.FEDGATE_BENCH_ROUNDS ?? 3));
  const valueBytes = Number(process.env.FEDGATE_BENCH_VALUE_BYTES ?? 1024);
  const value = secretValue(valueBytes);
  const keys = [generateEncryptionKey('bench')];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-bench-enc-'));
  let db = 0;
  const name = (i: number): string => `${SECRETS}b/${String(i).padStart(8, '0')}`;
  try {
    console.log(`Secret encryption at rest: ${n} ops per run, values of ${value.length} bytes, median of ${rounds} rounds`);
    console.log('(plain and encrypted runs alternate, so machine noise hits both alike; compare within a row pair)');
    const widths = [32, 5, 9, 9, 9, 8];
    console.log(formatRow(['operation', 'inflt', 'ops/s', 'p50 ms', 'p99 ms', 'vs plain'], widths));
    const print = (label: string, concurrency: number, m: Medians, base?: Medians): void =>
      console.log(
        formatRow(
          [label, String(concurrency), m.perSecond.toFixed(0), m.p50Ms.toFixed(3), m.p99Ms.toFixed(3), base ? `${((m.perSecond / base.perSecond) * 100).toFixed(0)}%` : ''],
          widths,
        ),
      );

    for (const sync of ['FULL', 'NORMAL'] as const) {
      for (const concurrency of [1, 16]) {
        const creates: Record<'plain' | 'encrypted', LatencyStats[]> = { plain: [], encrypted: [] };
        const gets: Record<'plain' | 'encrypted', LatencyStats[]> = { plain: [], encrypted: [] };
        for (let round = 0; round < rounds; round++) {
          const order = round % 2 === 0 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const);
          for (const mode of order) {
            const backend = await openStore(`sqlite:${path.join(dir, `bench-${++db}.db`)}`, { synchronous: sync });
            const store: Store = mode === 'encrypted' ? new EncryptingStore(backend, { keys }) : backend;
            try {
              await timed(Math.min(100, n), concurrency, (i) => store.create(`${SECRETS}warm/${i}`, value));
              creates[mode].push(await timed(n, concurrency, (i) => store.create(name(i), value)));
              if (concurrency === 1) gets[mode].push(await timed(n, 1, (i) => store.get(name(i))));
            } finally {
              await store.close();
            }
          }
        }
        const plain = medians(creates.plain);
        print(`create  plain      sqlite ${sync}`, concurrency, plain);
        print(`create  encrypted  sqlite ${sync}`, concurrency, medians(creates.encrypted), plain);
        if (concurrency === 1) {
          const plainGets = medians(gets.plain);
          print(`get     plain      sqlite ${sync}`, 1, plainGets);
          print(`get     encrypted  sqlite ${sync}`, 1, medians(gets.encrypted), plainGets);
        }
      }
    }

    const cipher = new EnvelopeCipher(keys);
    const key = `${SECRETS}bench/x`;
    const sealed = cipher.seal(key, value);
    const seals: LatencyStats[] = [];
    const opens: LatencyStats[] = [];
    for (let round = 0; round < rounds; round++) {
      seals.push(await timed(n * 5, 1, async () => cipher.seal(key, value)));
      opens.push(await timed(n * 5, 1, async () => cipher.open(key, sealed)));
    }
    print('seal alone (no store)', 1, medians(seals));
    print('open alone (no store)', 1, medians(opens));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
