/**
 * Entry of a DNS UDP worker process, forked by `DnsServer` through node:cluster (ADR 009).
 * It answers UDP queries from a `ZoneReplica` that the primary keeps current over IPC; it
 * reads no store and opens no other port. Its bind goes through cluster, so every worker
 * receives from the one socket the primary holds.
 *
 * Lifetime: the primary owns it. It exits on the primary's `stop`, and at once when the
 * IPC channel closes (the primary exited or was killed), so it never outlives the server.
 * SIGINT is ignored: a terminal's Ctrl-C reaches the whole process group, and the primary
 * stops its workers itself as part of a graceful stop.
 */
import cluster from 'node:cluster';
import type { Socket as UdpSocket } from 'node:dgram';
import type { Logger } from '../controller/index.js';
import { Responder } from './responder.js';
import { bindUdpSocket, closeUdpSocket } from './udp-socket.js';
import { isToWorker, type FromWorker, type ToWorker, type WorkerInit } from './udp-worker-messages.js';
import { ZoneReplica } from './zone-replica.js';

/** Plain fields for the IPC channel: errors become their name, message, code and stack. */
function serialisable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, code: (v as NodeJS.ErrnoException).code, stack: v.stack } : v;
  }
  return out;
}

function send(message: FromWorker): void {
  if (process.connected) process.send!(message);
}

const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (fields, msg) => send({ type: 'log', level: 'warn', fields: { ...serialisable(fields), pid: process.pid }, msg }),
  error: (fields, msg) => send({ type: 'log', level: 'error', fields: { ...serialisable(fields), pid: process.pid }, msg }),
};

const replica = new ZoneReplica();
let socket: UdpSocket | undefined;
let stopping = false;

async function start(init: WorkerInit): Promise<void> {
  replica.apply(init.zone);
  const responder = new Responder({ zone: replica, logger, maxUdpPayload: init.maxUdpPayload, maxCacheEntries: init.maxCacheEntries });
  try {
    const bound = await bindUdpSocket(init.address, responder, logger, init.udpIo);
    socket = bound.socket;
    send({ type: 'applied', version: replica.version });
    send({ type: 'listening', address: bound.address, io: bound.io });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    send({ type: 'failed', message: e.message, code: e.code });
    process.exit(1);
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (socket !== undefined) await closeUdpSocket(socket);
  process.exit(0);
}

function onMessage(message: ToWorker): void {
  switch (message.type) {
    case 'init':
      void start(message);
      return;
    case 'zone':
      try {
        replica.apply(message.update);
      } catch (err) {
        logger.error({ err }, 'DNS worker could not apply a zone update; answering from the previous one');
      }
      send({ type: 'applied', version: replica.version });
      return;
    case 'stop':
      void stop();
      return;
  }
}

if (!cluster.isWorker || process.send === undefined) {
  process.stderr.write('dns/udp-worker runs only as a DnsServer worker process (forked through node:cluster)\n');
  process.exit(2);
}
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (isToWorker(message)) onMessage(message);
});
send({ type: 'ready' });
