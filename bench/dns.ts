/**
 * DNS benchmark: dnsperf against fedgate's DnsServer (in a child process, over the real
 * ZoneView and a SQLite store), BIND 9 and PowerDNS, all on loopback ports picked free, in
 * one run so the figures compare. Names:
 * - static: one A record (fedgate caches the encoded answer; BIND and PowerDNS serve a zone file);
 * - weighted: three addresses weighted 3:1:1, one per query (fedgate: TrafficPolicy
 *   `weighted`; PowerDNS: a LUA record with `pickwrandom`, `enable-lua-records=shared`).
 * The target is BIND's static rate. BIND and PowerDNS run one worker thread each, since
 * fedgate's server is one Node.js thread.
 *
 *   npx tsx bench/dns.ts
 *   FEDGATE_BENCH_DNS_SECONDS=10 npx tsx bench/dns.ts
 *
 * Needs dnsperf (`apt-get install -y dnsperf`); BIND and PowerDNS are measured when
 * installed (`apt-get install -y bind9 pdns-server pdns-backend-bind`), else skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildQuery, decode, udpExchange } from '../test/fixtures/dns-wire-client.js';
import { BENCH_CLUSTERS, STATIC_NAME, WEIGHTED_NAME } from './dns-zone-process.js';
import { DNSPERF_INSTALL_HINT, DNSPERF_PATH, dnsperfInstalled, runDnsperf, type DnsperfResult } from './dnsperf.js';
import { formatRow } from './report.js';

const RUN_SECONDS = Number(process.env['FEDGATE_BENCH_DNS_SECONDS'] ?? 5);
const ZONE = 'global.fedgate.internal';
const NAMED_PATH = '/usr/sbin/named';
const PDNS_PATH = '/usr/sbin/pdns_server';
/** Worker threads of BIND (`-n`) and PowerDNS (receiver and distributor threads). */
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

/** One measured line of the table. */
interface Row {
  server: string;
  name: 'static' | 'weighted';
  result: DnsperfResult;
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

async function startFedgate(dir: string): Promise<ServerProcess> {
  const env = { ...process.env, FEDGATE_BENCH_DB: join(dir, 'fed.db'), DNS_PORT: '0' };
  const { child, stderr } = spawnServer('fedgate', process.execPath, ['--import', 'tsx', join(root, 'bench', 'dns-zone-process.ts')], env);
  const ready = await new Promise<{ port: number; shares: Record<string, number> }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`fedgate did not start within ${STARTUP_TIMEOUT_MS} ms:\n${stderr.join('\n')}`)), STARTUP_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      done(JSON.parse(line) as { port: number; shares: Record<string, number> });
    });
    child.once('exit', (code) => fail(new Error(`fedgate exited (${code}):\n${stderr.join('\n')}`)));
  });
  const shares = Object.entries(ready.shares).map(([a, p]) => `${a} ${p.toFixed(1)}%`).join(', ');
  console.log(`fedgate: real ZoneView over SQLite (${BENCH_CLUSTERS.length} Ready clusters, heartbeats every 500 ms, TrafficPolicy weighted 3:1:1); zone shares ${shares}`);
  const server = { label: 'fedgate', port: ready.port, child, stderr };
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

async function startBind(dir: string): Promise<ServerProcess> {
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
  const { child, stderr } = spawnServer('BIND', NAMED_PATH, ['-g', '-4', '-n', String(REFERENCE_THREADS), '-c', join(dir, 'named.conf')]);
  const server = { label: 'BIND', port, child, stderr };
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

async function measure(server: ServerProcess, name: Row['name']): Promise<Row> {
  const qname = name === 'static' ? STATIC_NAME : WEIGHTED_NAME;
  const result = await runDnsperf({ server: `127.0.0.1:${server.port}`, queries: [`${qname} A`], seconds: RUN_SECONDS, signal: interrupted.signal });
  const other = Object.entries(result.rcodes).filter(([code]) => code !== 'NOERROR');
  if (other.length > 0) console.log(`warning: ${server.label} ${name} answered ${other.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return { server: server.label, name, result };
}

/** Starts one reference server in its own temp dir, measures its names, stops it. */
async function measureReference(label: string, binary: string, hint: string, start: (dir: string) => Promise<ServerProcess>, names: Row['name'][]): Promise<Row[]> {
  if (!installed(binary)) {
    console.log(`${label}: skipped, ${binary} is not installed (${hint})`);
    return [];
  }
  interrupted.signal.throwIfAborted();
  const dir = mkdtempSync(join(tmpdir(), `fedgate-bench-${label.toLowerCase()}-`));
  let server: ServerProcess | undefined;
  try {
    server = await start(dir);
    const rows: Row[] = [];
    for (const name of names) rows.push(await measure(server, name));
    if (names.includes('weighted')) console.log(`${label}: weighted shares over the wire ${await sharesOverWire(server.port, WEIGHTED_NAME)}`);
    return rows;
  } catch (err) {
    if (interrupted.signal.aborted) throw err;
    console.log(`${label}: skipped, ${(err as Error).message}`);
    return [];
  } finally {
    if (server) await stopProcess(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureFedgate(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fedgate-bench-dns-'));
  let server: ServerProcess | undefined;
  try {
    server = await startFedgate(dir);
    const rows = [await measure(server, 'static'), await measure(server, 'weighted')];
    console.log(`fedgate: weighted shares over the wire ${await sharesOverWire(server.port, WEIGHTED_NAME)}`);
    return rows;
  } finally {
    if (server) await stopProcess(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- report ----

function printTable(rows: readonly Row[]): void {
  const widths = [10, 8, 10, 14, 8];
  console.log('');
  console.log(formatRow(['server', 'name'.padEnd(widths[1]!), 'qps', 'avg latency', 'lost %'], widths));
  for (const r of rows) {
    console.log(formatRow([r.server, r.name.padEnd(widths[1]!), r.result.qps.toFixed(0), `${r.result.avgLatencyMs.toFixed(3)} ms`, r.result.lostPct.toFixed(2)], widths));
  }
  const qps = (server: string, name: Row['name']): number | undefined => rows.find((r) => r.server === server && r.name === name)?.result.qps;
  const bind = qps('BIND', 'static');
  console.log('');
  if (bind === undefined) {
    console.log('ratios: BIND static not measured (target unknown)');
    return;
  }
  for (const name of ['static', 'weighted'] as const) {
    const fedgate = qps('fedgate', name);
    if (fedgate !== undefined) console.log(`fedgate ${name} / BIND static: ${(fedgate / bind).toFixed(2)}`);
  }
}

async function main(): Promise<void> {
  if (!dnsperfInstalled()) {
    console.log(`dnsperf is not installed (${DNSPERF_PATH}); install it with: ${DNSPERF_INSTALL_HINT}`);
    return;
  }
  console.log(`dnsperf: ${RUN_SECONDS} s per run, 1 client, 100 outstanding, UDP on 127.0.0.1`);
  const rows = [
    ...(await measureFedgate()),
    ...(await measureReference('BIND', NAMED_PATH, 'apt-get install -y bind9', startBind, ['static'])),
    ...(await measureReference('PowerDNS', PDNS_PATH, 'apt-get install -y pdns-server pdns-backend-bind', startPowerDns, ['static', 'weighted'])),
  ];
  printTable(rows);
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
