/**
 * The member's credentials from its join, kept in `<dataDir>/pki/`: `member.key` (the
 * private key, mode 0600, never leaves the member), `member.crt` (the client certificate
 * the gateway issued for the cluster name) and `ca.crt` (the gateway CA the member trusts).
 *
 * A rotation replaces key and certificate as a pair, through a journal: both new files are
 * written as `member-next.key`/`member-next.crt` first (each atomically, fsynced), then
 * renamed over the current ones, key first. A crash at any point leaves either the old
 * pair, the new pair, or a new key beside the old certificate with `member-next.crt` still
 * there — which `loadMemberCredentials` completes. A key and certificate that do not belong
 * together are never loaded.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The data directory they are kept in; renewed certificates are stored there (no rotation without it). */
  dataDir?: string;
}

/** Where the credentials live under a member's data directory. */
export function memberPkiPaths(dataDir: string): {
  dir: string;
  key: string;
  cert: string;
  ca: string;
  gateway: string;
  nextKey: string;
  nextCert: string;
} {
  const dir = join(dataDir, 'pki');
  return {
    dir,
    key: join(dir, 'member.key'),
    cert: join(dir, 'member.crt'),
    ca: join(dir, 'ca.crt'),
    gateway: join(dir, 'gateway-address'),
    nextKey: join(dir, 'member-next.key'),
    nextCert: join(dir, 'member-next.crt'),
  };
}

/** Validity and serial of a certificate, as a member schedules its renewal. */
export interface CertificateValidity {
  /** Lowercase hex. */
  serial: string;
  /** ms since the epoch. */
  notBefore: number;
  notAfter: number;
}

/** Validity and serial of a PEM certificate. */
export function certificateValidity(certPem: string | Buffer): CertificateValidity {
  const cert = new X509Certificate(certPem);
  return { serial: cert.serialNumber.toLowerCase(), notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) };
}

/** True when `certPem` certifies the public half of `keyPem`. */
export function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  try {
    const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCert);
  } catch {
    return false;
  }
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
  syncFile(tmp);
  renameSync(tmp, path);
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes renames in `dir` durable (best effort: not every platform can fsync a directory). */
function syncDir(dir: string): void {
  try {
    syncFile(dir);
  } catch {
    // Durability of the rename is then up to the file system's own ordering.
  }
}

/**
 * Replaces the key and certificate after a renewal, as a pair (see the module doc).
 * `keyPem` must be the key `certPem` certifies.
 */
export function saveRenewedCredentials(dataDir: string, keyPem: string, certPem: string): void {
  if (!keyMatchesCertificate(keyPem, certPem)) throw new Error('the renewed certificate does not certify the renewed key');
  const paths = memberPkiPaths(dataDir);
  atomicWrite(paths.nextKey, keyPem, 0o600);
  atomicWrite(paths.nextCert, certPem, 0o644);
  syncDir(paths.dir);
  renameSync(paths.nextKey, paths.key);
  renameSync(paths.nextCert, paths.cert);
  syncDir(paths.dir);
}

/**
 * Finishes or discards a rotation a crash interrupted: a `member-next.crt` that certifies
 * `member-next.key` (both renames pending) or `member.key` (the key was renamed) is moved
 * into place; anything else left over is removed.
 */
function recoverRotation(paths: ReturnType<typeof memberPkiPaths>): void {
  if (!existsSync(paths.nextCert)) {
    if (existsSync(paths.nextKey)) rmSync(paths.nextKey, { force: true });
    return;
  }
  const nextCert = readFileSync(paths.nextCert, 'utf8');
  if (existsSync(paths.nextKey) && keyMatchesCertificate(readFileSync(paths.nextKey, 'utf8'), nextCert)) {
    renameSync(paths.nextKey, paths.key);
  }
  if (existsSync(paths.key) && keyMatchesCertificate(readFileSync(paths.key, 'utf8'), nextCert)) {
    renameSync(paths.nextCert, paths.cert);
  } else {
    rmSync(paths.nextCert, { force: true });
  }
  rmSync(paths.nextKey, { force: true });
  syncDir(paths.dir);
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

/**
 * Reads the credentials of a completed join (finishing an interrupted rotation first);
 * NotFound (with what to do) when there are none, Invalid when key and certificate do not
 * belong together.
 */
export function loadMemberCredentials(dataDir: string): MemberCredentials {
  const paths = memberPkiPaths(dataDir);
  if (existsSync(paths.dir)) recoverRotation(paths);
  for (const p of [paths.key, paths.cert, paths.ca]) {
    if (!existsSync(p)) {
      throw new StatusError(StatusReason.NotFound, `no member credentials: ${p} is missing (run fedgate join with --data ${dataDir} first)`);
    }
  }
  const certPem = readFileSync(paths.cert, 'utf8');
  const clusterName = commonNameOf(certPem);
  if (!clusterName) throw new StatusError(StatusReason.Invalid, `${paths.cert} has no single CN`);
  const keyPem = readFileSync(paths.key, 'utf8');
  if (!keyMatchesCertificate(keyPem, certPem)) throw new StatusError(StatusReason.Invalid, `${paths.key} is not the key of ${paths.cert}`);
  const gatewayAddress = existsSync(paths.gateway) ? readFileSync(paths.gateway, 'utf8').trim() || undefined : undefined;
  return { clusterName, keyPem, certPem, caPem: readFileSync(paths.ca, 'utf8'), gatewayAddress, dataDir };
}
