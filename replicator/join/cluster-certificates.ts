/**
 * Which member certificates a Cluster accepts — the gateway's revocation mechanism.
 *
 * A Cluster records, in annotations, the fingerprint of the certificate its join or last
 * renewal issued (`current`) and, while a rotation is in flight, the fingerprint of the
 * certificate that asked for that renewal (`previous`). A member certificate opens a stream
 * or renews only while its fingerprint is one of the two. Hence:
 *
 * - deleting the Cluster (unjoin) revokes every certificate ever issued to the cluster;
 * - a later join under the same name records only its own certificate;
 * - a renewal drops whatever was `previous` before it, and the member connecting with the
 *   new certificate drops the one that asked for it (`retirePreviousCertificate`).
 *
 * It is an allow-list of at most two entries, so nothing grows with the number of
 * certificates ever issued, and no revocation list has to be kept or distributed. Every
 * change is a compare-and-swap on the Cluster, so a renewal racing an unjoin or another
 * renewal cannot resurrect a revoked certificate.
 */
import { X509Certificate } from 'node:crypto';
import { StatusError, StatusReason, type Cluster } from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';
import { certificateFingerprint, certificateSerial } from '../pki/index.js';
import { writeObjectStatus } from '../status/index.js';
import { clusterKey, formatTimestamp } from './stored-objects.js';

/** Annotation on a Cluster: SHA-256 of the member certificate its join or last renewal issued. */
export const CLIENT_CERTIFICATE_ANNOTATION = 'cluster.fedgate.io/client-certificate-sha256';
/** Annotation on a Cluster: SHA-256 of the certificate that asked for the current one (rotation overlap). */
export const PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION = 'cluster.fedgate.io/previous-client-certificate-sha256';
/** Annotation on a Cluster: serial number of the current member certificate (for operators). */
export const CLIENT_CERTIFICATE_SERIAL_ANNOTATION = 'cluster.fedgate.io/client-certificate-serial';
/** Annotation on a Cluster: expiry of the current member certificate, RFC 3339 (for operators). */
export const CLIENT_CERTIFICATE_NOT_AFTER_ANNOTATION = 'cluster.fedgate.io/client-certificate-not-after';

/** Where a certificate stands with its Cluster. */
export type CertificateStanding = 'current' | 'previous';

/** The fingerprints a Cluster accepts. */
export interface AcceptedCertificates {
  current?: string;
  previous?: string;
}

/** The fingerprints `cluster` accepts (none when nothing is recorded). */
export function acceptedCertificates(cluster: Readonly<Cluster>): AcceptedCertificates {
  const a = cluster.metadata.annotations ?? {};
  const out: AcceptedCertificates = {};
  if (a[CLIENT_CERTIFICATE_ANNOTATION]) out.current = a[CLIENT_CERTIFICATE_ANNOTATION];
  if (a[PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION]) out.previous = a[PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION];
  return out;
}

/** Where the certificate with `fingerprint` stands with `cluster`; undefined: refused. */
export function certificateStanding(cluster: Readonly<Cluster>, fingerprint: string): CertificateStanding | undefined {
  const accepted = acceptedCertificates(cluster);
  if (accepted.current === fingerprint) return 'current';
  if (accepted.previous === fingerprint) return 'previous';
  return undefined;
}

/** The annotations that record `certPem` as a Cluster's current certificate. */
export function certificateAnnotations(certPem: string): Record<string, string> {
  return {
    [CLIENT_CERTIFICATE_ANNOTATION]: certificateFingerprint(certPem),
    [CLIENT_CERTIFICATE_SERIAL_ANNOTATION]: certificateSerial(certPem),
    [CLIENT_CERTIFICATE_NOT_AFTER_ANNOTATION]: formatTimestamp(new Date(new X509Certificate(certPem).validTo)),
  };
}

/** The refusal of a cluster that has no Cluster object. */
export function notJoined(cluster: string): StatusError {
  return new StatusError(StatusReason.Forbidden, `cluster ${cluster} is not joined (no Cluster object); join it again`);
}

function refusedCertificate(cluster: string, obj: Readonly<Cluster>): StatusError {
  if (!acceptedCertificates(obj).current) {
    return new StatusError(StatusReason.Forbidden, `cluster ${cluster} has no member certificate on record; join it again with a bootstrap token`);
  }
  return new StatusError(StatusReason.Forbidden, `this certificate of cluster ${cluster} was revoked (superseded by a later join or renewal)`);
}

async function readCluster(store: Store, cluster: string): Promise<Cluster | undefined> {
  const kv = await store.get(clusterKey(cluster));
  return kv ? (JSON.parse(kv.value) as Cluster) : undefined;
}

/**
 * Checks that the member certificate `fingerprint` may act for `cluster` now; Forbidden
 * (PERMISSION_DENIED on the wire) when the cluster is not joined or the certificate is not
 * one it accepts.
 */
export async function checkMemberCertificate(store: Store, cluster: string, fingerprint: string): Promise<CertificateStanding> {
  const obj = await readCluster(store, cluster);
  if (!obj) throw notJoined(cluster);
  const standing = certificateStanding(obj, fingerprint);
  if (!standing) throw refusedCertificate(cluster, obj);
  return standing;
}

/**
 * Records a renewal: `newCertPem` becomes current and the presenting certificate previous
 * (whatever was previous before is dropped). The presenting certificate must still be
 * accepted in the very revision written over, so an unjoin or a competing renewal that
 * happened meanwhile wins: Forbidden then, and the new certificate is never accepted.
 */
export async function recordRenewedCertificate(store: Store, cluster: string, presentingFingerprint: string, newCertPem: string): Promise<void> {
  // The mutation either writes or throws, so no revision means the Cluster is gone.
  const revision = await writeObjectStatus<Cluster>(store, clusterKey(cluster), (obj) => {
    if (!certificateStanding(obj, presentingFingerprint)) throw refusedCertificate(cluster, obj);
    obj.metadata.annotations = {
      ...(obj.metadata.annotations ?? {}),
      ...certificateAnnotations(newCertPem),
      [PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION]: presentingFingerprint,
    };
    return true;
  });
  if (revision === undefined) throw notJoined(cluster);
}

/**
 * The member proved it holds its current certificate (it connected with it): the previous
 * one is no longer accepted. Returns whether anything was written.
 */
export async function retirePreviousCertificate(store: Store, cluster: string, currentFingerprint: string): Promise<boolean> {
  const revision = await writeObjectStatus<Cluster>(store, clusterKey(cluster), (obj) => {
    const accepted = acceptedCertificates(obj);
    if (accepted.current !== currentFingerprint || accepted.previous === undefined) return false;
    const annotations = { ...(obj.metadata.annotations ?? {}) };
    delete annotations[PREVIOUS_CLIENT_CERTIFICATE_ANNOTATION];
    obj.metadata.annotations = annotations;
    return true;
  });
  return revision !== undefined;
}
