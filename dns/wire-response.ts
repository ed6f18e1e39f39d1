/**
 * Encodes responses. Answers are encoded once into a "body" (header with ID 0, the
 * question, the answer/authority/additional sections, no OPT) that the answer cache keeps;
 * each query then costs one copy plus patches: ID, RD/CD, the client's question bytes
 * (its original case), the OPT record, and TC when the body does not fit.
 *
 * Written by hand rather than through dns2's encoder: dns2 compresses SRV targets, which
 * RFC 2782 forbids, and writes bit by bit; this encoder compresses only where RFC 3597 §4
 * allows (owner names and the names in NS, CNAME and SOA data).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ResourceRecord, ZoneAnswer } from './answer-types.js';
import type { ClientSubnet, EdnsQuery } from './wire-query.js';
import {
  CLASS_IN,
  FLAG_AA,
  FLAG_CD,
  FLAG_QR,
  FLAG_RD,
  FLAG_TC,
  HEADER_SIZE,
  MAX_LABEL_OCTETS,
  MAX_MESSAGE_SIZE,
  MAX_NAME_OCTETS,
  OPCODE_MASK,
  OPTION_ECS,
  RCODE,
  TYPE,
} from './wire.js';

/** Query flags carried into every response (RFC 1035 §4.1.1 for RD, RFC 4035 §3.1.6 for CD). */
const COPIED_FLAGS = FLAG_RD | FLAG_CD;
/** Compression pointers hold a 14-bit offset. */
const MAX_POINTER_OFFSET = 0x3fff;

/** Growable byte writer with a name-compression table. */
class MessageWriter {
  buf = Buffer.alloc(512);
  pos = 0;
  /** Lower-cased name suffix → offset of its first occurrence. */
  readonly names = new Map<string, number>();

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos + n > MAX_MESSAGE_SIZE) throw new RangeError('DNS message exceeds 65535 octets');
    const next = Buffer.alloc(Math.min(MAX_MESSAGE_SIZE, Math.max(this.buf.length * 2, this.pos + n)));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** Writes a presentation name (no escapes; zone data), compressing suffixes seen before if `compress`. */
  name(name: string, compress: boolean): void {
    const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
    const labels = trimmed === '' ? [] : trimmed.split('.');
    let octets = 1;
    for (const label of labels) {
      const n = Buffer.byteLength(label);
      if (n === 0 || n > MAX_LABEL_OCTETS) throw new RangeError(`invalid label in DNS name "${name}"`);
      octets += n + 1;
    }
    if (octets > MAX_NAME_OCTETS) throw new RangeError(`DNS name "${name}" is longer than 255 octets`);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.names.get(suffix);
      if (compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (at === undefined && this.pos <= MAX_POINTER_OFFSET) this.names.set(suffix, this.pos);
      const label = Buffer.from(labels[i]!);
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }
  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/** Numeric RCODE of a zone's answer. */
function rcodeOf(answer: ZoneAnswer): number {
  switch (answer.rcode) {
    case 'NOERROR':
      return RCODE.NOERROR;
    case 'NXDOMAIN':
      return RCODE.NXDOMAIN;
    case 'REFUSED':
      return RCODE.REFUSED;
    default:
      return RCODE.SERVFAIL;
  }
}

/**
 * Encodes the cacheable body of a response to the question `packet[12, questionEnd)`
 * whose lower-cased presentation name is `name`. ID and RD are zero; no OPT.
 * Throws RangeError on zone data that cannot be encoded (the caller answers SERVFAIL).
 */
export function encodeAnswerBody(packet: Buffer, questionEnd: number, name: string, answer: ZoneAnswer): Buffer {
  const w = new MessageWriter();
  const aa = answer.authoritative && answer.rcode !== 'REFUSED' ? FLAG_AA : 0;
  w.u16(0);
  w.u16(FLAG_QR | aa | rcodeOf(answer));
  w.u16(1);
  w.u16(answer.answers.length);
  w.u16(answer.authority.length);
  w.u16(answer.additional.length);
  w.bytes(packet.subarray(HEADER_SIZE, questionEnd));
  // Names in the answer may point at the question's name and its suffixes.
  if (name !== '' && !name.includes('\\')) {
    let off = HEADER_SIZE;
    const labels = name.split('.');
    for (let i = 0; i < labels.length; i++) {
      w.names.set(labels.slice(i).join('.'), off);
      off += labels[i]!.length + 1;
    }
  }
  for (const rr of answer.answers) writeRecord(w, rr);
  for (const rr of answer.authority) writeRecord(w, rr);
  for (const rr of answer.additional) writeRecord(w, rr);
  return w.result();
}

function writeRecord(w: MessageWriter, rr: ResourceRecord): void {
  w.name(rr.name, true);
  w.u16(TYPE[rr.type]);
  w.u16(CLASS_IN);
  // RFC 2181 §8: TTLs above 2^31 - 1 are treated as zero by some resolvers.
  w.u32(Math.max(0, Math.min(Math.floor(rr.ttl), 0x7fffffff)));
  const lengthAt = w.pos;
  w.u16(0);
  switch (rr.type) {
    case 'A':
      if (!isIPv4(rr.address)) throw new RangeError(`invalid IPv4 address "${rr.address}"`);
      for (const part of rr.address.split('.')) w.u8(Number(part));
      break;
    case 'AAAA':
      w.bytes(ipv6Bytes(rr.address));
      break;
    case 'CNAME':
    case 'NS':
      w.name(rr.target, true);
      break;
    case 'TXT': {
      // A character-string holds at most 255 octets; longer text is split (RFC 7208 §3.3 style).
      const text = Buffer.from(rr.text);
      if (text.length === 0) w.u8(0);
      for (let i = 0; i < text.length; i += 255) {
        const chunk = text.subarray(i, i + 255);
        w.u8(chunk.length);
        w.bytes(chunk);
      }
      break;
    }
    case 'SRV':
      w.u16(rr.priority);
      w.u16(rr.weight);
      w.u16(rr.port);
      w.name(rr.target, false); // RFC 2782: no compression of the target
      break;
    case 'SOA':
      w.name(rr.primary, true);
      w.name(rr.admin, true);
      w.u32(rr.serial);
      w.u32(rr.refresh);
      w.u32(rr.retry);
      w.u32(rr.expiration);
      w.u32(rr.minimum);
      break;
    default:
      throw new RangeError(`unsupported record type ${(rr as { type: string }).type}`);
  }
  w.buf.writeUInt16BE(w.pos - lengthAt - 2, lengthAt);
}

/** The 16 octets of an IPv6 address in text form (with `::` and an optional dotted-quad tail). */
export function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address) || address.includes('%')) throw new RangeError(`invalid IPv6 address "${address}"`);
  let text = address;
  const out = Buffer.alloc(16);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail[1]!.split('.').map(Number);
    text = `${text.slice(0, tail.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const front = head === '' ? [] : head.split(':');
  const back = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** The OPT record of a response to a query that carried `edns`. */
export interface OptParams {
  /** Our advertised UDP payload size. */
  udpPayload: number;
  /** Upper 8 bits of a 12-bit RCODE (1 for BADVERS). */
  extendedRcode: number;
  dnssecOk: boolean;
  /** Client subnet to echo, with the scope prefix length we answer for. */
  ecs?: ClientSubnet;
  ecsScope?: number;
}

/** Encodes an OPT pseudo-record (RFC 6891 §6.1.2), echoing ECS per RFC 7871 §7.2.1. */
export function encodeOpt(p: OptParams): Buffer {
  const ecsLen = p.ecs ? 4 + 4 + p.ecs.address.length : 0;
  const out = Buffer.alloc(11 + ecsLen);
  out[0] = 0; // root owner
  out.writeUInt16BE(TYPE.OPT, 1);
  out.writeUInt16BE(p.udpPayload, 3);
  out[5] = p.extendedRcode;
  out[6] = 0; // version 0: the only one we speak
  out.writeUInt16BE(p.dnssecOk ? 0x8000 : 0, 7);
  out.writeUInt16BE(ecsLen, 9);
  if (p.ecs) {
    out.writeUInt16BE(OPTION_ECS, 11);
    out.writeUInt16BE(4 + p.ecs.address.length, 13);
    out.writeUInt16BE(p.ecs.family, 15);
    out[17] = p.ecs.sourcePrefix;
    out[18] = p.ecsScope ?? 0;
    p.ecs.address.copy(out, 19);
  }
  return out;
}

/** OPT parameters for answering a query's EDNS, or undefined when it had none. */
export function optFor(edns: EdnsQuery | undefined, udpPayload: number, rcode: number, ecsScope = 0): OptParams | undefined {
  if (edns === undefined) return undefined;
  return { udpPayload, extendedRcode: rcode >> 4, dnssecOk: edns.dnssecOk, ecs: edns.ecs, ecsScope };
}

/**
 * Builds the response to `packet` from a cached body: full when it fits in `limit` octets
 * (OPT included), else header + question (+ OPT) with TC set (RFC 2181 §9, RFC 6891 §7).
 */
export function finishResponse(body: Buffer, packet: Buffer, questionEnd: number, opt: Buffer | undefined, limit: number): Buffer {
  const optLen = opt === undefined ? 0 : opt.length;
  const full = body.length + optLen <= limit;
  const bodyLen = full ? body.length : questionEnd;
  const out = Buffer.allocUnsafe(bodyLen + optLen);
  // Byte loops and TypedArray#set: Buffer#copy's argument handling costs more than these
  // few dozen bytes on the per-query path.
  out.set(bodyLen === body.length ? body : body.subarray(0, bodyLen));
  out[0] = packet[0]!; // ID
  out[1] = packet[1]!;
  for (let i = HEADER_SIZE; i < questionEnd; i++) out[i] = packet[i]!; // the client's question, case and all
  let flags = out.readUInt16BE(2) | (packet.readUInt16BE(2) & COPIED_FLAGS);
  let arcount = out.readUInt16BE(10);
  if (!full) {
    flags |= FLAG_TC;
    out.writeUInt32BE(0, 6); // ANCOUNT, NSCOUNT
    arcount = 0;
  }
  out.writeUInt16BE(flags, 2);
  if (opt !== undefined) {
    out.set(opt, bodyLen);
    arcount += 1;
  }
  out.writeUInt16BE(arcount, 10);
  return out;
}

/**
 * An answer without records: FORMERR, NOTIMP, BADVERS, REFUSED or SERVFAIL. Echoes the
 * ID, opcode, RD/CD and, when it parsed (`questionEnd` > 0), the question.
 */
export function encodeBareResponse(packet: Buffer, questionEnd: number, rcode: number, opt: Buffer | undefined): Buffer {
  const qEnd = questionEnd > 0 ? questionEnd : HEADER_SIZE;
  const optLen = opt === undefined ? 0 : opt.length;
  const out = Buffer.alloc(qEnd + optLen);
  packet.copy(out, 0, 0, 2);
  const queryFlags = packet.readUInt16BE(2);
  out.writeUInt16BE(FLAG_QR | (queryFlags & (OPCODE_MASK | COPIED_FLAGS)) | (rcode & 0xf), 2);
  out.writeUInt16BE(questionEnd > 0 ? 1 : 0, 4);
  packet.copy(out, HEADER_SIZE, HEADER_SIZE, qEnd);
  if (opt !== undefined) {
    opt.copy(out, qEnd);
    out.writeUInt16BE(1, 10);
  }
  return out;
}
