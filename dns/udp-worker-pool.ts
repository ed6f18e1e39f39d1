/**
 * The primary side of the DNS server's UDP workers (ADR 009): N processes forked through
 * node:cluster, all receiving from one UDP socket that cluster binds in this process and
 * shares with them (Node 20 has no SO_REUSEPORT for dgram; worker threads cannot share a
 * socket). Each answers from a `ZoneReplica`; this pool ships it the zone: a full state at
 * start, then after every version change of the zone a delta holding only the names whose
 * answers changed, so a health change reaches every worker within one event-loop turn
 * plus the IPC hop.
 *
 * A worker that dies while the pool runs is forked again (with backoff) and starts from
 * the full state; `stop()` asks each to exit and kills any still alive after a grace
 * period, by PID. Workers also exit by themselves when this process goes away (their IPC
 * channel closes), and a last-resort `exit` hook kills them if this process exits without
 * stopping the pool.
 */
import cluster, { type Worker } from 'node:cluster';
import { createSocket } from 'node:dgram';
import { isIPv6, type AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Logger } from '../controller/index.js';
import { closeUdpSocket, type ListenAddress, type UdpIo } from './udp-socket.js';
import { isFromWorker, type FromWorker, type ToWorker } from './udp-worker-messages.js';
import { ZoneUpdateBuilder, type ExportableZone } from './zone-state.js';

/** Time a worker gets to report `listening` after it was forked. */
const START_TIMEOUT_MS = 30_000;
/** Time a worker gets to exit after `stop` before it is killed. */
const STOP_GRACE_MS = 2_000;
/** First and largest delay before a crashed worker is forked again. */
const RESPAWN_MIN_MS = 100;
const RESPAWN_MAX_MS = 5_000;
/** A worker that lived this long resets the respawn backoff. */
const STABLE_AFTER_MS = 30_000;

const WORKER_FILE = join(import.meta.dirname, `udp-worker${extname(import.meta.filename)}`);

/** Node options of a worker: this process's, plus the TypeScript loader when the worker is a .ts file and none is there. */
function workerExecArgv(): string[] {
  const own = process.execArgv;
  if (WORKER_FILE.endsWith('.ts') && !own.some((a) => a.includes('tsx'))) return [...own, '--import', import.meta.resolve('tsx')];
  return [...own];
}

/** Options of a {@link UdpWorkerPool}. */
export interface UdpWorkerPoolOptions {
  zone: ExportableZone;
  /** Number of worker processes (≥ 1). */
  workers: number;
  logger: Logger;
  maxUdpPayload?: number;
  maxCacheEntries?: number;
  udpIo?: UdpIo;
}

interface Slot {
  index: number;
  worker?: Worker;
  /** `init` was sent: the worker holds the zone and must get every later delta. */
  initialised: boolean;
  listening: boolean;
  /** The I/O path the worker reported when it started listening. */
  io?: UdpIo;
  /** Zone version the worker last reported. */
  applied: number;
  startedAt: number;
  failures: number;
  respawn?: ReturnType<typeof setTimeout>;
}

/** An error from a worker's bind, carrying the errno code (EADDRINUSE…) like a local bind error. */
function bindError(address: ListenAddress, message: string, code: string | undefined): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`DNS UDP worker could not listen on ${address.host}:${address.port}: ${message}`);
  if (code !== undefined) err.code = code;
  return err;
}

/** UDP worker processes sharing one socket, fed with the zone over IPC. */
export class UdpWorkerPool {
  private readonly o: UdpWorkerPoolOptions;
  private readonly builder = new ZoneUpdateBuilder();
  private readonly slots: Slot[];
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private address: ListenAddress | undefined;
  private unsubscribe: (() => void) | undefined;
  private shipScheduled = false;
  private readonly killOnExit = (): void => {
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  constructor(options: UdpWorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`DNS workers must be a whole number ≥ 1, got ${options.workers}`);
    this.o = options;
    this.slots = Array.from({ length: options.workers }, (_, index) => ({ index, initialised: false, listening: false, applied: -1, startedAt: 0, failures: 0 }));
  }

  /** PIDs of the worker processes alive now. */
  get pids(): number[] {
    const out: number[] = [];
    for (const s of this.slots) if (s.worker?.process.pid !== undefined && !exited(s.worker)) out.push(s.worker.process.pid);
    return out;
  }

  /** The zone version each worker last reported (-1: none yet), by worker index. */
  /** The UDP I/O path of each listening worker. */
  get udpIo(): UdpIo[] {
    return this.slots.filter((s) => s.listening && s.io !== undefined).map((s) => s.io!);
  }

  get appliedVersions(): number[] {
    return this.slots.map((s) => s.applied);
  }

  /**
   * Forks the workers and resolves once every one listens. Port 0 is first turned into a
   * free port here, so that every worker, and any restarted one, binds the same address:
   * cluster shares one socket per requested address, and a second request for port 0
   * and one for the port it got would be two sockets fighting over one port.
   */
  async start(address: ListenAddress): Promise<AddressInfo> {
    if (this.state !== 'idle') throw new Error('UdpWorkerPool already started');
    this.state = 'running';
    process.on('exit', this.killOnExit);
    this.unsubscribe = this.o.zone.onVersionChange(() => this.scheduleShip());
    this.builder.next(this.o.zone.exportState());
    try {
      this.address = address.port === 0 ? { host: address.host, port: await freeUdpPort(address.host) } : { ...address };
      const bound = await Promise.all(this.slots.map((slot) => this.fork(slot, this.address!)));
      return bound[0]!;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops every worker (by PID after the grace period) and releases the socket. */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'idle') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const exits: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.respawn !== undefined) clearTimeout(slot.respawn);
      slot.respawn = undefined;
      const worker = slot.worker;
      if (worker === undefined || exited(worker)) continue;
      exits.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            if (!exited(worker) && worker.process.pid !== undefined) process.kill(worker.process.pid, 'SIGKILL');
          }, STOP_GRACE_MS);
          worker.process.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          this.post(worker, { type: 'stop' });
          if (!worker.isConnected() && worker.process.pid !== undefined) process.kill(worker.process.pid, 'SIGKILL');
        }),
      );
    }
    await Promise.all(exits);
    process.off('exit', this.killOnExit);
    this.state = 'stopped';
  }

  /** Forks the worker of `slot` and resolves with its socket's address once it listens. */
  private fork(slot: Slot, address: ListenAddress): Promise<AddressInfo> {
    cluster.setupPrimary({ exec: WORKER_FILE, args: [], execArgv: workerExecArgv(), silent: false });
    const worker = cluster.fork();
    slot.worker = worker;
    slot.initialised = false;
    slot.listening = false;
    slot.applied = -1;
    slot.startedAt = Date.now();
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err: Error | undefined, bound?: AddressInfo): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(bound!);
      };
      const timer = setTimeout(() => settle(new Error(`DNS UDP worker (pid ${worker.process.pid}) did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      worker.on('message', (message: unknown) => {
        if (!isFromWorker(message)) return;
        this.onWorkerMessage(slot, worker, address, message, settle);
      });
      worker.on('error', (err) => this.o.logger.warn({ err, pid: worker.process.pid }, 'DNS UDP worker channel error'));
      worker.process.once('exit', (code, signal) => {
        settle(new Error(`DNS UDP worker (pid ${worker.process.pid}) exited before listening (${code ?? signal})`));
        this.onWorkerExit(slot, worker, code, signal);
      });
    });
  }

  private onWorkerMessage(slot: Slot, worker: Worker, address: ListenAddress, message: FromWorker, settle: (err: Error | undefined, bound?: AddressInfo) => void): void {
    switch (message.type) {
      case 'ready': {
        const zone = this.builder.full();
        if (zone === undefined || this.state !== 'running') return;
        slot.initialised = true;
        this.post(worker, { type: 'init', address, zone, maxUdpPayload: this.o.maxUdpPayload, maxCacheEntries: this.o.maxCacheEntries, udpIo: this.o.udpIo });
        return;
      }
      case 'listening':
        slot.listening = true;
        slot.io = message.io;
        settle(undefined, message.address);
        return;
      case 'failed':
        settle(bindError(address, message.message, message.code));
        return;
      case 'applied':
        slot.applied = message.version;
        return;
      case 'log':
        (message.level === 'error' ? this.o.logger.error : this.o.logger.warn).call(this.o.logger, message.fields, message.msg);
        return;
    }
  }

  private onWorkerExit(slot: Slot, worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    slot.initialised = false;
    slot.listening = false;
    if (this.state !== 'running' || this.address === undefined) return;
    slot.failures = Date.now() - slot.startedAt >= STABLE_AFTER_MS ? 1 : slot.failures + 1;
    const delay = Math.min(RESPAWN_MAX_MS, RESPAWN_MIN_MS * 2 ** (slot.failures - 1));
    this.o.logger.warn({ pid: worker.process.pid, code, signal, restartInMs: delay }, 'DNS UDP worker exited; starting another');
    slot.respawn = setTimeout(() => {
      slot.respawn = undefined;
      if (this.state !== 'running' || this.address === undefined) return;
      this.fork(slot, this.address).catch((err: unknown) => this.o.logger.error({ err }, 'DNS UDP worker could not be restarted'));
    }, delay);
  }

  /** Ships the zone's changes once per event-loop turn, however many versions it moved through. */
  private scheduleShip(): void {
    if (this.shipScheduled) return;
    this.shipScheduled = true;
    setImmediate(() => {
      this.shipScheduled = false;
      if (this.state !== 'running') return;
      const update = this.builder.next(this.o.zone.exportState());
      for (const slot of this.slots) {
        if (slot.worker !== undefined && slot.initialised && !exited(slot.worker)) this.post(slot.worker, { type: 'zone', update });
      }
    });
  }

  private post(worker: Worker, message: ToWorker): void {
    if (!worker.isConnected()) return;
    try {
      worker.send(message);
    } catch (err) {
      this.o.logger.warn({ err, pid: worker.process.pid }, 'could not send to a DNS UDP worker');
    }
  }
}

/** A UDP port free on `host` right now (bound and released at once). */
async function freeUdpPort(host: string): Promise<number> {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  try {
    return await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: 0, address: host, exclusive: true }, () => resolve(socket.address().port));
    });
  } finally {
    await closeUdpSocket(socket);
  }
}

function exited(worker: Worker): boolean {
  return worker.process.exitCode !== null || worker.process.signalCode !== null;
}
