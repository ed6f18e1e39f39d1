/**
 * Container probes (core/v1 Probe): how one check runs (httpGet, tcpSocket, exec) and
 * the `ProbeWorker` that repeats it on the injected clock — first after
 * `initialDelaySeconds`, then every `periodSeconds`, each bounded by `timeoutSeconds`; the
 * result flips to passing after `successThreshold` consecutive successes and to failing
 * after `failureThreshold` consecutive failures (Kubernetes' prober semantics).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Clock, TimerHandle } from '../../controller/index.js';
import type { Container, Probe } from '../api-types.js';
import type { ContainerHandle, PodRuntime } from '../runtime/index.js';

/** Kubernetes' probe defaults. */
export const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, initialDelaySeconds: 0 } as const;

/** Which probe: they differ in their initial result and what a failure does. */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** Outcome of one check. */
export interface ProbeOutcome {
  ok: boolean;
  message?: string;
}

/** A named port (`http`) resolved through the container's ports, or the number itself. */
export function resolveProbePort(port: number | string, container: Readonly<Container>): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** One HTTP GET; 200–399 passes (redirects are not followed, as the kubelet counts 3xx as success). */
export function httpGetCheck(
  target: { scheme?: 'HTTP' | 'HTTPS'; host: string; port: number; path?: string; headers?: { name: string; value: string }[] },
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const mod = target.scheme === 'HTTPS' ? https : http;
    const headers: Record<string, string> = { 'user-agent': 'fedgate-probe/1.0' };
    for (const h of target.headers ?? []) headers[h.name] = h.value;
    const req = mod.request(
      {
        host: target.host,
        port: target.port,
        path: target.path || '/',
        method: 'GET',
        headers,
        timeout: timeoutMs,
        agent: false,
        ...(target.scheme === 'HTTPS' ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ ok: false, message: `Get "${target.host}:${target.port}${target.path ?? '/'}": ${err.message}` }));
    req.end();
  });
}

/** One TCP connect. */
export function tcpSocketCheck(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `dial tcp ${host}:${port}: ${err.message}` });
    });
  });
}

/** What a check needs to reach a container. */
export interface ProbeTarget {
  podIP: string;
  container: Readonly<Container>;
  handle: ContainerHandle;
  runtime: PodRuntime;
}

/** Runs one check of `probe` against a container. Runtimes without processes always pass. */
export async function runProbe(probe: Readonly<Probe>, t: ProbeTarget): Promise<ProbeOutcome> {
  if (!t.runtime.runsProcesses) return { ok: true };
  const timeoutMs = (probe.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds) * 1000;
  if (probe.httpGet) {
    const port = resolveProbePort(probe.httpGet.port, t.container);
    if (port === undefined) return { ok: false, message: `port "${String(probe.httpGet.port)}" not found in the container's ports` };
    return httpGetCheck(
      { scheme: probe.httpGet.scheme, host: probe.httpGet.host || t.podIP, port, path: probe.httpGet.path, headers: probe.httpGet.httpHeaders },
      timeoutMs,
    );
  }
  if (probe.tcpSocket) {
    const port = resolveProbePort(probe.tcpSocket.port, t.container);
    if (port === undefined) return { ok: false, message: `port "${String(probe.tcpSocket.port)}" not found in the container's ports` };
    return tcpSocketCheck(probe.tcpSocket.host || t.podIP, port, timeoutMs);
  }
  if (probe.exec) {
    const r = await t.runtime.exec(t.handle, probe.exec.command, timeoutMs);
    if (r.timedOut) return { ok: false, message: `command timed out after ${timeoutMs} ms` };
    return r.exitCode === 0 ? { ok: true } : { ok: false, message: `command exited with ${r.exitCode}: ${r.output.trim().slice(0, 200)}` };
  }
  return { ok: false, message: 'probe has no httpGet, tcpSocket or exec handler' };
}

/** Options of a ProbeWorker. */
export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: Readonly<Probe>;
  clock: Clock;
  /** Runs one check (runProbe bound to the container). */
  check: () => Promise<ProbeOutcome>;
  /** Called when the result flips. */
  onChange: (passing: boolean, outcome: ProbeOutcome) => void;
}

/** Repeats one probe of one container run and keeps its result. */
export class ProbeWorker {
  /** Current result: readiness and startup start failing, liveness starts passing. */
  passing: boolean;
  /** Last failure message, for status and logs. */
  lastMessage: string | undefined;
  private successes = 0;
  private failures = 0;
  private timer: TimerHandle | undefined;
  private stopped = true;

  constructor(private readonly o: ProbeWorkerOptions) {
    this.passing = o.kind === 'liveness';
  }

  /** Starts probing after initialDelaySeconds. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule((this.o.probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds) * 1000);
  }

  /** Stops; a check in flight is ignored when it returns. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.o.check();
    } catch (err) {
      outcome = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    if (this.stopped) return;
    this.record(outcome);
    // A passed startup probe has done its job.
    if (this.o.kind === 'startup' && this.passing) return;
    this.schedule((this.o.probe.periodSeconds ?? PROBE_DEFAULTS.periodSeconds) * 1000);
  }

  private record(outcome: ProbeOutcome): void {
    const p = this.o.probe;
    if (outcome.ok) {
      this.successes++;
      this.failures = 0;
      this.lastMessage = undefined;
      if (!this.passing && this.successes >= (p.successThreshold ?? PROBE_DEFAULTS.successThreshold)) {
        this.passing = true;
        this.o.onChange(true, outcome);
      }
    } else {
      this.failures++;
      this.successes = 0;
      this.lastMessage = outcome.message;
      if (this.passing && this.failures >= (p.failureThreshold ?? PROBE_DEFAULTS.failureThreshold)) {
        this.passing = false;
        this.o.onChange(false, outcome);
      } else if (!this.passing && this.o.kind === 'startup' && this.failures >= (p.failureThreshold ?? PROBE_DEFAULTS.failureThreshold)) {
        // A startup probe that never passed fails the container once the threshold is reached.
        this.o.onChange(false, outcome);
        this.failures = 0;
      }
    }
  }
}
