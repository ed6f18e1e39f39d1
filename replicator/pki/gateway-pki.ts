/**
 * The gateway's certificate authority and serving certificate, kept as PEM files in
 * `<dataDir>/pki/` (after kubeadm's `/etc/kubernetes/pki`): `ca.crt`/`ca.key` (ECDSA P-256,
 * 10 years), `gateway.crt`/`gateway.key` (the gRPC serving certificate, 1 year). Private keys
 * are written mode 0600 in a 0700 directory, atomically (temp file + rename), so a crash
 * never leaves half a key behind.
 *
 * The CA signs member client certificates from CSRs: the subject is always
 * `CN=<cluster>, O=fedgate:members` with clientAuth only, whatever the CSR asked for, so a
 * bootstrap token can only buy a certificate for the cluster name it was registered under.
 * Member certificates live 30 days by default; members renew them in band (ADR 013).
 */
import { caCertHash } from '../../proto/index.js';
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { badRequest } from '../../apimachinery/index.js';
import { EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, x509 } from './x509-crypto.js';

/** Common name of the gateway CA. */
export const CA_COMMON_NAME = 'fedgate-ca';
/** Common name of the gateway's serving certificate. */
export const SERVER_COMMON_NAME = 'fedgate-gateway';
/** Organization every member client certificate carries (like Kubernetes' `system:nodes`). */
export const MEMBER_ORGANIZATION = 'fedgate:members';
/** Lifetime of the CA. */
export const CA_VALIDITY_DAYS = 3650;
/** Lifetime of the serving certificate. */
export const SERVER_VALIDITY_DAYS = 365;
/** A serving certificate expiring within this many days is re-issued at start. */
export const SERVER_RENEW_BEFORE_DAYS = 30;
/** Default lifetime of a member client certificate, days (members renew at 2/3 of it). */
export const DEFAULT_MEMBER_VALIDITY_DAYS = 30;
/** Default lifetime of a member client certificate, ms. */
export const DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS = DEFAULT_MEMBER_VALIDITY_DAYS * 86_400_000;
/** Shortest member certificate lifetime accepted (certificate times have one-second precision). */
export const MIN_MEMBER_CERTIFICATE_LIFETIME_MS = 2_000;
/** Hosts the serving certificate always names: members on the same machine dial loopback. */
export const ALWAYS_SERVED_HOSTS: readonly string[] = ['127.0.0.1', 'localhost'];

/**
 * Certificates are valid from a little before issuance: clocks of members and gateway
 * differ. A short-lived certificate is backdated by a tenth of its lifetime at most, so
 * that "2/3 of the lifetime" still means 2/3 of the time after issuance.
 */
const BACKDATE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** Options of `GatewayPki.loadOrCreate`. */
export interface GatewayPkiOptions {
  /** SANs of the serving certificate: IP addresses and DNS names the gateway serves on. */
  hosts: readonly string[];
  /** The current time (certificate validity); the system clock by default. */
  now?: () => Date;
  /**
   * Where the PEM files live; `<dataDir>/pki` by default. A member's local API keeps its own
   * CA apart from `<dataDir>/pki`, which holds the member's credentials from its join.
   */
  dir?: string;
  /** CN of a CA created here (`fedgate-ca` by default). */
  caCommonName?: string;
  /** CN of the serving certificate (`fedgate-gateway` by default); a certificate with another CN is re-issued. */
  serverCommonName?: string;
  /** Base name of the serving certificate's files (`gateway`: `gateway.crt`, `gateway.key`). */
  serverFileName?: string;
  /**
   * A CA the operator brings (`readCertificateAuthority`): used instead of one created here.
   * Its certificate is written to the directory (what `fedgate token create` hashes), its key
   * never; a directory that already holds another CA is an error.
   */
  ca?: CertificateKeyPair;
}

/** A certificate and its private key, PEM (the key PKCS#8). */
export interface CertificateKeyPair {
  certPem: string;
  keyPem: string;
}

/** The subject of a client certificate: the user (CN) and their groups (O), as Kubernetes maps them. */
export interface ClientCertificateSubject {
  commonName: string;
  organizations?: readonly string[];
}

type PemPair = CertificateKeyPair;

/** The gateway CA, its serving certificate, and member certificate issuance and checks. */
export class GatewayPki {
  private readonly caCert: X509Certificate;
  private readonly caX509: x509.X509Certificate;

  private constructor(
    /** The CA certificate, PEM: what members trust. */
    readonly caPem: string,
    private readonly caKey: webcrypto.CryptoKey,
    /** The serving certificate, PEM (leaf only). */
    readonly serverCertPem: string,
    /** The serving certificate's private key, PKCS#8 PEM. */
    readonly serverKeyPem: string,
    private readonly now: () => Date,
  ) {
    this.caCert = new X509Certificate(caPem);
    this.caX509 = new x509.X509Certificate(caPem);
  }

  /**
   * Loads `<dataDir>/pki/` (or `options.dir`), creating the CA and serving certificate on
   * first start; the serving certificate is re-issued when its SANs differ from `hosts` (plus
   * loopback) or its CN from `serverCommonName`, it expires within 30 days, or it was not
   * signed by the CA on disk.
   */
  static async loadOrCreate(dataDir: string, options: GatewayPkiOptions): Promise<GatewayPki> {
    const now = options.now ?? (() => new Date());
    const dir = options.dir ?? join(dataDir, 'pki');
    const serverCommonName = options.serverCommonName ?? SERVER_COMMON_NAME;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const paths = pkiPaths(dir, options.serverFileName);

    let ca: PemPair;
    if (options.ca) {
      ca = options.ca;
      if (existsSync(paths.caCert) && !sameCertificate(readFileSync(paths.caCert, 'utf8'), ca.certPem)) {
        throw new Error(`${paths.caCert} holds another CA than --ca-cert-file; members joined to it trust only it. Move ${dir} away to switch CAs (members must join again)`);
      }
      if (existsSync(paths.caKey)) throw new Error(`${paths.caKey} exists while the CA key comes from --ca-key-file; remove the file so the key lives in one place`);
      if (!existsSync(paths.caCert)) writePublicFile(paths.caCert, ca.certPem);
    } else if (existsSync(paths.caCert) || existsSync(paths.caKey)) {
      if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) {
        throw new Error(`${dir}: one of ca.crt and ca.key is missing; restore both, remove both to create a new CA, or pass the CA with --ca-cert-file and --ca-key-file`);
      }
      ca = { certPem: readFileSync(paths.caCert, 'utf8'), keyPem: readFileSync(paths.caKey, 'utf8') };
    } else {
      ca = await createCa(now(), options.caCommonName ?? CA_COMMON_NAME);
      writeKeyFile(paths.caKey, ca.keyPem);
      writePublicFile(paths.caCert, ca.certPem);
    }
    const caKey = await importPrivateKey(ca.keyPem);

    const hosts = servedHosts(options.hosts);
    let server: PemPair | undefined;
    if (existsSync(paths.serverCert) && existsSync(paths.serverKey)) {
      const loaded = { certPem: readFileSync(paths.serverCert, 'utf8'), keyPem: readFileSync(paths.serverKey, 'utf8') };
      if (serverCertStillGood(loaded.certPem, ca.certPem, hosts, serverCommonName, now())) server = loaded;
    }
    if (!server) {
      server = await createServerCert(ca, caKey, hosts, serverCommonName, now());
      writeKeyFile(paths.serverKey, server.keyPem);
      writePublicFile(paths.serverCert, server.certPem);
    }
    return new GatewayPki(ca.certPem, caKey, server.certPem, server.keyPem, now);
  }

  /** The serving certificate followed by the CA: the chain a TLS server presents (members check the CA's hash in it). */
  get serverChainPem(): string {
    return `${this.serverCertPem.trimEnd()}\n${this.caPem.trimEnd()}\n`;
  }

  /** `sha256:<hex>` of the CA's SubjectPublicKeyInfo, as kubeadm's `--discovery-token-ca-cert-hash`. */
  get caHash(): string {
    return caCertHash(this.caPem);
  }

  /**
   * Issues a client certificate for `clusterName` from a PKCS#10 request, valid for
   * `lifetimeMs` (30 days by default). The request's signature must verify (proof the
   * requester holds the key); its subject and extensions are ignored. BadRequest for an
   * unreadable or forged request or a lifetime under 2 s.
   */
  async signMemberCsr(csrPem: string, clusterName: string, lifetimeMs = DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS): Promise<string> {
    if (!Number.isFinite(lifetimeMs) || lifetimeMs < MIN_MEMBER_CERTIFICATE_LIFETIME_MS) {
      throw badRequest(`a member certificate lifetime must be at least ${MIN_MEMBER_CERTIFICATE_LIFETIME_MS} ms, got ${lifetimeMs}`);
    }
    const { csr } = await readCertificateRequest(csrPem);
    const cert = await this.signClientCertificate(csr.publicKey, { commonName: clusterName, organizations: [MEMBER_ORGANIZATION] }, lifetimeMs);
    return cert.toString('pem') + '\n';
  }

  /**
   * A new key pair and a client certificate for it (clientAuth only), signed by this CA,
   * valid for `lifetimeMs`: an identity kept in memory, never written (the gateway's
   * identity towards member APIs). The subject is the caller's: only code holding the CA
   * calls this.
   */
  async issueClientCertificate(subject: ClientCertificateSubject, lifetimeMs: number): Promise<CertificateKeyPair> {
    if (!Number.isFinite(lifetimeMs) || lifetimeMs < MIN_MEMBER_CERTIFICATE_LIFETIME_MS) {
      throw badRequest(`a client certificate lifetime must be at least ${MIN_MEMBER_CERTIFICATE_LIFETIME_MS} ms, got ${lifetimeMs}`);
    }
    if (subject.commonName === '') throw badRequest('a client certificate needs a common name');
    const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
    const cert = await this.signClientCertificate(keys.publicKey, subject, lifetimeMs);
    return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKey(keys.privateKey) };
  }

  /** A clientAuth certificate for `publicKey` with `subject`, signed by this CA, valid `lifetimeMs` (backdated a little). */
  private async signClientCertificate(publicKey: webcrypto.CryptoKey | x509.PublicKey, subject: ClientCertificateSubject, lifetimeMs: number): Promise<x509.X509Certificate> {
    const now = this.now().getTime();
    return x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: [{ CN: [subject.commonName] }, ...(subject.organizations ?? []).map((o) => ({ O: [o] }))],
      issuer: this.caX509.subjectName,
      notBefore: new Date(now - Math.min(BACKDATE_MS, Math.floor(lifetimeMs / 10))),
      notAfter: new Date(now + lifetimeMs),
      publicKey,
      signingKey: this.caKey,
      signingAlgorithm: EC_SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        await x509.SubjectKeyIdentifierExtension.create(publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.caX509.publicKey),
      ],
    });
  }

  /**
   * The cluster a peer certificate authenticates, or undefined: it must be signed by this
   * CA, valid now, not a CA, carry the clientAuth usage, `O=fedgate:members` and one CN.
   * Accepts DER, PEM, or the `PeerCertificate` a TLS socket (or grpc-js) reports.
   */
  clusterNameOf(peerCert: PeerCertificate | Buffer | string | undefined): string | undefined {
    return this.memberCertificateOf(peerCert)?.cluster;
  }

  /**
   * The member identity a peer certificate proves (see `clusterNameOf` for the checks), with
   * what identifies that one certificate; undefined when it proves none.
   */
  memberCertificateOf(peerCert: PeerCertificate | Buffer | string | undefined): MemberCertificate | undefined {
    if (peerCert === undefined) return undefined;
    let cert: X509Certificate;
    try {
      const raw = typeof peerCert === 'string' || Buffer.isBuffer(peerCert) ? peerCert : peerCert.raw;
      if (!raw || raw.length === 0) return undefined;
      cert = new X509Certificate(raw);
    } catch {
      return undefined;
    }
    if (!cert.checkIssued(this.caCert) || !cert.verify(this.caCert.publicKey)) return undefined;
    const now = this.now().getTime();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return undefined;
    if (cert.ca) return undefined;
    if (!(cert.keyUsage ?? []).includes(CLIENT_AUTH_OID)) return undefined;
    const fields = subjectFields(cert.subject);
    if (!(fields.get('O') ?? []).includes(MEMBER_ORGANIZATION)) return undefined;
    const cn = fields.get('CN') ?? [];
    if (cn.length !== 1 || !cn[0]) return undefined;
    return {
      cluster: cn[0],
      fingerprint: createHash('sha256').update(cert.raw).digest('hex'),
      serial: cert.serialNumber.toLowerCase(),
      notBefore: Date.parse(cert.validFrom),
      notAfter: Date.parse(cert.validTo),
      publicKeySpki: cert.publicKey.export({ type: 'spki', format: 'der' }),
    };
  }
}

/** A verified member certificate: the cluster it names and what identifies it. */
export interface MemberCertificate {
  /** The cluster (the certificate's only CN). */
  cluster: string;
  /** SHA-256 of the DER, hex (`certificateFingerprint`): what a Cluster records. */
  fingerprint: string;
  /** Serial number, lowercase hex (for logs and operators). */
  serial: string;
  /** Validity, ms since the epoch. */
  notBefore: number;
  notAfter: number;
  /** The certified public key, DER SubjectPublicKeyInfo. */
  publicKeySpki: Buffer;
}

/** A PKCS#10 request whose signature verified (the requester holds its key). */
export interface VerifiedCertificateRequest {
  csr: x509.Pkcs10CertificateRequest;
  /** The CNs its subject asks for (informational: issuance ignores the subject). */
  commonNames: string[];
  /** Its public key, DER SubjectPublicKeyInfo. */
  publicKeySpki: Buffer;
}

/** Parses a PEM certificate request and checks its signature; BadRequest otherwise. */
export async function readCertificateRequest(csrPem: string): Promise<VerifiedCertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw badRequest(`csr_pem is not a PEM certificate request: ${err instanceof Error ? err.message : String(err)}`);
  }
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw badRequest('the certificate request signature does not verify');
  const commonNames = csr.subjectName.getField('CN');
  return { csr, commonNames, publicKeySpki: Buffer.from(csr.publicKey.rawData) };
}

/** Serial number of a certificate, lowercase hex. */
export function certificateSerial(certPem: string | Buffer): string {
  return new X509Certificate(certPem).serialNumber.toLowerCase();
}

/** SHA-256 of a certificate's DER, hex: identifies one issued certificate. */
export function certificateFingerprint(certPem: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/** Where the PKI files live in a PKI directory (`<dataDir>/pki` for the gateway). */
export function pkiPaths(pkiDir: string, serverFileName = 'gateway'): { caCert: string; caKey: string; serverCert: string; serverKey: string } {
  return {
    caCert: join(pkiDir, 'ca.crt'),
    caKey: join(pkiDir, 'ca.key'),
    serverCert: join(pkiDir, `${serverFileName}.crt`),
    serverKey: join(pkiDir, `${serverFileName}.key`),
  };
}

function servedHosts(hosts: readonly string[]): string[] {
  const all = new Set([...ALWAYS_SERVED_HOSTS, ...hosts.map((h) => h.trim()).filter((h) => h !== '' && h !== '0.0.0.0' && h !== '::')]);
  return [...all].sort();
}

function subjectFields(subject: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

/** The SAN set of a certificate as `ip:` / `dns:` strings, for comparison with the wanted hosts. */
function sanSet(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith('IP Address:') ? s.slice('IP Address:'.length) : s.startsWith('DNS:') ? s.slice(4) : s))
    .sort();
}

function serverCertStillGood(certPem: string, caPem: string, hosts: string[], commonName: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if ((subjectFields(cert.subject).get('CN') ?? []).join('\n') !== commonName) return false;
    if (Date.parse(cert.validTo) - now.getTime() < SERVER_RENEW_BEFORE_DAYS * DAY_MS) return false;
    const have = sanSet(cert);
    return have.length === hosts.length && have.every((h, i) => h === hosts[i]);
  } catch {
    return false;
  }
}

async function createCa(now: Date, commonName: string): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKey(keys.privateKey) };
}

async function createServerCert(ca: PemPair, caKey: webcrypto.CryptoKey, hosts: string[], commonName: string, now: Date): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [commonName] }],
    issuer: caCert.subjectName,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((h) => ({ type: isIP(h) ? 'ip' : 'dns', value: h }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKey(keys.privateKey) };
}

/** A positive 128-bit serial (RFC 5280: positive, at most 20 octets, unpredictable). */
/** True when two PEM certificates are the same certificate. */
function sameCertificate(a: string, b: string): boolean {
  try {
    return new X509Certificate(a).fingerprint256 === new X509Certificate(b).fingerprint256;
  } catch {
    return false;
  }
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** A private key as PKCS#8 PEM (`BEGIN PRIVATE KEY`), which Node's TLS reads directly. */
export async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

async function importPrivateKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, EC_KEY_ALGORITHM, false, ['sign']);
}

/** Writes a private key: mode 0600 from the first byte on, replaced atomically. */
export function writeKeyFile(path: string, pem: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, pem, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Writes a certificate (public), replaced atomically. */
export function writePublicFile(path: string, pem: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, pem, { mode: 0o644 });
  renameSync(tmp, path);
}
