/**
 * The messages between a `DnsServer` and its UDP worker processes (over the node:cluster
 * IPC channel, JSON-serialised). Order on the channel is the order of sending, which is
 * what makes zone deltas safe: a worker applies them in the order the primary built them.
 */
import type { AddressInfo } from 'node:net';
import type { ListenAddress, UdpIo } from './udp-socket.js';
import type { ZoneUpdate } from './zone-state.js';

/** Primary → worker: what to answer from and where to listen (the first message after `ready`). */
export interface WorkerInit {
  type: 'init';
  address: ListenAddress;
  maxUdpPayload?: number;
  maxCacheEntries?: number;
  udpIo?: UdpIo;
  /** Always a full update. */
  zone: ZoneUpdate;
}

/** Messages a worker receives. */
export type ToWorker = WorkerInit | { type: 'zone'; update: ZoneUpdate } | { type: 'stop' };

/** Messages a worker sends. */
export type FromWorker =
  /** The message handler is installed: `init` may be sent. */
  | { type: 'ready' }
  | { type: 'listening'; address: AddressInfo; io: UdpIo }
  /** The bind failed (`code` e.g. EADDRINUSE); the worker exits after sending it. */
  | { type: 'failed'; message: string; code?: string }
  /** The zone version the worker answers from after an update. */
  | { type: 'applied'; version: number }
  | { type: 'log'; level: 'warn' | 'error'; fields: Record<string, unknown>; msg: string };

/** True for a well-formed worker message (the channel carries nothing else, but never trust a shape). */
export function isFromWorker(m: unknown): m is FromWorker {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

/** True for a well-formed primary message. */
export function isToWorker(m: unknown): m is ToWorker {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
