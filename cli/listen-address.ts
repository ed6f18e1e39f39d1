/** Parsing of `HOST:PORT` flags (`127.0.0.1:6443`, `[::1]:6443`, `:6443`). */

/** Default API address (loopback only). */
export const DEFAULT_LISTEN = '127.0.0.1:6443';
/** Default join port (Register: server-authenticated TLS). */
export const DEFAULT_JOIN_LISTEN = '127.0.0.1:7443';
/** Default member port (Connect: mutual TLS). */
export const DEFAULT_MEMBER_LISTEN = '127.0.0.1:7444';
/** Default DNS address (UDP and TCP). */
export const DEFAULT_DNS_LISTEN = '127.0.0.1:5353';
/** The join port as members reach it, when nothing says otherwise. */
export const DEFAULT_JOIN_ADDRESS = DEFAULT_JOIN_LISTEN;

/** A host and TCP/UDP port to listen on or dial. */
export interface HostPort {
  host: string;
  port: number;
}

/** Parses `HOST:PORT`; an empty host means 127.0.0.1. Throws an Error with a user-facing message. */
export function parseHostPort(value: string, flag: string): HostPort {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`${flag}: "${value}" is not HOST:PORT (for example 127.0.0.1:6443; port 0 picks a free port)`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}
