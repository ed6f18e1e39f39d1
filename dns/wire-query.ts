/**
 * Parses just what an authoritative server needs from a query: the header, the one
 * question (kept as raw bytes so the reply echoes the client's case) and the EDNS OPT
 * record with its Client Subnet option.
 *
 * Why not dns2's `Packet.parse`: it builds a full object graph for every packet (the
 * whole dns2 server runs at ~20k qps on one core, TOOLCHAIN.md), it accepts what a server
 * must reject with FORMERR (QDCOUNT ≠ 1, several OPT records, compressed or over-long
 * question names) and it does not tell where the question's bytes end. This parser
 * allocates one small object per query, never throws, and bounds every loop by the
 * packet length (each record consumes at least 11 bytes), so a hostile packet costs at
 * most one linear pass.
 */
import {
  FLAG_QR,
  HEADER_SIZE,
  MAX_LABEL_OCTETS,
  MAX_NAME_OCTETS,
  OPCODE_MASK,
  OPCODE_SHIFT,
  OPTION_ECS,
  RCODE,
  TYPE,
} from './wire.js';

/** EDNS Client Subnet as sent by the client (RFC 7871 §6). */
export interface ClientSubnet {
  /** 1 = IPv4, 2 = IPv6. */
  family: number;
  sourcePrefix: number;
  /** The address octets as sent: ceil(sourcePrefix / 8) of them. */
  address: Buffer;
  /** Presentation form, e.g. `198.51.100.0/24`. */
  subnet: string;
}

/** The OPT record of a query (RFC 6891 §6.1.2). */
export interface EdnsQuery {
  /** Requestor's UDP payload size, as sent (not yet clamped). */
  udpSize: number;
  version: number;
  /** DO bit; copied into the response (RFC 3225 §3). */
  dnssecOk: boolean;
  ecs?: ClientSubnet;
}

/** A well-formed standard query. */
export interface ParsedQuery {
  kind: 'query';
  id: number;
  /** The query's flag word as received. */
  flags: number;
  /** Lower-cased presentation name without the trailing dot (`''` is the root). */
  name: string;
  qtype: number;
  qclass: number;
  /** Offset just past QCLASS: the question is `packet[12, questionEnd)`. */
  questionEnd: number;
  edns?: EdnsQuery;
}

/** A query that gets an error response without asking the zone. */
export interface RejectedQuery {
  kind: 'reject';
  id: number;
  flags: number;
  rcode: number;
  /** Offset just past the question when it parsed, else 0 (the reply then has no question). */
  questionEnd: number;
  edns?: EdnsQuery;
}

/** A packet that gets no reply at all: shorter than a header, or itself a response. */
export interface DroppedPacket {
  kind: 'drop';
  reason: 'short' | 'response';
}

/** Outcome of parsing one received message. */
export type ParseResult = ParsedQuery | RejectedQuery | DroppedPacket;

const SHORT: DroppedPacket = { kind: 'drop', reason: 'short' };
const RESPONSE: DroppedPacket = { kind: 'drop', reason: 'response' };

/**
 * Classifies one message. Responses (QR set) are dropped rather than answered with
 * FORMERR: answering them lets two servers (or a spoofed source) bounce error packets
 * between each other forever, which is why BIND drops them too.
 */
export function parseQuery(packet: Buffer): ParseResult {
  const len = packet.length;
  if (len < HEADER_SIZE) return SHORT;
  const id = packet.readUInt16BE(0);
  const flags = packet.readUInt16BE(2);
  if (flags & FLAG_QR) return RESPONSE;
  const opcode = (flags & OPCODE_MASK) >> OPCODE_SHIFT;
  const qdcount = packet.readUInt16BE(4);
  const ancount = packet.readUInt16BE(6);
  const nscount = packet.readUInt16BE(8);
  const arcount = packet.readUInt16BE(10);

  let name = '';
  let questionEnd = 0;
  let formerr = qdcount !== 1;
  if (!formerr) {
    const nameEnd = readQuestionName(packet);
    if (nameEnd < 0 || nameEnd + 4 > len) formerr = true;
    else {
      name = lastName;
      questionEnd = nameEnd + 4;
    }
  }

  let edns: EdnsQuery | undefined;
  if (!formerr) {
    let off = questionEnd;
    for (let i = 0; i < ancount + nscount && off >= 0; i++) off = skipRecord(packet, off);
    for (let i = 0; i < arcount && off >= 0; i++) {
      const rec = off;
      off = skipRecord(packet, off);
      if (off < 0) break;
      if (packet[rec] === 0 && packet.readUInt16BE(rec + 1) === TYPE.OPT) {
        if (edns !== undefined) {
          off = -1; // RFC 6891 §6.1.1: more than one OPT is FORMERR
          break;
        }
        edns = readOpt(packet, rec, off);
        if (edns === undefined) off = -1;
      } else if (packet.readUInt16BE(skipName(packet, rec)) === TYPE.OPT) {
        off = -1; // OPT owner must be the root
      }
    }
    if (off < 0) formerr = true;
  }

  if (opcode !== 0) return { kind: 'reject', id, flags, rcode: RCODE.NOTIMP, questionEnd, edns };
  if (formerr) return { kind: 'reject', id, flags, rcode: RCODE.FORMERR, questionEnd, edns };
  if (edns !== undefined && edns.version > 0) {
    return { kind: 'reject', id, flags, rcode: RCODE.BADVERS, questionEnd, edns };
  }
  return {
    kind: 'query',
    id,
    flags,
    name,
    qtype: packet.readUInt16BE(questionEnd - 4),
    qclass: packet.readUInt16BE(questionEnd - 2),
    questionEnd,
    edns,
  };
}

/** The name read by the last `readQuestionName` (avoids allocating a result object). */
let lastName = '';
/** The lower-cased name with dots, built byte by byte and decoded with one call (not one per label). */
const nameScratch = Buffer.allocUnsafe(MAX_NAME_OCTETS);

/**
 * Reads the question name at offset 12 into `lastName`; returns the offset past it, or -1.
 * Compression pointers are rejected: the question is the first name in the message, so a
 * pointer could only point into the header or into itself.
 */
function readQuestionName(packet: Buffer): number {
  const len = packet.length;
  let pos = HEADER_SIZE;
  let out = 0;
  let plain = true;
  for (;;) {
    if (pos >= len) return -1;
    const labelLen = packet[pos]!;
    if (labelLen === 0) break;
    if (labelLen > MAX_LABEL_OCTETS) return -1; // pointer or extended label type
    const start = pos + 1;
    const end = start + labelLen;
    if (end > len || end - HEADER_SIZE + 1 > MAX_NAME_OCTETS) return -1;
    if (out > 0) nameScratch[out++] = 0x2e;
    for (let i = start; i < end; i++) {
      let c = packet[i]!;
      if (c >= 0x41 && c <= 0x5a) c += 0x20; // A–Z only (RFC 4343), never by locale
      else if (c <= 0x20 || c >= 0x7f || c === 0x2e || c === 0x5c) plain = false;
      nameScratch[out++] = c;
    }
    pos = end;
  }
  lastName = plain ? nameScratch.toString('latin1', 0, out) : escapedName(packet);
  return pos + 1;
}

/** The question name (known to be well-formed) with odd bytes escaped, label by label. */
function escapedName(packet: Buffer): string {
  let name = '';
  for (let pos = HEADER_SIZE; packet[pos]! !== 0; pos += packet[pos]! + 1) {
    const label = lowerAscii(escapeLabel(packet, pos + 1, pos + 1 + packet[pos]!));
    name = name === '' ? label : `${name}.${label}`;
  }
  return name;
}

/** Presentation form of a label with odd bytes: `\DDD` escapes (RFC 1035 §5.1), so no byte can fake a dot. */
function escapeLabel(packet: Buffer, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = packet[i]!;
    if (c <= 0x20 || c >= 0x7f || c === 0x2e || c === 0x5c) out += `\\${c.toString().padStart(3, '0')}`;
    else out += String.fromCharCode(c);
  }
  return out;
}

/** Lower-cases A–Z only: DNS names compare case-insensitively in ASCII (RFC 4343), never by locale. */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Offset past a (possibly compressed) name starting at `off`, or -1. */
function skipName(packet: Buffer, off: number): number {
  const len = packet.length;
  let pos = off;
  for (let octets = 0; ; ) {
    if (pos >= len) return -1;
    const b = packet[pos]!;
    if (b === 0) return pos + 1;
    if ((b & 0xc0) === 0xc0) return pos + 2 <= len ? pos + 2 : -1;
    if (b > MAX_LABEL_OCTETS) return -1;
    octets += b + 1;
    if (octets + 1 > MAX_NAME_OCTETS) return -1;
    pos += b + 1;
  }
}

/** Offset past one resource record starting at `off`, or -1 when it does not fit. */
function skipRecord(packet: Buffer, off: number): number {
  const nameEnd = skipName(packet, off);
  if (nameEnd < 0 || nameEnd + 10 > packet.length) return -1;
  const end = nameEnd + 10 + packet.readUInt16BE(nameEnd + 8);
  return end <= packet.length ? end : -1;
}

/** Reads an OPT record whose root owner is at `rec` and which ends at `end`; undefined when malformed. */
function readOpt(packet: Buffer, rec: number, end: number): EdnsQuery | undefined {
  const udpSize = packet.readUInt16BE(rec + 3);
  const version = packet[rec + 6]!;
  const dnssecOk = (packet[rec + 7]! & 0x80) !== 0;
  const edns: EdnsQuery = { udpSize, version, dnssecOk };
  let pos = rec + 11;
  while (pos < end) {
    if (pos + 4 > end) return undefined;
    const code = packet.readUInt16BE(pos);
    const optLen = packet.readUInt16BE(pos + 2);
    const data = pos + 4;
    if (data + optLen > end) return undefined;
    if (code === OPTION_ECS) {
      if (edns.ecs !== undefined) return undefined;
      const ecs = readClientSubnet(packet, data, optLen);
      if (ecs === undefined) return undefined;
      edns.ecs = ecs;
    }
    pos = data + optLen;
  }
  return edns;
}

/**
 * RFC 7871 §6/§7.1.1: a known family, a prefix no longer than the address, exactly
 * ceil(prefix/8) address octets and zero bits past the prefix; anything else is FORMERR.
 */
function readClientSubnet(packet: Buffer, off: number, optLen: number): ClientSubnet | undefined {
  if (optLen < 4) return undefined;
  const family = packet.readUInt16BE(off);
  const sourcePrefix = packet[off + 2]!;
  const width = family === 1 ? 32 : family === 2 ? 128 : 0;
  if (width === 0 || sourcePrefix > width) return undefined;
  const octets = Math.ceil(sourcePrefix / 8);
  if (optLen !== 4 + octets) return undefined;
  const address = Buffer.from(packet.subarray(off + 4, off + 4 + octets));
  const spare = octets * 8 - sourcePrefix;
  if (spare > 0 && (address[octets - 1]! & ((1 << spare) - 1)) !== 0) return undefined;
  const full = Buffer.alloc(width / 8);
  address.copy(full);
  let text: string;
  if (family === 1) text = Array.from(full).join('.');
  else {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(full.readUInt16BE(i).toString(16));
    text = groups.join(':');
  }
  return { family, sourcePrefix, address, subnet: `${text}/${sourcePrefix}` };
}
