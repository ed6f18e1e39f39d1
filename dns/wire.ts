/**
 * DNS wire-format constants shared by the query parser and the response encoder
 * (RFC 1035 §4.1, RFC 6891 §6, RFC 7871 §6).
 */

/** Size of the fixed message header. */
export const HEADER_SIZE = 12;
/** Largest DNS message (TCP length prefix is 16 bits). */
export const MAX_MESSAGE_SIZE = 65535;
/** UDP payload without EDNS (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_SIZE = 512;
/** Default advertised UDP payload: the DNS Flag Day 2020 size, which avoids IP fragmentation. */
export const DEFAULT_UDP_PAYLOAD = 1232;
/** Largest UDP payload we ever send, whatever the client advertises. */
export const MAX_UDP_PAYLOAD = 4096;
/** Longest name on the wire, length octets included (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255;
/** Longest label (RFC 1035 §2.3.4). */
export const MAX_LABEL_OCTETS = 63;

/** Header flag bits (second 16-bit word). */
export const FLAG_QR = 0x8000;
/** Authoritative answer. */
export const FLAG_AA = 0x0400;
/** Truncated. */
export const FLAG_TC = 0x0200;
/** Recursion desired (copied from the query). */
export const FLAG_RD = 0x0100;
/** Checking disabled (RFC 4035; copied from the query like RD). */
export const FLAG_CD = 0x0010;
/** Opcode field mask and shift. */
export const OPCODE_MASK = 0x7800;
/** Opcode field shift. */
export const OPCODE_SHIFT = 11;

/** Response codes; values above 15 live partly in the OPT TTL (RFC 6891 §6.1.3). */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

/** Record type numbers for the types fedgate parses or encodes. */
export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

/** Class IN. */
export const CLASS_IN = 1;
/** Class ANY (QCLASS only). */
export const CLASS_ANY = 255;
/** EDNS option code of Client Subnet (RFC 7871). */
export const OPTION_ECS = 8;

const typeNames = new Map<number, string>(Object.entries(TYPE).map(([name, code]) => [code, name]));

/** Presentation name of a QTYPE: a mnemonic for known types, else RFC 3597 `TYPEnnn`. */
export function typeName(code: number): string {
  return typeNames.get(code) ?? `TYPE${code}`;
}
