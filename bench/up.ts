/**
 * `fedgate up` startup benchmark: the time from running the command to the summary table
 * with every member Ready, for a fresh data directory (first run: CA, tokens, joins) and
 * for a second run on the same data (identities reused), process runtime, median of a few
 * runs. Each run is stopped with SIGINT to its process group, as Ctrl-C in a terminal does,
 * and the time to stop and the processes left behind are reported too.
 *
 * The command is `npm start -- ...` (what a user types), with every port picked free and the
 * members on their own loopback ranges, so a running federation is not disturbed. Other load on the machine
 * (load average printed) inflates every figure: compare runs of one invocation.
 *
 *   npx tsx bench/up.ts
 *   FEDGATE_BENCH_UP_RUNS=5 FEDGATE_BENCH_UP_MEMBERS=3 FEDGATE_BENCH_UP_RUNTIME=process npx tsx bench/up.ts
 *   FEDGATE_BENCH_UP_COMMAND=node npx tsx bench/up.ts      # node --import tsx cli/main.ts up (no npm)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { descendants, isAlive } from '../test/fixtures/processes.js';
import { formatRow, percentile } from './report.js';

const RUNS = Number(process.env.FEDGATE_BENCH_UP_RUNS ?? 3);
const MEMBERS = Number(process.env.FEDGATE_BENCH_UP_MEMBERS ?? 3);
const RUNTIME = process.env.FEDGATE_BENCH_UP_RUNTIME ?? 'process';
const COMMAND = process.env.FEDGATE_BENCH_UP_COMMAND ?? 'npm';
const TIMEOUT_MS = 180_000;
const root = path.resolve(import.meta.dirname, '..');
const PORTS = ['--listen', '127.0.0.1:0', '--join-listen', '127.0.0.1:0', '--member-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0'];
/** Members on 127.200+ so a federation on the default ranges (127.10+) keeps running meanwhile. */
const MEMBER_OCTET = process.env.FEDGATE_BENCH_UP_OCTET ?? '200';

interface Run {
  /** Spawn → summary table printed (ms). */
  wallMs: number;
  /** What `up` itself printed ("ready in 6.2s"), from its process start (ms). */
  reportedMs: number;
  /** When `up` had its gateway listening, from its process start (ms). */
  gatewayMs: number;
  /** SIGINT → exit (ms). */
  stopMs: number;
  /** Exit code, or the signal it ended by (npm ends by the SIGINT it forwarded). */
  exit: string;
  leftBehind: number;
}

async function runOnce(data: string): Promise<Run> {
  const args = ['up', '--data', data, '--members', String(MEMBERS), '--runtime', RUNTIME, '--member-octet', MEMBER_OCTET, ...PORTS];
  const [cmd, argv] = COMMAND === 'node' ? [process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args]] : ['npm', ['start', '--silent', '--', ...args.slice(1)]];
  const started = performance.now();
  const child = spawn(cmd, argv, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? String(code))));
  try {
    const wallMs = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no summary within ${TIMEOUT_MS} ms:\n${out}`)), TIMEOUT_MS);
      const check = (): void => {
        if (/^stop: Ctrl-C$/m.test(out)) {
          clearTimeout(timer);
          done(performance.now() - started);
        }
      };
      child.stdout!.on('data', check);
      void exited.then(() => fail(new Error(`fedgate up exited:\n${out}`)));
    });
    const ready = / Ready, ready in (\d+\.\d)s/.exec(out);
    if (!ready) throw new Error(`not every member was Ready:\n${out}`);
    const gateway = /^gateway \S+ up after (\d+\.\d)s$/m.exec(out);
    const before = descendants(child.pid!);
    const t = performance.now();
    process.kill(-child.pid!, 'SIGINT');
    const exit = await exited;
    const stopMs = performance.now() - t;
    await new Promise((r) => setTimeout(r, 200));
    return { wallMs, reportedMs: Number(ready[1]) * 1000, gatewayMs: Number(gateway?.[1] ?? NaN) * 1000, stopMs, exit, leftBehind: before.filter(isAlive).length };
  } catch (err) {
    for (const pid of descendants(child.pid!)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
    throw err;
  }
}

function median(values: number[]): number {
  return percentile(values.slice().sort((a, b) => a - b), 50);
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

const rows: string[][] = [];
console.log(`fedgate up: ${MEMBERS} members, ${RUNTIME} runtime, ${RUNS} runs each, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, command: ${COMMAND === 'node' ? 'node --import tsx cli/main.ts up' : 'npm start --'}`);
for (const kind of ['fresh data', 'same data again'] as const) {
  const results: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-bench-up-'));
    try {
      // "same data again": a first run makes the identities, the measured run reuses them.
      if (kind === 'same data again') await runOnce(data);
      const r = await runOnce(data);
      results.push(r);
      console.log(`  ${kind} #${i + 1}: summary after ${fmt(r.wallMs)} (up says ${fmt(r.reportedMs)}, its gateway up at ${fmt(r.gatewayMs)}), stopped in ${fmt(r.stopMs)}, exit ${r.exit}, ${r.leftBehind} processes left`);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
  rows.push([
    kind,
    fmt(median(results.map((r) => r.wallMs))),
    fmt(median(results.map((r) => r.reportedMs))),
    fmt(median(results.map((r) => r.gatewayMs))),
    fmt(median(results.map((r) => r.stopMs))),
    String(results.reduce((n, r) => n + r.leftBehind, 0)),
  ]);
}
const widths = [16, 12, 10, 12, 8, 6];
console.log();
console.log(formatRow(['median of runs', 'to summary', 'up says', 'gateway up', 'stop', 'left'], widths));
for (const row of rows) console.log(formatRow(row, widths));
