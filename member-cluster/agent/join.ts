/**
 * Joining a gateway (after kubeadm's `join` with token discovery): the member must know the
 * gateway's CA before it sends its token — either as a file, or as the SHA-256 of the CA's
 * public key printed by `fedgate token create`. With a hash, the member opens a TLS
 * connection without trusting anything, takes the CA from the chain the gateway presents,
 * checks its hash and that it signed the gateway's certificate, and only then trusts it.
 * Trust on first use (believing whatever CA answers) is never done: it would hand the token
 * to anyone on the path.
 *
 * Then: a fresh ECDSA P-256 key, a CSR for the cluster name, Register with the token over
 * TLS verified against that CA; the issued certificate must be for our key and our name.
 */
import 'reflect-metadata';
import { credentials as grpcCredentials, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, type DetailedPeerCertificate } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { StatusError, StatusReason, type StatusReasonType, REASON_METADATA_KEY } from '../../apimachinery/index.js';
import { caCertHash, federationService, FederationClient, type fedgate, type RegisterRequest, type RegisterResponse } from '../../proto/index.js';
import { commonNameOf, hasMemberCredentials, memberPkiPaths, saveMemberCredentials, type MemberCredentials } from './credentials.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** How long a join may take end to end (discovery and Register) by default. */
export const DEFAULT_JOIN_TIMEOUT_MS = 10_000;
/** The `--ca-hash` format. */
export const CA_HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Options of `joinGateway`. */
export interface JoinOptions {
  /** `host:port` of the gateway's join port. */
  gatewayJoinAddress: string;
  token: string;
  clusterName: string;
  region?: string;
  zone?: string;
  labels?: Record<string, string>;
  externalAddresses?: string[];
  apiEndpoint?: string;
  /** PEM of the CA that signed the serving certificate of `apiEndpoint` (an https API). */
  apiCaBundle?: string;
  /** The member's data directory; credentials go to `<dataDir>/pki/`. */
  dataDir: string;
  /** The gateway CA, PEM (`--ca-file`). One of `caPem` and `caHash` is required. */
  caPem?: string;
  /** `sha256:<hex>` of the gateway CA's public key (`--ca-hash`). */
  caHash?: string;
  timeoutMs?: number;
  /** Name to verify the gateway certificate against, when it differs from the dialled host. */
  serverName?: string;
}

/** What a join stored. */
export interface JoinResult extends MemberCredentials {
  paths: ReturnType<typeof memberPkiPaths>;
}

function splitAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  if (!m) throw new StatusError(StatusReason.BadRequest, `gateway address "${address}" is not HOST:PORT`);
  return { host: m[1] ?? m[2] ?? '', port: Number(m[3]) };
}

const REASONS = new Set<string>(Object.values(StatusReason));

/**
 * A failed gRPC call as a StatusError: the gateway's reason from the trailer when it sent
 * one; otherwise the call never reached a handler (unreachable, timed out, TLS refused).
 */
export function statusFromGrpcError(err: ServiceError, address: string): StatusError {
  const sent = err.metadata?.get(REASON_METADATA_KEY)?.[0];
  if (typeof sent === 'string' && REASONS.has(sent)) return new StatusError(sent as StatusReasonType, err.details, {}, { cause: err });
  if (err.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new StatusError(StatusReason.Timeout, `the gateway at ${address} did not answer in time`, {}, { cause: err });
  }
  if (err.code === GrpcStatus.UNAVAILABLE) {
    return new StatusError(StatusReason.ServiceUnavailable, `cannot reach the gateway at ${address}: ${err.details}`, {}, { cause: err });
  }
  return new StatusError(StatusReason.InternalError, `gateway call failed: ${err.details || err.message}`, {}, { cause: err });
}

function peerChain(leaf: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = leaf; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(new X509Certificate(c.raw));
  }
  return out;
}

/**
 * Finds the gateway CA whose public-key hash is `caHash` in the chain the gateway presents
 * on `address`; the CA must have signed the gateway's certificate. Forbidden on mismatch,
 * ServiceUnavailable/Timeout when the gateway cannot be reached.
 */
export function discoverCa(address: string, caHash: string, timeoutMs = DEFAULT_JOIN_TIMEOUT_MS): Promise<string> {
  const wanted = caHash.trim().toLowerCase();
  if (!CA_HASH_PATTERN.test(wanted)) {
    return Promise.reject(new StatusError(StatusReason.BadRequest, `--ca-hash must be sha256:<64 hex digits>, got "${caHash}"`));
  }
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    // Nothing is trusted yet on this connection: it only carries the certificates to check.
    const socket = tlsConnect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new StatusError(StatusReason.Timeout, `the gateway at ${address} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new StatusError(StatusReason.ServiceUnavailable, `cannot reach the gateway at ${address}: ${err.message}`, {}, { cause: err }));
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const chain = peerChain(socket.getPeerCertificate(true));
      socket.destroy();
      const leaf = chain[0];
      const ca = chain.find((c) => c.ca && caCertHash(c.raw) === wanted);
      if (!leaf || !ca) {
        const seen = chain.filter((c) => c.ca).map((c) => caCertHash(c.raw));
        reject(
          new StatusError(
            StatusReason.Forbidden,
            `the gateway at ${address} does not present a CA with hash ${wanted} (it presents ${seen.join(', ') || 'no CA'}); check --ca-hash`,
          ),
        );
        return;
      }
      if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) {
        reject(new StatusError(StatusReason.Forbidden, `the gateway's certificate at ${address} is not signed by the CA with hash ${wanted}`));
        return;
      }
      resolve(ca.toString());
    });
  });
}

/** A fresh ECDSA P-256 key and a CSR for `CN=<clusterName>`. */
export async function createMemberCsr(clusterName: string): Promise<{ keyPem: string; csrPem: string; publicKeySpki: Buffer }> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: [{ CN: [clusterName] }], keys, signingAlgorithm: EC_SIGN });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  return {
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n',
    csrPem: csr.toString('pem') + '\n',
    publicKeySpki: Buffer.from(spki),
  };
}

function register(address: string, caPem: string, request: fedgate.v1.IRegisterRequest, timeoutMs: number, serverName?: string): Promise<RegisterResponse> {
  const options: Record<string, string> = {};
  if (serverName) options['grpc.ssl_target_name_override'] = serverName;
  const client = new FederationClient(address, grpcCredentials.createSsl(Buffer.from(caPem)), options);
  return new Promise<RegisterResponse>((resolve, reject) => {
    client.makeUnaryRequest(
      '/fedgate.v1.Federation/Register',
      federationService.register.requestSerialize,
      federationService.register.responseDeserialize,
      request as RegisterRequest,
      { deadline: Date.now() + timeoutMs },
      (err: ServiceError | null, res?: RegisterResponse) => (err ? reject(statusFromGrpcError(err, address)) : resolve(res as RegisterResponse)),
    );
  }).finally(() => client.close());
}

/**
 * Joins the gateway and stores the credentials in `<dataDir>/pki/`. StatusErrors: BadRequest
 * (no CA given, bad hash), AlreadyExists (the data directory already joined), Forbidden (CA
 * hash mismatch), and whatever the gateway refused with (Unauthorized token, AlreadyExists
 * cluster, Invalid name), ServiceUnavailable/Timeout when it cannot be reached.
 */
export async function joinGateway(o: JoinOptions): Promise<JoinResult> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS;
  if (hasMemberCredentials(o.dataDir)) {
    const existing = commonNameOf(readCert(o.dataDir)) ?? '?';
    throw new StatusError(StatusReason.AlreadyExists, `${memberPkiPaths(o.dataDir).cert} exists: this data directory already joined as cluster ${existing}`);
  }
  let caPem: string;
  if (o.caPem) {
    caPem = o.caPem;
    if (o.caHash && caCertHash(caPem) !== o.caHash.trim().toLowerCase()) {
      throw new StatusError(StatusReason.Forbidden, `the CA file does not match --ca-hash ${o.caHash}`);
    }
  } else if (o.caHash) {
    caPem = await discoverCa(o.gatewayJoinAddress, o.caHash, timeoutMs);
  } else {
    throw new StatusError(
      StatusReason.BadRequest,
      'the gateway CA is required: pass --ca-hash sha256:<hex> (printed by fedgate token create) or --ca-file <gateway ca.crt>',
    );
  }
  const { keyPem, csrPem, publicKeySpki } = await createMemberCsr(o.clusterName);
  const res = await register(
    o.gatewayJoinAddress,
    caPem,
    {
      token: o.token,
      clusterName: o.clusterName,
      csrPem,
      labels: o.labels ?? {},
      region: o.region ?? '',
      zone: o.zone ?? '',
      externalAddresses: o.externalAddresses ?? [],
      apiEndpoint: o.apiEndpoint ?? '',
      apiCaBundle: o.apiCaBundle ?? '',
    },
    timeoutMs,
    o.serverName,
  );
  const certPem = res.certificatePem;
  verifyIssuedCertificate(certPem, caPem, publicKeySpki, o.clusterName);
  const creds: MemberCredentials = { clusterName: o.clusterName, keyPem, certPem, caPem, gatewayAddress: res.memberAddress || undefined };
  const paths = saveMemberCredentials(o.dataDir, creds);
  return { ...creds, dataDir: o.dataDir, paths };
}

/**
 * Checks a certificate the gateway issued: signed by the CA we trust, for our key and our
 * cluster name. InternalError otherwise (the gateway misbehaved; nothing is stored).
 */
export function verifyIssuedCertificate(certPem: string, caPem: string, publicKeySpki: Buffer, clusterName: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new StatusError(StatusReason.InternalError, `the gateway returned no readable certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ca = new X509Certificate(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new StatusError(StatusReason.InternalError, 'the gateway returned a certificate not signed by its CA');
  if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKeySpki)) {
    throw new StatusError(StatusReason.InternalError, 'the gateway returned a certificate for another key');
  }
  if (commonNameOf(certPem) !== clusterName) throw new StatusError(StatusReason.InternalError, `the gateway returned a certificate for ${commonNameOf(certPem) ?? '?'}`);
}

function readCert(dataDir: string): string {
  return readFileSync(memberPkiPaths(dataDir).cert, 'utf8');
}
