/**
 * The Renew call: a member trades a CSR for a new key pair for a new certificate of the same
 * cluster, authenticated by the certificate it holds now (mutual TLS on the member port).
 *
 * The cluster is the presenting certificate's — never anything the member sends; a CSR whose
 * subject names another cluster is refused (PERMISSION_DENIED) rather than silently
 * corrected, so a confused or hostile member shows up in the logs. The new certificate is
 * recorded as the Cluster's current one and the presenting one as previous, in one
 * compare-and-swap that also re-checks the presenting certificate is still accepted: a
 * renewal cannot outlive an unjoin that raced it.
 */
import { badRequest, StatusError, StatusReason } from '../../apimachinery/index.js';
import type { fedgate } from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS, readCertificateRequest } from '../pki/index.js';
import { checkMemberCertificate, recordRenewedCertificate } from './cluster-certificates.js';
import type { MemberCertificateIssuer } from './register.js';

/** The authenticated caller of Renew: what its verified client certificate says. */
export interface RenewCaller {
  cluster: string;
  fingerprint: string;
  /** The presenting certificate's public key (DER SPKI): a renewal must bring a new one. */
  publicKeySpki: Buffer;
}

/** A Renew request as decoded (or built by hand in tests). */
export type RenewInput = fedgate.v1.IRenewRequest;
/** A Renew response. */
export type RenewOutput = fedgate.v1.IRenewResponse;

/** Options of `RenewHandler`. */
export interface RenewHandlerOptions {
  store: Store;
  pki: MemberCertificateIssuer;
  /** Lifetime of issued member certificates, ms (default 30 days). */
  memberCertificateLifetimeMs?: number;
}

/** Serves Renew for an already authenticated caller. */
export class RenewHandler {
  constructor(private readonly options: RenewHandlerOptions) {}

  /**
   * Issues a new certificate for `caller.cluster`. StatusErrors: BadRequest (no, bad or
   * forged CSR; the same key again), Forbidden (the CSR names another cluster; the cluster is
   * not joined; the presenting certificate is no longer accepted).
   */
  async handle(caller: RenewCaller, req: RenewInput): Promise<RenewOutput> {
    const { store, pki } = this.options;
    if (!req.csrPem) throw badRequest('csr_pem is required');
    const csr = await readCertificateRequest(req.csrPem);
    const foreign = csr.commonNames.filter((cn) => cn !== caller.cluster);
    if (foreign.length > 0) {
      throw new StatusError(StatusReason.Forbidden, `certificate is for cluster ${caller.cluster}, not ${foreign.join(', ')}`);
    }
    if (csr.publicKeySpki.equals(caller.publicKeySpki)) {
      throw badRequest('a renewal needs a new key pair: the request is for the key of the presenting certificate');
    }
    // Refused early (before signing) when the caller is already revoked; checked again in the write.
    await checkMemberCertificate(store, caller.cluster, caller.fingerprint);
    const certificatePem = await pki.signMemberCsr(req.csrPem, caller.cluster, this.options.memberCertificateLifetimeMs ?? DEFAULT_MEMBER_CERTIFICATE_LIFETIME_MS);
    await recordRenewedCertificate(store, caller.cluster, caller.fingerprint, certificatePem);
    return { certificatePem, caPem: pki.caPem };
  }
}
