/**
 * Batched UDP I/O for the DNS server on Linux: datagrams are read with one `recvmmsg(2)`
 * and answered with one `sendmmsg(2)` per batch of up to BATCH_SIZE, instead of one
 * `recvmsg` + one `sendmsg` and two trips through Node's `dgram` layer per datagram. Under
 * load a batch holds tens of queries, so the per-query cost drops from Node's per-datagram
 * path (~17–22 µs of CPU measured for a bare `dgram` echo) to a few µs. See ADR 016.
 *
 * The socket stays a `dgram` socket: `dgram` binds it (also through node:cluster in a worker
 * process, where the primary's socket is shared), reports its address and closes it. Only
 * reading moves here: `dgram`'s own receiving is stopped, and a libuv poll handle (through
 * koffi, which also calls the two system calls) says when the descriptor is readable.
 *
 * When batching is not available (not Linux, koffi cannot load, or `dgram`'s internals are
 * not as expected) `startBatchIo` returns a reason and the caller keeps `dgram`'s path.
 *
 *   const io = startBatchIo(socket, (packet, address) => responder.respond(packet, address, 'udp'), logger);
 *   if ('reason' in io) logger.info(io.reason) else ... io.stop();
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import type { Logger } from '../controller/index.js';

/** Datagrams read (and answered) per system call at most. */
export const BATCH_SIZE = 64;
/** Largest datagram read; a DNS query over UDP is far smaller, longer ones are truncated and dropped. */
const RECV_SLOT = 4096;
/** Largest datagram sent (the server caps UDP responses at 4096 bytes, MAX_UDP_PAYLOAD). */
const SEND_SLOT = 4096;
/** Room for a sockaddr_in6 (28 bytes), rounded up. */
const NAME_SLOT = 32;
/** sizeof(struct mmsghdr) on 64-bit Linux: struct msghdr (56) + msg_len (4) + padding. */
const MMSGHDR = 64;
/** sizeof(struct iovec). */
const IOVEC = 16;
/** Offsets inside struct msghdr / mmsghdr (x86-64 and arm64 Linux). */
const MSG_NAME = 0;
const MSG_NAMELEN = 8;
const MSG_IOV = 16;
const MSG_IOVLEN = 24;
const MSG_LEN = 56;
const MSG_DONTWAIT = 0x40;
const AF_INET = 2;
const AF_INET6 = 10;
const EAGAIN = 11;
const EINTR = 4;
/** Source addresses kept formatted; the map is cleared when it grows past this. */
const MAX_ADDRESS_CACHE = 4096;

/** Answers one datagram; undefined sends nothing. */
export type DatagramHandler = (packet: Buffer, sourceAddress: string) => Buffer | undefined;

/** A running batch reader; `stop()` before closing the socket. */
export interface BatchIo {
  stop(): void;
  /** Datagrams read, batches read, datagrams that could not be sent (full buffer, unreachable source). */
  stats(): { datagrams: number; batches: number; sendFailures: number };
}

interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => number };
  alloc(type: string, length: number): unknown;
  free(ptr: unknown): void;
  address(ptr: unknown): bigint;
  view(ptr: unknown, length: number): ArrayBuffer;
  errno(): number;
  node: { poll(fd: number, opts: { readable: boolean }, cb: (status: number, events: { readable: boolean }) => void): { close(): void } };
}

interface Syscalls {
  koffi: Koffi;
  recvmmsg: (fd: number, vec: unknown, vlen: number, flags: number, timeout: null) => number;
  sendmmsg: (fd: number, vec: unknown, vlen: number, flags: number) => number;
}

let syscalls: Syscalls | string | undefined;

/** koffi and the two system calls, loaded once; a string says why they are not available. */
function loadSyscalls(): Syscalls | string {
  if (syscalls !== undefined) return syscalls;
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) {
    syscalls = `batched UDP I/O needs Linux on x64 or arm64 (this is ${process.platform}/${process.arch})`;
    return syscalls;
  }
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    const libc = koffi.load('libc.so.6');
    syscalls = {
      koffi,
      recvmmsg: libc.func('int recvmmsg(int fd, void *msgvec, unsigned int vlen, int flags, void *timeout)') as Syscalls['recvmmsg'],
      sendmmsg: libc.func('int sendmmsg(int fd, void *msgvec, unsigned int vlen, int flags)') as Syscalls['sendmmsg'],
    };
  } catch (err) {
    syscalls = `batched UDP I/O is not available: ${(err as Error).message}`;
  }
  return syscalls;
}

/** The libuv UDP handle inside a bound `dgram` socket (Node keeps it under a private symbol). */
interface UdpHandle {
  fd: number;
  recvStop(): number;
}

function udpHandleOf(socket: UdpSocket): UdpHandle | undefined {
  for (const sym of Object.getOwnPropertySymbols(socket)) {
    const state = (socket as unknown as Record<symbol, unknown>)[sym] as { handle?: Partial<UdpHandle> } | undefined;
    const handle = state?.handle;
    if (handle && typeof handle.fd === 'number' && handle.fd >= 0 && typeof handle.recvStop === 'function') return handle as UdpHandle;
  }
  return undefined;
}

/** Formats the source address of datagram `i` (IPv4 cached by its 32-bit value). */
class AddressFormatter {
  private readonly v4 = new Map<number, string>();

  format(view: DataView, bytes: Uint8Array, at: number): string | undefined {
    const family = view.getUint16(at, true);
    if (family === AF_INET) {
      const key = view.getUint32(at + 4, false);
      let s = this.v4.get(key);
      if (s === undefined) {
        if (this.v4.size >= MAX_ADDRESS_CACHE) this.v4.clear();
        s = `${bytes[at + 4]}.${bytes[at + 5]}.${bytes[at + 6]}.${bytes[at + 7]}`;
        this.v4.set(key, s);
      }
      return s;
    }
    if (family === AF_INET6) return formatIpv6(view, at + 8);
    return undefined;
  }
}

/** RFC 5952 text of the 16 bytes at `at` (IPv4-mapped addresses as ::ffff:a.b.c.d, as dgram reports them). */
export function formatIpv6(view: DataView, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(view.getUint16(at + i * 2, false));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Takes over reading of a bound `dgram` socket: batches in, `handle` per datagram, batches
 * out. Returns `{ reason }` (and leaves the socket untouched) when batching is not available.
 */
export function startBatchIo(socket: UdpSocket, handle: DatagramHandler, logger: Logger): BatchIo | { reason: string } {
  const sys = loadSyscalls();
  if (typeof sys === 'string') return { reason: sys };
  const udp = udpHandleOf(socket);
  if (udp === undefined) return { reason: 'batched UDP I/O is not available: the dgram socket has no libuv handle with a descriptor' };
  const { koffi } = sys;

  // Two blocks, so each system call gets the start of its header array: receive (headers,
  // iovecs, source names, slots) and send (headers, iovecs, slots). Headers hold absolute
  // addresses, so a send header can be moved down without rewriting it.
  const RECV_IOV = BATCH_SIZE * MMSGHDR;
  const NAMES = RECV_IOV + BATCH_SIZE * IOVEC;
  const RECV_DATA = NAMES + BATCH_SIZE * NAME_SLOT;
  const RECV_SIZE = RECV_DATA + BATCH_SIZE * RECV_SLOT;
  const SEND_IOV = BATCH_SIZE * MMSGHDR;
  const SEND_DATA = SEND_IOV + BATCH_SIZE * IOVEC;
  const SEND_SIZE = SEND_DATA + BATCH_SIZE * SEND_SLOT;
  const recvBlock = koffi.alloc('uint8_t', RECV_SIZE);
  const sendBlock = koffi.alloc('uint8_t', SEND_SIZE);
  const recvBase = koffi.address(recvBlock);
  const sendBase = koffi.address(sendBlock);
  const recvMemory = koffi.view(recvBlock, RECV_SIZE);
  const recv = new DataView(recvMemory);
  const recvBytes = new Uint8Array(recvMemory);
  const send = new DataView(koffi.view(sendBlock, SEND_SIZE));
  const sendBytes = new Uint8Array(send.buffer);
  const nameAddress: bigint[] = [];
  const sendIovAddress: bigint[] = [];
  for (let i = 0; i < BATCH_SIZE; i++) {
    const h = i * MMSGHDR;
    nameAddress.push(recvBase + BigInt(NAMES + i * NAME_SLOT));
    recv.setBigUint64(h + MSG_NAME, nameAddress[i], true);
    recv.setBigUint64(h + MSG_IOV, recvBase + BigInt(RECV_IOV + i * IOVEC), true);
    recv.setBigUint64(h + MSG_IOVLEN, 1n, true);
    recv.setBigUint64(RECV_IOV + i * IOVEC, recvBase + BigInt(RECV_DATA + i * RECV_SLOT), true);
    recv.setBigUint64(RECV_IOV + i * IOVEC + 8, BigInt(RECV_SLOT), true);
    sendIovAddress.push(sendBase + BigInt(SEND_IOV + i * IOVEC));
    send.setBigUint64(SEND_IOV + i * IOVEC, sendBase + BigInt(SEND_DATA + i * SEND_SLOT), true);
    // One iovec per message, in every header (a header moved down by a partial send keeps it).
    send.setBigUint64(i * MMSGHDR + MSG_IOVLEN, 1n, true);
  }
  const addresses = new AddressFormatter();
  const counters = { datagrams: 0, batches: 0, sendFailures: 0 };
  let stopped = false;
  let reportedError = false;

  /** Sends the first `count` send headers; skips a datagram the kernel refuses, drops the rest on a full buffer. */
  const sendAll = (count: number): void => {
    while (count > 0) {
      const sent = sys.sendmmsg(udp.fd, sendBlock, count, 0);
      let skip: number;
      if (sent > 0) {
        skip = sent;
      } else {
        const errno = koffi.errno();
        if (errno === EINTR) continue;
        if (errno === EAGAIN) {
          // The socket's send buffer is full: the rest are dropped, as a full queue drops them.
          counters.sendFailures += count;
          return;
        }
        // The first datagram is refused (an unreachable or invalid source): skip it.
        counters.sendFailures++;
        skip = 1;
      }
      count -= skip;
      if (count > 0) sendBytes.copyWithin(0, skip * MMSGHDR, (skip + count) * MMSGHDR);
    }
  };

  const drain = (): void => {
    for (let round = 0; round < 16 && !stopped; round++) {
      for (let i = 0; i < BATCH_SIZE; i++) recv.setUint32(i * MMSGHDR + MSG_NAMELEN, NAME_SLOT, true);
      const n = sys.recvmmsg(udp.fd, recvBlock, BATCH_SIZE, MSG_DONTWAIT, null);
      if (n <= 0) {
        const errno = n < 0 ? koffi.errno() : EAGAIN;
        if (errno !== EAGAIN && errno !== EINTR && !reportedError) {
          reportedError = true;
          logger.warn({ errno }, 'DNS UDP receive failed');
        }
        return;
      }
      counters.batches++;
      counters.datagrams += n;
      let out = 0;
      for (let i = 0; i < n; i++) {
        const h = i * MMSGHDR;
        const length = recv.getUint32(h + MSG_LEN, true);
        const name = NAMES + i * NAME_SLOT;
        if (length > RECV_SLOT || recv.getUint16(name + 2, false) === 0) continue; // truncated, or port 0: never a real client
        const source = addresses.format(recv, recvBytes, name);
        if (source === undefined) continue;
        let response: Buffer | undefined;
        try {
          response = handle(Buffer.from(recvMemory, RECV_DATA + i * RECV_SLOT, length), source);
        } catch (err) {
          logger.warn({ err }, 'DNS UDP handler failed');
          continue;
        }
        if (response === undefined || response.length > SEND_SLOT) continue;
        sendBytes.set(response, SEND_DATA + out * SEND_SLOT);
        const s = out * MMSGHDR;
        send.setBigUint64(s + MSG_NAME, nameAddress[i], true);
        send.setUint32(s + MSG_NAMELEN, recv.getUint32(h + MSG_NAMELEN, true), true);
        send.setBigUint64(s + MSG_IOV, sendIovAddress[out], true);
        send.setBigUint64(SEND_IOV + out * IOVEC + 8, BigInt(response.length), true);
        out++;
      }
      if (out > 0) sendAll(out);
      if (n < BATCH_SIZE) return;
    }
    // Still more after several full batches: let the event loop run; the poll fires again.
  };

  udp.recvStop();
  const poll = koffi.node.poll(udp.fd, { readable: true }, (status, events) => {
    if (status === 0 && events.readable) drain();
  });
  return {
    stop(): void {
      if (stopped) return;
      stopped = true;
      poll.close();
      // The block is freed once the poll handle is gone and no call can be running.
      setImmediate(() => {
        koffi.free(recvBlock);
        koffi.free(sendBlock);
      });
    },
    stats: () => ({ ...counters }),
  };
}
