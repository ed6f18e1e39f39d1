/**
 * The member's credentials from its join, kept in `<dataDir>/pki/`: `member.key` (the
 * private key, mode 0600, never leaves the member), `member.crt` (the client certificate
 * the gateway issued for the cluster name) and `ca.crt` (the gateway CA the member trusts).
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatusError, StatusReason } from '../../apimachinery/index.js';

/** A member's identity towards the gateway. */
export interface MemberCredentials {
  /** The cluster name the certificate was issued for (its CN). */
  clusterName: string;
  /** PKCS#8 PEM private key. */
  keyPem: string;
  certPem: string;
  caPem: string;
  /** Where the gateway's member port is (from Register), when it said so. */
  gatewayAddress?: string;
}

/** Where the credentials live under a member's data directory. */
export function memberPkiPaths(dataDir: string): { dir: string; key: string; cert: string; ca: string; gateway: string } {
  const dir = join(dataDir, 'pki');
  return { dir, key: join(dir, 'member.key'), cert: join(dir, 'member.crt'), ca: join(dir, 'ca.crt'), gateway: join(dir, 'gateway-address') };
}

/** The CN of a certificate's subject, if it has exactly one. */
export function commonNameOf(certPem: string | Buffer): string | undefined {
  const cns = new X509Certificate(certPem).subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
  return cns.length === 1 ? cns[0] : undefined;
}

function atomicWrite(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** Writes the credentials: key 0600 in a 0700 directory, each file replaced atomically. */
export function saveMemberCredentials(dataDir: string, creds: MemberCredentials): ReturnType<typeof memberPkiPaths> {
  const paths = memberPkiPaths(dataDir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  atomicWrite(paths.ca, creds.caPem, 0o644);
  atomicWrite(paths.key, creds.keyPem, 0o600);
  if (creds.gatewayAddress) atomicWrite(paths.gateway, `${creds.gatewayAddress}\n`, 0o644);
  // The certificate last: its presence marks a completed join.
  atomicWrite(paths.cert, creds.certPem, 0o644);
  return paths;
}

/** True when the data directory holds a completed join. */
export function hasMemberCredentials(dataDir: string): boolean {
  return existsSync(memberPkiPaths(dataDir).cert);
}

/** Reads the credentials of a completed join; NotFound (with what to do) when there are none. */
export function loadMemberCredentials(dataDir: string): MemberCredentials {
  const paths = memberPkiPaths(dataDir);
  for (const p of [paths.key, paths.cert, paths.ca]) {
    if (!existsSync(p)) {
      throw new StatusError(StatusReason.NotFound, `no member credentials: ${p} is missing (run fedgate join with --data ${dataDir} first)`);
    }
  }
  const certPem = readFileSync(paths.cert, 'utf8');
  const clusterName = commonNameOf(certPem);
  if (!clusterName) throw new StatusError(StatusReason.Invalid, `${paths.cert} has no single CN`);
  const gatewayAddress = existsSync(paths.gateway) ? readFileSync(paths.gateway, 'utf8').trim() || undefined : undefined;
  return { clusterName, keyPem: readFileSync(paths.key, 'utf8'), certPem, caPem: readFileSync(paths.ca, 'utf8'), gatewayAddress };
}
