/**
 * One TCP listener of the service proxy (after kube-proxy's userspace proxier): accepts on
 * `ip:port` and splices every connection to one backend chosen round-robin from the
 * backends current at accept time. A backend that refuses is skipped for the next one
 * (each at most once per connection). With no backend the connection is reset at once, so
 * clients fail fast instead of hanging. Closing the listener destroys its connections.
 */
import net from 'node:net';
import type { Logger } from '../../controller/index.js';
import type { Target } from './endpoint-targets.js';

/** Longest wait for a backend to accept, ms; then the next backend is tried. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Options of a `TcpProxyListener`. */
export interface TcpProxyListenerOptions {
  ip: string;
  port: number;
  /** The backends right now; called once per accepted connection. */
  targets: () => Target[];
  logger: Logger;
  /** For logs: `namespace/name:port`. */
  description: string;
  connectTimeoutMs?: number;
}

/** A listening socket that proxies to the current backends. */
export class TcpProxyListener {
  readonly ip: string;
  readonly port: number;
  /** Replaceable so a changed Service port keeps its listener. */
  targets: () => Target[];
  description: string;
  private readonly logger: Logger;
  private readonly connectTimeoutMs: number;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private next = 0;
  /** Connections accepted so far. */
  accepted = 0;

  constructor(options: TcpProxyListenerOptions) {
    this.ip = options.ip;
    this.port = options.port;
    this.targets = options.targets;
    this.description = options.description;
    this.logger = options.logger;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; rejects with the bind error (EADDRINUSE, EADDRNOTAVAIL). */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host: this.ip, port: this.port, exclusive: true }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.logger.warn({ listener: `${this.ip}:${this.port}`, err }, 'service proxy listener error'));
        resolve();
      });
    });
  }

  /** Connections open now (client side). */
  openConnections(): number {
    return this.sockets.size;
  }

  /** Stops accepting and destroys every open connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    this.track(client);
    client.on('error', () => client.destroy());
    const targets = this.targets();
    if (targets.length === 0) {
      client.resetAndDestroy();
      return;
    }
    const start = this.next++ % targets.length;
    this.connect(client, targets, start, 0);
  }

  private connect(client: net.Socket, targets: Target[], start: number, attempt: number): void {
    if (client.destroyed) return;
    if (attempt >= targets.length) {
      this.logger.warn({ service: this.description }, 'no backend accepted the connection');
      client.resetAndDestroy();
      return;
    }
    const target = targets[(start + attempt) % targets.length]!;
    const upstream = net.connect({ host: target.ip, port: target.port, allowHalfOpen: true });
    this.track(upstream);
    upstream.setTimeout(this.connectTimeoutMs);
    let connected = false;
    const retry = (err?: Error): void => {
      upstream.destroy();
      if (connected) return;
      this.logger.debug({ service: this.description, backend: `${target.ip}:${target.port}`, err }, 'backend did not accept; trying the next');
      this.connect(client, targets, start, attempt + 1);
    };
    upstream.once('timeout', () => retry(new Error('connect timeout')));
    upstream.once('error', (err) => {
      if (!connected) retry(err);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      // Half-closes pass through (pipe ends the other side); a full close of either side ends both.
      upstream.on('close', () => client.end());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}
