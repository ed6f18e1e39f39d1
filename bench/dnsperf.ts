/**
 * Runs Debian's `dnsperf` (DNS-OARC) against one server and reads its summary: queries per
 * second, average latency, lost queries and the response codes seen.
 *
 *   import { runDnsperf } from './dnsperf.js';
 *   const r = await runDnsperf({ server: '127.0.0.1:5353', queries: ['web.shop.svc.global.fedgate.internal A'], seconds: 5 });
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's package installs dnsperf. */
export const DNSPERF_PATH = '/usr/bin/dnsperf';
/** How to get it when it is missing. */
export const DNSPERF_INSTALL_HINT = 'apt-get install -y dnsperf';
/** dnsperf's own defaults: one client (source port), 100 queries in flight. */
export const DEFAULT_CLIENTS = 1;
/** Queries kept in flight (dnsperf -q). */
export const DEFAULT_OUTSTANDING = 100;
/** Seconds after which an unanswered query counts as lost (dnsperf -t). */
const QUERY_TIMEOUT_SECONDS = 1;
/** dnsperf is killed if it runs this much longer than asked (it never should). */
const OVERRUN_GRACE_MS = 15_000;

/** Options of one dnsperf run. */
export interface DnsperfOptions {
  /** `host:port` (IPv4). */
  server: string;
  /** Query lines, `name type` (dnsperf's data file format). */
  queries: string[];
  /** Length of the run (dnsperf -l). */
  seconds: number;
  clients?: number;
  outstanding?: number;
  /** Aborting stops dnsperf (by PID) and rejects. */
  signal?: AbortSignal;
}

/** What one run measured. */
export interface DnsperfResult {
  /** Queries answered. */
  completed: number;
  qps: number;
  avgLatencyMs: number;
  lostPct: number;
  /** Response code → count, e.g. `{ NOERROR: 412345 }`. */
  rcodes: Record<string, number>;
}

/** True when the dnsperf binary is there and executable. */
export function dnsperfInstalled(): boolean {
  try {
    accessSync(DNSPERF_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs dnsperf for `seconds` against `server` with the given queries; rejects when it fails. */
export async function runDnsperf(o: DnsperfOptions): Promise<DnsperfResult> {
  const { host, port } = splitHostPort(o.server);
  const dir = mkdtempSync(join(tmpdir(), 'fedgate-dnsperf-'));
  try {
    const dataFile = join(dir, 'queries.txt');
    writeFileSync(dataFile, `${o.queries.join('\n')}\n`);
    const args = [
      '-s', host,
      '-p', String(port),
      '-d', dataFile,
      '-l', String(o.seconds),
      '-c', String(o.clients ?? DEFAULT_CLIENTS),
      '-q', String(o.outstanding ?? DEFAULT_OUTSTANDING),
      '-t', String(QUERY_TIMEOUT_SECONDS),
    ];
    const output = await runToCompletion(DNSPERF_PATH, args, o.seconds * 1000 + OVERRUN_GRACE_MS, o.signal);
    return parseDnsperfOutput(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads dnsperf's "Statistics" block. */
export function parseDnsperfOutput(text: string): DnsperfResult {
  const number = (pattern: RegExp, what: string): number => {
    const m = pattern.exec(text);
    if (m === null) throw new Error(`dnsperf output has no ${what}:\n${text}`);
    return Number(m[1]);
  };
  const rcodes: Record<string, number> = {};
  const codesLine = /Response codes:\s*(.*)/.exec(text)?.[1] ?? '';
  for (const m of codesLine.matchAll(/([A-Z]+) (\d+)/g)) rcodes[m[1]!] = Number(m[2]);
  return {
    completed: number(/Queries completed:\s*(\d+)/, 'completed queries'),
    qps: number(/Queries per second:\s*([\d.]+)/, 'queries per second'),
    avgLatencyMs: number(/Average Latency \(s\):\s*([\d.]+)/, 'average latency') * 1000,
    lostPct: number(/Queries lost:\s*\d+ \(([\d.]+)%\)/, 'lost queries'),
    rcodes,
  };
}

function splitHostPort(server: string): { host: string; port: number } {
  const colon = server.lastIndexOf(':');
  const port = Number(server.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`server must be host:port, got ${server}`);
  return { host: server.slice(0, colon), port };
}

/** Runs a program, collecting stdout and stderr; the child is killed by PID if it overruns or on abort. */
function runToCompletion(file: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = (): void => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.once('close', (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (code === 0) resolve(output);
      else reject(new Error(`dnsperf exited with ${code ?? killedBy}:\n${output}`));
    });
  });
}
