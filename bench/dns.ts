/**
 * DNS benchmark: dnsperf against fedgate's DnsServer (in a child process, over the real
 * ZoneView and a SQLite store), BIND 9 and PowerDNS, all on loopback ports picked free, in
 * one run so the figures compare. Names:
 * - static: one A record (fedgate caches the encoded answer; BIND and PowerDNS serve a zone file);
 * - weighted: three addresses weighted 3:1:1, one per query (fedgate: TrafficPolicy
 *   `weighted`; PowerDNS: a LUA record with `pickwrandom`, `enable-lua-records=shared`).
 * fedgate runs twice: UDP answered in its own process (`workers: 1`), and by N UDP worker
 * processes (N = CPUs, the default; ADR 009). The target is BIND's static rate with one
 * worker thread (`-n 1`); BIND with N threads is measured too, as the like-for-like
 * comparison with N fedgate workers. PowerDNS runs one receiver and distributor thread.
 *
 * Every server is started first and runs to the end; the rows are then measured in
 * interleaved rounds (default 3) and reported as medians with their range, and each
 * ratio is the median of the per-round ratios, so a busy phase of a shared machine
 * weighs on all rows of a round alike. `CPU µs/q` is the server's CPU time (its process
 * and child processes, from /proc) per answered query: what a query costs, which varies
 * less than the rate when other work competes for the cores.
 *
 *   npx tsx bench/dns.ts
 *   FEDGATE_BENCH_DNS_SECONDS=10 FEDGATE_BENCH_DNS_ROUNDS=5 FEDGATE_BENCH_DNS_WORKERS=3 npx tsx bench/dns.ts
 *
 * Needs dnsperf (`apt-get install -y dnsperf`); BIND and PowerDNS are measured when
 * installed (`apt-get install -y bind9 pdns-server pdns-backend-bind`), else skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildQuery, decode, udpExchange } from '../test/fixtures/dns-wire-client.js';
import { BENCH_CLUSTERS, STATIC_NAME, WEIGHTED_NAME } from './dns-zone-process.js';
import { DNSPERF_INSTALL_HINT, DNSPERF_PATH, dnsperfInstalled, runDnsperf, type DnsperfResult } from './dnsperf.js';
import { formatRow } from './report.js';

const RUN_SECONDS = Number(process.env['FEDGATE_BENCH_DNS_SECONDS'] ?? 5);
/** Rounds: every row is measured once per round, rounds one after another. */
const ROUNDS = Math.max(1, Number(process.env['FEDGATE_BENCH_DNS_ROUNDS'] ?? 3));
/** UDP worker processes of the multi-process fedgate row (default: the server's default, one per CPU). */
const WORKERS = Number(process.env['FEDGATE_BENCH_DNS_WORKERS'] ?? availableParallelism());
const ZONE = 'global.fedgate.internal';
const NAMED_PATH = '/usr/sbin/named';
const PDNS_PATH = '/usr/sbin/pdns_server';
/** Worker threads of BIND (`-n`) and PowerDNS (receiver and distributor threads) for the target rows. */
const REFERENCE_THREADS = 1;
const STARTUP_TIMEOUT_MS = 20_000;
const PROBE_INTERVAL_MS = 100;
const STOP_GRACE_MS = 3_000;
/** Sequential queries of each weighted name to report its answer shares over the wire. */
const SHARE_PROBES = 1_000;
const STDERR_LINES_KEPT = 50;
const root = resolve(import.meta.dirname, '..');

/** A DNS server process under test. */
interface ServerProcess {
  label: string;
  port: number;
  child: ChildProcess;
  stderr: string[];
}

/** The names measured. */
type NameKind = 'static' | 'weighted';

/** One line of the table: a server's name, measured once per round. */
interface Row {
  server: string;
  name: NameKind;
  results: Measurement[];
  target: ServerProcess;
}

const started = new Set<ChildProcess>();
/** Aborted on SIGINT/SIGTERM: every step stops, processes are stopped and temp dirs removed. */
const interrupted = new AbortController();

// ---- processes ----

function spawnServer(label: string, file: string, args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; stderr: string[] } {
  const child = spawn(file, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const stderr: string[] = [];
  const keep = (line: string): void => {
    stderr.push(line);
    if (stderr.length > STDERR_LINES_KEPT) stderr.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  child.once('error', (err) => keep(`${label}: ${err.message}`));
  return { child, stderr };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM by PID, SIGKILL after the grace period; resolves once it exited. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (!hasExited(child) && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function stopAll(): Promise<void> {
  await Promise.all([...started].map((child) => stopProcess(child)));
}

// ---- ports and probes ----

/** A loopback port free for both UDP and TCP right now. */
async function freePort(): Promise<number> {
  const udp = createSocket('udp4');
  const port = await new Promise<number>((done, fail) => {
    udp.once('error', fail);
    udp.bind(0, '127.0.0.1', () => done(udp.address().port));
  });
  const tcp = createServer();
  try {
    await new Promise<void>((done, fail) => {
      tcp.once('error', fail);
      tcp.listen({ host: '127.0.0.1', port, exclusive: true }, () => done());
    });
  } finally {
    await new Promise<void>((done) => tcp.close(() => done()));
    await new Promise<void>((done) => udp.close(() => done()));
  }
  return port;
}

/** The A addresses `name` answers on `port`, or undefined without a NOERROR answer. */
async function queryA(port: number, name: string): Promise<string[] | undefined> {
  const reply = await udpExchange(port, buildQuery({ name, type: 1 }), 500);
  if (reply === undefined) return undefined;
  const packet = decode(reply);
  if ((packet.header.rcode as number) !== 0 || packet.answers.length === 0) return undefined;
  return packet.answers.map((r) => String((r as { address?: string }).address));
}

/** Waits until every name answers on `port`; fails early when the process exits. */
async function waitForAnswers(server: ServerProcess, names: readonly string[]): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    interrupted.signal.throwIfAborted();
    if (hasExited(server.child)) throw new Error(`${server.label} exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.stderr.join('\n')}`);
    const answers = await Promise.all(names.map((name) => queryA(server.port, name)));
    if (answers.every((a) => a !== undefined)) return;
    if (Date.now() > deadline) throw new Error(`${server.label} did not answer ${names.join(', ')} within ${STARTUP_TIMEOUT_MS} ms:\n${server.stderr.join('\n')}`);
    await new Promise((done) => setTimeout(done, PROBE_INTERVAL_MS));
  }
}

/** Percent of answers per address over sequential queries. */
async function sharesOverWire(port: number, name: string): Promise<string> {
  const counts = new Map<string, number>();
  for (let i = 0; i < SHARE_PROBES; i++) {
    interrupted.signal.throwIfAborted();
    for (const a of (await queryA(port, name)) ?? ['(none)']) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return [...counts].sort().map(([a, n]) => `${a} ${((n / SHARE_PROBES) * 100).toFixed(1)}%`).join(', ');
}

function installed(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ---- servers ----

async function startFedgate(dir: string, label: string, workers: number, udpIo: 'batch' | 'dgram' = 'batch'): Promise<ServerProcess> {
  const env = { ...process.env, FEDGATE_BENCH_DB: join(dir, 'fed.db'), DNS_PORT: '0', DNS_WORKERS: String(workers), DNS_UDP_IO: udpIo };
  const { child, stderr } = spawnServer(label, process.execPath, ['--import', 'tsx', join(root, 'bench', 'dns-zone-process.ts')], env);
  const ready = await new Promise<{ port: number; shares: Record<string, number>; udpIo: string[] }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`fedgate did not start within ${STARTUP_TIMEOUT_MS} ms:\n${stderr.join('\n')}`)), STARTUP_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      done(JSON.parse(line) as { port: number; shares: Record<string, number>; udpIo: string[] });
    });
    child.once('exit', (code) => fail(new Error(`fedgate exited (${code}):\n${stderr.join('\n')}`)));
  });
  const shares = Object.entries(ready.shares).map(([a, p]) => `${a} ${p.toFixed(1)}%`).join(', ');
  console.log(`${label}: real ZoneView over SQLite (${BENCH_CLUSTERS.length} Ready clusters, heartbeats every 500 ms, TrafficPolicy weighted 3:1:1); UDP I/O ${ready.udpIo.join(', ')}; zone shares ${shares}`);
  const server = { label, port: ready.port, child, stderr };
  await waitForAnswers(server, [STATIC_NAME, WEIGHTED_NAME]);
  return server;
}

/** Zone file lines shared by BIND and PowerDNS: SOA, NS and the static name. */
function zoneFile(extra: readonly string[] = []): string {
  const relative = (name: string): string => name.slice(0, -(ZONE.length + 1));
  return [
    '$TTL 30',
    '@ IN SOA ns1 hostmaster 2026112601 3600 600 86400 5',
    '@ IN NS ns1',
    'ns1 IN A 127.0.0.1',
    `${relative(STATIC_NAME)} IN A ${BENCH_CLUSTERS[0].address}`,
    ...extra.map((line) => line.replace('@WEIGHTED', relative(WEIGHTED_NAME))),
    '',
  ].join('\n');
}

async function startBind(dir: string, label: string, threads: number): Promise<ServerProcess> {
  const port = await freePort();
  writeFileSync(join(dir, 'zone.db'), zoneFile());
  writeFileSync(
    join(dir, 'named.conf'),
    `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
  allow-query { any; };
};
controls { };
zone "${ZONE}" { type primary; file "${dir}/zone.db"; };
`,
  );
  const { child, stderr } = spawnServer(label, NAMED_PATH, ['-g', '-4', '-n', String(threads), '-c', join(dir, 'named.conf')]);
  const server = { label, port, child, stderr };
  await waitForAnswers(server, [STATIC_NAME]);
  return server;
}

async function startPowerDns(dir: string): Promise<ServerProcess> {
  const port = await freePort();
  const lua = `@WEIGHTED IN LUA A "pickwrandom({${BENCH_CLUSTERS.map((c) => `{${c.weight},'${c.address}'}`).join(',')}})"`;
  writeFileSync(join(dir, 'zone.db'), zoneFile([lua]));
  writeFileSync(join(dir, 'named.conf'), `zone "${ZONE}" { type master; file "${dir}/zone.db"; };\n`);
  writeFileSync(
    join(dir, 'pdns.conf'),
    [
      'launch=bind',
      `bind-config=${dir}/named.conf`,
      'enable-lua-records=shared',
      'security-poll-suffix=',
      'local-address=127.0.0.1',
      `local-port=${port}`,
      'daemon=no',
      'guardian=no',
      'disable-syslog=yes',
      `socket-dir=${dir}`,
      `receiver-threads=${REFERENCE_THREADS}`,
      `distributor-threads=${REFERENCE_THREADS}`,
      'loglevel=3',
      '',
    ].join('\n'),
  );
  const { child, stderr } = spawnServer('PowerDNS', PDNS_PATH, [`--config-dir=${dir}`]);
  const server = { label: 'PowerDNS', port, child, stderr };
  await waitForAnswers(server, [STATIC_NAME, WEIGHTED_NAME]);
  return server;
}

// ---- measuring ----

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux whatever the kernel's HZ). */
const USER_HZ = 100;

/** CPU time (user + system, ms) used so far by a process and its child processes (fedgate's UDP workers), from /proc. */
function cpuMs(pid: number): number {
  const ticks = (stat: string): { ppid: number; cpu: number } => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) };
  };
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const t = ticks(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (Number(entry) === pid || t.ppid === pid) total += t.cpu;
    } catch {
      // exited meanwhile
    }
  }
  return (total * 1000) / USER_HZ;
}

/** One dnsperf run, and the server's CPU time per answered query during it. */
interface Measurement extends DnsperfResult {
  cpuUsPerQuery: number;
}

async function measure(server: ServerProcess, name: NameKind): Promise<Measurement> {
  const qname = name === 'static' ? STATIC_NAME : WEIGHTED_NAME;
  const before = server.child.pid === undefined ? 0 : cpuMs(server.child.pid);
  const result = await runDnsperf({ server: `127.0.0.1:${server.port}`, queries: [`${qname} A`], seconds: RUN_SECONDS, signal: interrupted.signal });
  const used = server.child.pid === undefined ? 0 : cpuMs(server.child.pid) - before;
  const other = Object.entries(result.rcodes).filter(([code]) => code !== 'NOERROR');
  if (other.length > 0) console.log(`warning: ${server.label} ${name} answered ${other.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return { ...result, cpuUsPerQuery: result.completed > 0 ? (used * 1000) / result.completed : Number.NaN };
}

/** A server to start, and the names measured on it. */
interface Candidate {
  label: string;
  /** A binary that must be installed (reference servers), with the hint to install it. */
  requires?: { path: string; hint: string };
  start: (dir: string) => Promise<ServerProcess>;
  names: NameKind[];
}

/** A started server with its temp dir. */
interface Running {
  candidate: Candidate;
  server: ServerProcess;
  dir: string;
}

/** Starts a candidate in its own temp dir; undefined (with the reason printed) when it cannot run. */
async function startCandidate(c: Candidate): Promise<Running | undefined> {
  if (c.requires && !installed(c.requires.path)) {
    console.log(`${c.label}: skipped, ${c.requires.path} is not installed (${c.requires.hint})`);
    return undefined;
  }
  interrupted.signal.throwIfAborted();
  const dir = mkdtempSync(join(tmpdir(), `fedgate-bench-${c.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-`));
  try {
    return { candidate: c, server: await c.start(dir), dir };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    if (interrupted.signal.aborted || !c.requires) throw err;
    console.log(`${c.label}: skipped, ${(err as Error).message}`);
    return undefined;
  }
}

// ---- report ----

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function printTable(rows: readonly Row[]): void {
  const widths = [16, 8, 10, 16, 14, 12, 8];
  console.log('');
  console.log(formatRow(['server', 'name'.padEnd(widths[1]!), 'qps', 'qps min–max', 'avg latency', 'CPU µs/q', 'lost %'], widths));
  for (const r of rows) {
    const qps = r.results.map((x) => x.qps);
    console.log(
      formatRow(
        [
          r.server,
          r.name.padEnd(widths[1]!),
          median(qps).toFixed(0),
          `${Math.min(...qps).toFixed(0)}–${Math.max(...qps).toFixed(0)}`,
          `${median(r.results.map((x) => x.avgLatencyMs)).toFixed(3)} ms`,
          median(r.results.map((x) => x.cpuUsPerQuery)).toFixed(1),
          Math.max(...r.results.map((x) => x.lostPct)).toFixed(2),
        ],
        widths,
      ),
    );
  }
  const row = (server: string, name: NameKind): Row | undefined => rows.find((r) => r.server === server && r.name === name);
  console.log('');
  const references = [BIND_LABEL, BIND_N_LABEL].filter((label) => row(label, 'static') !== undefined);
  if (references.length === 0) {
    console.log('ratios: BIND static not measured (target unknown)');
    return;
  }
  // Ratios per round (both measured minutes apart at most), then their median.
  const ratio = (ours: Row, ref: Row): string => {
    const perRound = ours.results.map((x, i) => x.qps / ref.results[i]!.qps);
    return `${median(perRound).toFixed(2)} (rounds ${perRound.map((x) => x.toFixed(2)).join(' ')})`;
  };
  for (const fedgate of [FEDGATE_LABEL, FEDGATE_N_LABEL, FEDGATE_DGRAM_LABEL]) {
    for (const name of ['static', 'weighted'] as const) {
      const ours = row(fedgate, name);
      if (ours === undefined) continue;
      console.log(`${fedgate} ${name} / ${references.map((ref) => `${ref} static: ${ratio(ours, row(ref, 'static')!)}`).join(', ')}`);
    }
  }
}

const FEDGATE_LABEL = 'fedgate';
const FEDGATE_N_LABEL = `fedgate ×${WORKERS}`;
/** One process answering through Node's dgram, one datagram at a time (the path before batching). */
const FEDGATE_DGRAM_LABEL = 'fedgate dgram';
const BIND_LABEL = 'BIND';
const BIND_N_LABEL = `BIND -n ${WORKERS}`;

async function main(): Promise<void> {
  if (!dnsperfInstalled()) {
    console.log(`dnsperf is not installed (${DNSPERF_PATH}); install it with: ${DNSPERF_INSTALL_HINT}`);
    return;
  }
  console.log(`dnsperf: ${RUN_SECONDS} s per run, 1 client, 100 outstanding, UDP on 127.0.0.1; ${ROUNDS} interleaved rounds; ${availableParallelism()} CPUs`);
  const bind = { path: NAMED_PATH, hint: 'apt-get install -y bind9' };
  const candidates: Candidate[] = [
    { label: FEDGATE_LABEL, start: (dir) => startFedgate(dir, FEDGATE_LABEL, 1), names: ['static', 'weighted'] },
    { label: FEDGATE_DGRAM_LABEL, start: (dir) => startFedgate(dir, FEDGATE_DGRAM_LABEL, 1, 'dgram'), names: ['weighted'] },
    ...(WORKERS > 1 ? [{ label: FEDGATE_N_LABEL, start: (dir: string) => startFedgate(dir, FEDGATE_N_LABEL, WORKERS), names: ['static', 'weighted'] as NameKind[] }] : []),
    { label: BIND_LABEL, requires: bind, start: (dir) => startBind(dir, BIND_LABEL, REFERENCE_THREADS), names: ['static'] },
    ...(WORKERS > 1 ? [{ label: BIND_N_LABEL, requires: bind, start: (dir: string) => startBind(dir, BIND_N_LABEL, WORKERS), names: ['static'] as NameKind[] }] : []),
    { label: 'PowerDNS', requires: { path: PDNS_PATH, hint: 'apt-get install -y pdns-server pdns-backend-bind' }, start: startPowerDns, names: ['static', 'weighted'] },
  ];
  // Every server runs for the whole benchmark (idle ones cost little), and the rows are
  // measured in rounds, one after another, so that a slow phase of a shared machine hits
  // every row of a round alike instead of one server's rows only.
  const running: Running[] = [];
  try {
    for (const c of candidates) {
      const r = await startCandidate(c);
      if (r) running.push(r);
    }
    const rows: Row[] = running.flatMap((r) => r.candidate.names.map((name) => ({ server: r.candidate.label, name, results: [] as Measurement[], target: r.server })));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const row of rows) row.results.push(await measure(row.target, row.name));
      console.log(`round ${round}: ${rows.map((r) => `${r.server} ${r.name} ${r.results.at(-1)!.qps.toFixed(0)}`).join(', ')}`);
    }
    for (const r of running) {
      if (r.candidate.names.includes('weighted')) console.log(`${r.candidate.label}: weighted shares over the wire ${await sharesOverWire(r.server.port, WEIGHTED_NAME)}`);
    }
    printTable(rows);
  } finally {
    for (const r of running) {
      await stopProcess(r.server.child);
      rmSync(r.dir, { recursive: true, force: true });
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // The first signal unwinds main (its finally blocks stop processes and remove temp dirs).
  process.once(signal, () => {
    console.log(`\n${signal}: stopping`);
    process.exitCode = 130;
    interrupted.abort();
    void stopAll();
  });
}
process.once('exit', () => {
  for (const child of started) if (child.pid !== undefined && !hasExited(child)) process.kill(child.pid, 'SIGKILL');
});

try {
  await main();
} catch (err) {
  if (!interrupted.signal.aborted) throw err;
} finally {
  await stopAll();
}
