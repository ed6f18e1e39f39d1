/**
 * The errors every backend produces, worded once so that SQLite, etcd and the watch cache
 * fail in the same way and the conformance suite can compare them by reason.
 */
import { StatusError, StatusReason } from '../apimachinery/index.js';

/** NotFound: no live key. */
export function keyNotFound(key: string): StatusError {
  return new StatusError(StatusReason.NotFound, `key "${key}" not found`, { name: key });
}

/** AlreadyExists: create on a live key. */
export function keyExists(key: string): StatusError {
  return new StatusError(StatusReason.AlreadyExists, `key "${key}" already exists`, { name: key });
}

/** Conflict: the compare-and-swap revision is stale. */
export function revisionConflict(key: string, expected: number, actual: number): StatusError {
  return new StatusError(
    StatusReason.Conflict,
    `key "${key}" was modified: expected revision ${expected}, current revision ${actual}`,
    { name: key },
  );
}

/** Expired: the revision asked for is older than the compacted history. */
export function compacted(revision: number, compactRevision?: number): StatusError {
  const at = compactRevision === undefined ? '' : ` (compacted at ${compactRevision})`;
  return new StatusError(StatusReason.Expired, `too old resource version: ${revision}${at}`);
}

/** Timeout: a read at a revision the store has not reached (Kubernetes' "Too large resource version"). */
export function futureRevision(revision: number, current?: number): StatusError {
  const now = current === undefined ? '' : `, current: ${current}`;
  return new StatusError(StatusReason.Timeout, `Too large resource version: ${revision}${now}`, { retryAfterSeconds: 1 });
}

/** NotFound for a lease that expired, was revoked or never existed. */
export function leaseNotFound(id: number): StatusError {
  return new StatusError(StatusReason.NotFound, `lease ${id} not found`, { name: String(id) });
}

/** ServiceUnavailable: the store was closed; its watches end with this error. */
export function storeClosed(): StatusError {
  return new StatusError(StatusReason.ServiceUnavailable, 'store is closed');
}

/** BadRequest for a revision argument that makes no sense (negative, not an integer). */
export function badRevision(what: string, revision: number): StatusError {
  return new StatusError(StatusReason.BadRequest, `invalid ${what} revision: ${revision}`);
}

/** Throws BadRequest unless `revision` is a non-negative safe integer. */
export function checkRevision(what: string, revision: number): void {
  if (!Number.isSafeInteger(revision) || revision < 0) throw badRevision(what, revision);
}

/**
 * A stored value that cannot be decrypted: its encryption key is not configured, or the data
 * fails authentication (tampered with, or copied from another store key). InternalError, as
 * kube-apiserver answers for a value its transformers reject; the message names the store key
 * and the encryption key so an operator knows which object and which key file entry to look at.
 */
export class DecryptionError extends StatusError {
  constructor(
    /** The store key whose value failed. */
    readonly storeKey: string,
    /** The encryption key id the value names, when it could be read. */
    readonly keyId: string | undefined,
    why: string,
  ) {
    const key = keyId === undefined ? '' : ` (encryption key "${keyId}")`;
    super(StatusReason.InternalError, `Internal error occurred: cannot decrypt the value of "${storeKey}"${key}: ${why}`, {
      name: storeKey,
    });
  }
}

/** True when `err` is a `DecryptionError`. */
export function isDecryptionError(err: unknown): err is DecryptionError {
  return err instanceof DecryptionError;
}
