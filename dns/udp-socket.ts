/**
 * The UDP socket of the DNS server, the same in the server's own process and in each
 * worker process (where node:cluster makes every worker's bind share the primary's one
 * socket). One datagram in, at most one datagram out, straight back to its source.
 *
 * The send path is the server's hot spot (a CPU profile under dnsperf put most of the busy
 * time in `dgram` send), so it does no more than it must: the response is one Buffer, no
 * callback is passed, and the address lookup that `socket.send` performs for every packet
 * is answered synchronously for IP literals (a source address always is one) instead of
 * through `dns.lookup`, which defers each send to the next tick.
 *
 * On Linux the socket is then read and answered in batches (`udp-batch-io.ts`: one
 * recvmmsg and one sendmmsg per batch), which costs a fraction of the per-datagram path;
 * `dgram`'s own path remains when batching is not available or not wanted.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP, isIPv6, type AddressInfo } from 'node:net';
import type { Logger } from '../controller/index.js';
import type { Responder } from './responder.js';
import { startBatchIo, type BatchIo } from './udp-batch-io.js';

/** Kernel receive buffer asked for the UDP socket, so bursts are queued rather than dropped. */
export const UDP_RECV_BUFFER = 4 * 1024 * 1024;

/** Where a listener binds; port 0 picks a free one. */
export interface ListenAddress {
  host: string;
  port: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** `dgram`'s lookup (called with the socket's family as a number): IP literals at once, names through the system resolver. */
function literalLookup(hostname: string, family: number, callback: LookupCallback): void {
  const literal = isIP(hostname);
  if (literal !== 0) {
    callback(null, hostname, literal);
    return;
  }
  dnsLookup(hostname, family, callback);
}

/** How datagrams are read and answered: batched system calls where available, else `dgram`'s one at a time. */
export type UdpIo = 'batch' | 'dgram';

/** The batch readers of open sockets, stopped by closeUdpSocket. */
const batchReaders = new WeakMap<UdpSocket, BatchIo>();

/** A bound UDP socket, its address and the I/O path that serves it. */
export interface BoundUdpSocket {
  socket: UdpSocket;
  address: AddressInfo;
  io: UdpIo;
}

/**
 * Binds a UDP socket answering through `responder`; resolves with its address once bound.
 * `io: 'batch'` (the default) reads in batches when the platform allows, else falls back to
 * `dgram` (logged once at info); `'dgram'` always uses `dgram`'s path.
 */
export function bindUdpSocket(address: ListenAddress, responder: Responder, logger: Logger, io: UdpIo = 'batch'): Promise<BoundUdpSocket> {
  const socket = createSocket({ type: isIPv6(address.host) ? 'udp6' : 'udp4', lookup: literalLookup as never });
  socket.on('message', (msg, rinfo) => {
    if (rinfo.port === 0) return; // cannot be answered, and is never a real client
    const response = responder.respond(msg, rinfo.address, 'udp');
    // Send errors (an unreachable or invalid source) arrive on 'error', which only logs.
    if (response !== undefined) socket.send(response, rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => {
      void closeUdpSocket(socket);
      reject(err);
    };
    socket.once('error', fail);
    socket.bind(address.port, address.host, () => {
      socket.off('error', fail);
      socket.on('error', (err) => logger.warn({ err }, 'DNS UDP socket error'));
      try {
        socket.setRecvBufferSize(UDP_RECV_BUFFER);
      } catch {
        // the kernel cap (net.core.rmem_max) applies; the default buffer still works
      }
      let used: UdpIo = 'dgram';
      if (io === 'batch') {
        const batch = startBatchIo(socket, (packet, source) => responder.respond(packet, source, 'udp'), logger);
        if ('reason' in batch) {
          logReasonOnce(logger, batch.reason);
        } else {
          batchReaders.set(socket, batch);
          used = 'batch';
        }
      }
      resolve({ socket, address: socket.address(), io: used });
    });
  });
}

let reasonLogged = false;

function logReasonOnce(logger: Logger, reason: string): void {
  if (reasonLogged) return;
  reasonLogged = true;
  logger.info({ reason }, 'DNS answers UDP one datagram at a time');
}

/** Closes a UDP socket; resolves once closed (also when it never bound). */
export function closeUdpSocket(socket: UdpSocket): Promise<void> {
  batchReaders.get(socket)?.stop();
  batchReaders.delete(socket);
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
