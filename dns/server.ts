/**
 * The authoritative DNS server's sockets: UDP and TCP (RFC 1035 §4.2, RFC 7766) on the
 * same port, every message handed to a {@link Responder}. UDP is answered here or by
 * worker processes sharing the socket (udp-worker-pool.ts, ADR 009); TCP always here.
 * Nothing in this file parses DNS; it owns framing, limits and lifecycle.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { stderrLogger, type Logger } from '../controller/index.js';
import type { Zone } from './answer-types.js';
import { Responder } from './responder.js';
import { bindUdpSocket, closeUdpSocket, type ListenAddress, type UdpIo } from './udp-socket.js';
import { UdpWorkerPool } from './udp-worker-pool.js';
import { isExportableZone } from './zone-state.js';

export type { ListenAddress } from './udp-socket.js';

/** Default listen address of both transports (loopback, ephemeral port). */
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 0 };
/** A TCP connection idle this long is closed (RFC 7766 §6.2.3 suggests seconds, not minutes). */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 10_000;
/** Bound on concurrent TCP connections. */
export const DEFAULT_MAX_TCP_CONNECTIONS = 1024;
/** A connection whose unsent responses exceed this stops being read until they drain. */
const MAX_TCP_PENDING_OUTPUT = 256 * 1024;
/** Attempts to find an ephemeral port free for both UDP and TCP. */
const SHARED_PORT_ATTEMPTS = 10;
/** Upper bound of the `workers` option. */
export const MAX_WORKERS = 64;

/** Options of a {@link DnsServer}. */
export interface DnsServerOptions {
  zone: Zone;
  /** UDP listen address; default 127.0.0.1, ephemeral port. */
  udp?: ListenAddress;
  /** TCP listen address; default: the UDP address (same port). */
  tcp?: ListenAddress;
  /** Default: warnings and errors to stderr. */
  logger?: Logger;
  /** Advertised EDNS UDP payload and cap on UDP responses; default 1232, clamped to 512–4096. */
  maxUdpPayload?: number;
  tcpIdleTimeoutMs?: number;
  maxTcpConnections?: number;
  /** Bound on cached (name, type) answers. */
  maxCacheEntries?: number;
  /**
   * Processes answering UDP (ADR 009). 1: this process, like TCP. N > 1: N worker processes
   * (node:cluster) share the UDP socket and answer from copies of the zone that this
   * process keeps current; TCP stays here. Needs a zone that can be exported
   * (`ExportableZone`, e.g. ZoneView). Default 1: with batched UDP I/O (ADR 016) one process
   * answers faster than BIND's static rate on the reference machine, and a gateway shares
   * its cores with the API and the replicator; `fedgate dns --workers N` asks for more.
   */
  workers?: number;
  /**
   * How UDP datagrams are read and answered (ADR 016): 'batch' (default) uses recvmmsg and
   * sendmmsg on Linux and falls back to 'dgram' elsewhere; 'dgram' answers one datagram at
   * a time through Node's dgram.
   */
  udpIo?: UdpIo;
}

/** The number of UDP processes for `workers` and `zone` (see DnsServerOptions.workers); throws on a bad value. */
export function resolveWorkers(workers: number | undefined, zone: Zone): number {
  if (workers === undefined) return 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new RangeError(`DNS workers must be a whole number from 1 to ${MAX_WORKERS}, got ${workers}`);
  }
  if (workers > 1 && !isExportableZone(zone)) {
    throw new TypeError(`DNS workers = ${workers} needs a zone that can be exported to worker processes (ExportableZone, such as ZoneView)`);
  }
  return workers;
}

/** Where a started server listens. */
export interface DnsServerAddresses {
  udp: AddressInfo;
  tcp: AddressInfo;
}

/** Authoritative DNS over UDP and TCP for one {@link Zone}. */
export class DnsServer {
  private readonly responder: Responder;
  private readonly logger: Logger;
  private readonly udpAddress: ListenAddress;
  private readonly tcpAddress: ListenAddress;
  private readonly idleTimeoutMs: number;
  private readonly maxConnections: number;
  private readonly options: DnsServerOptions;
  /** UDP processes: 1 = this one. */
  readonly workers: number;
  private udp: UdpSocket | undefined;
  private pool: UdpWorkerPool | undefined;
  private udpBound: AddressInfo | undefined;
  private udpIoInUse: UdpIo | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<Socket>();

  /** Throws on an invalid `workers` (see DnsServerOptions.workers); does no I/O. */
  constructor(options: DnsServerOptions) {
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.workers = resolveWorkers(options.workers, options.zone);
    this.responder = new Responder({
      zone: options.zone,
      logger: this.logger,
      maxUdpPayload: options.maxUdpPayload,
      maxCacheEntries: options.maxCacheEntries,
    });
    this.udpAddress = options.udp ?? DEFAULT_LISTEN;
    this.tcpAddress = options.tcp ?? this.udpAddress;
    this.idleTimeoutMs = options.tcpIdleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS;
    this.maxConnections = options.maxTcpConnections ?? DEFAULT_MAX_TCP_CONNECTIONS;
  }

  /** PIDs of the UDP worker processes alive now (empty when UDP is answered in this process). */
  get workerPids(): number[] {
    return this.pool?.pids ?? [];
  }

  /** The zone version each UDP worker answers from (-1: not yet known); empty without workers. */
  get workerZoneVersions(): number[] {
    return this.pool?.appliedVersions ?? [];
  }

  /** How UDP is answered: one entry per answering process ('batch' or 'dgram'); empty before start. */
  get udpIo(): UdpIo[] {
    if (this.pool !== undefined) return this.pool.udpIo;
    return this.udpIoInUse === undefined ? [] : [this.udpIoInUse];
  }

  /** Binds both transports; with the same host and port 0, both get one shared ephemeral port. */
  async start(): Promise<DnsServerAddresses> {
    if (this.udp !== undefined || this.pool !== undefined || this.tcp !== undefined) throw new Error('DnsServer already started');
    const shared = this.udpAddress.host === this.tcpAddress.host && this.udpAddress.port === this.tcpAddress.port;
    try {
      if (shared && this.udpAddress.port === 0) {
        for (let attempt = 1; ; attempt++) {
          try {
            const udp = await this.listenUdp(this.udpAddress);
            await this.listenTcp({ host: this.tcpAddress.host, port: udp.port });
            break;
          } catch (err) {
            // Either side may lose the port to another process between two binds: pick again.
            await this.closeUdp();
            if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= SHARED_PORT_ATTEMPTS) throw err;
          }
        }
      } else {
        await this.listenUdp(this.udpAddress);
        await this.listenTcp(this.tcpAddress);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return { udp: this.udpBound!, tcp: this.tcp!.address() as AddressInfo };
  }

  /** Closes both listeners and every open TCP connection. */
  async stop(): Promise<void> {
    await this.closeUdp();
    const tcp = this.tcp;
    this.tcp = undefined;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    if (tcp !== undefined) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  private async listenUdp(address: ListenAddress): Promise<AddressInfo> {
    if (this.workers > 1 && isExportableZone(this.options.zone)) {
      const pool = new UdpWorkerPool({
        zone: this.options.zone,
        workers: this.workers,
        logger: this.logger,
        maxUdpPayload: this.options.maxUdpPayload,
        maxCacheEntries: this.options.maxCacheEntries,
        udpIo: this.options.udpIo,
      });
      this.pool = pool;
      this.udpBound = await pool.start(address);
    } else {
      const bound = await bindUdpSocket(address, this.responder, this.logger, this.options.udpIo);
      this.udpIoInUse = bound.io;
      this.udp = bound.socket;
      this.udpBound = bound.address;
    }
    return this.udpBound;
  }

  private async closeUdp(): Promise<void> {
    const socket = this.udp;
    const pool = this.pool;
    this.udp = undefined;
    this.pool = undefined;
    this.udpBound = undefined;
    this.udpIoInUse = undefined;
    if (socket !== undefined) await closeUdpSocket(socket);
    if (pool !== undefined) await pool.stop();
  }

  private listenTcp(address: ListenAddress): Promise<void> {
    const server = createServer((socket) => this.serveConnection(socket));
    server.maxConnections = this.maxConnections;
    server.on('error', (err) => this.logger.warn({ err }, 'DNS TCP listener error'));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
        server.off('error', reject);
        this.tcp = server;
        resolve();
      });
    });
  }

  /**
   * RFC 1035 §4.2.2 / RFC 7766 §8: each message is preceded by its 16-bit length; a client
   * may pipeline several queries. The unread buffer never exceeds one message plus one
   * chunk, since complete messages are consumed as soon as they arrive.
   */
  private serveConnection(socket: Socket): void {
    this.connections.add(socket);
    const clientAddress = socket.remoteAddress ?? '';
    let pending: Buffer = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.setTimeout(this.idleTimeoutMs, () => socket.destroy());
    socket.on('error', () => socket.destroy()); // resets by the peer are routine
    socket.on('close', () => this.connections.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 2) {
        const size = pending.readUInt16BE(offset);
        if (pending.length - offset - 2 < size) break;
        const message = pending.subarray(offset + 2, offset + 2 + size);
        offset += 2 + size;
        const response = this.responder.respond(message, clientAddress, 'tcp');
        if (response === undefined || socket.destroyed) continue;
        const framed = Buffer.allocUnsafe(2 + response.length);
        framed.writeUInt16BE(response.length, 0);
        response.copy(framed, 2);
        socket.write(framed);
      }
      // Copy the remainder so a small tail does not pin a large chunk.
      pending = offset === 0 ? pending : Buffer.from(pending.subarray(offset));
      if (socket.writableLength > MAX_TCP_PENDING_OUTPUT && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
  }
}
