/** Parsing of `HOST:PORT` flags (`127.0.0.1:6443`, `[::1]:6443`, `:6443`). */

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
