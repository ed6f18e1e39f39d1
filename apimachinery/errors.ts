/**
 * Errors of the API machinery. Every failure that reaches a client is a `StatusError`:
 * the gateway turns it into a Kubernetes `Status` body in exactly one place. Code that
 * needs to tell failures apart uses the predicates (`isNotFound(err)`), never strings.
 */

/** The `reason` values of Kubernetes' metav1.StatusReason that fedgate produces. */
export const StatusReason = {
  BadRequest: 'BadRequest',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Expired: 'Expired',
  Invalid: 'Invalid',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  UnsupportedMediaType: 'UnsupportedMediaType',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  TooManyRequests: 'TooManyRequests',
  InternalError: 'InternalError',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
} as const;

/** One of the `StatusReason` values. */
export type StatusReasonType = (typeof StatusReason)[keyof typeof StatusReason];

/** HTTP code of each reason, as the Kubernetes API server sends it. */
export const reasonCodes: Readonly<Record<StatusReasonType, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** metav1.StatusCause: one field-level reason of an Invalid error. */
export interface StatusCause {
  /** e.g. FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate */
  reason: string;
  message: string;
  /** JSON path of the field, e.g. `metadata.name` or `spec.replicas`. */
  field?: string;
}

/** metav1.StatusDetails. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire shape of a Kubernetes `Status` object. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReasonType | '';
  details?: StatusDetails;
  code: number;
}

/** A failure with a Kubernetes reason, HTTP code and optional field causes. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly code: number;

  constructor(
    readonly reason: StatusReasonType,
    message: string,
    readonly details: StatusDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = reasonCodes[reason];
  }

  /** The `Status` body a client receives for this error. */
  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (Object.keys(this.details).length > 0) body.details = this.details;
    return body;
  }
}

/** Identifies an object in error messages: the group/resource and the name. */
export interface ErrorSubject {
  group?: string;
  /** plural resource, e.g. `deployments` */
  resource: string;
  name?: string;
}

function qualified(s: ErrorSubject): string {
  return s.group ? `${s.resource}.${s.group}` : s.resource;
}

/** 404: `deployments.apps "web" not found`, worded as Kubernetes does. */
export function notFound(s: ErrorSubject): StatusError {
  return new StatusError(StatusReason.NotFound, `${qualified(s)} "${s.name ?? ''}" not found`, {
    name: s.name,
    group: s.group,
    kind: s.resource,
  });
}

/** 409 AlreadyExists. */
export function alreadyExists(s: ErrorSubject): StatusError {
  return new StatusError(StatusReason.AlreadyExists, `${qualified(s)} "${s.name ?? ''}" already exists`, {
    name: s.name,
    group: s.group,
    kind: s.resource,
  });
}

/** 409 Conflict: a stale resourceVersion or another writer won. */
export function conflict(s: ErrorSubject, why: string): StatusError {
  return new StatusError(
    StatusReason.Conflict,
    `Operation cannot be fulfilled on ${qualified(s)} "${s.name ?? ''}": ${why}`,
    { name: s.name, group: s.group, kind: s.resource },
  );
}

/** 422 Invalid with field causes. */
export function invalid(kind: string, name: string | undefined, causes: StatusCause[], group?: string): StatusError {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
  return new StatusError(StatusReason.Invalid, `${kind} "${name ?? ''}" is invalid: ${list}`, {
    name,
    group,
    kind,
    causes,
  });
}

/** 400 BadRequest. */
export function badRequest(message: string): StatusError {
  return new StatusError(StatusReason.BadRequest, message);
}

/** 410 Expired: a resourceVersion older than the compacted history. */
export function expired(message = 'too old resource version'): StatusError {
  return new StatusError(StatusReason.Expired, message);
}

/** 500 InternalError, keeping the original error as `cause`. */
export function internalError(message: string, cause?: unknown): StatusError {
  return new StatusError(StatusReason.InternalError, message, {}, { cause });
}

/** Any error as a StatusError; unknown errors become InternalError (their text is kept). */
export function asStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(`Internal error occurred: ${message}`, err);
}

function hasReason(err: unknown, ...reasons: StatusReasonType[]): boolean {
  return err instanceof StatusError && reasons.includes(err.reason);
}

/** True for a 404 NotFound. */
export const isNotFound = (err: unknown): boolean => hasReason(err, StatusReason.NotFound);
/** True for 409 AlreadyExists. */
export const isAlreadyExists = (err: unknown): boolean => hasReason(err, StatusReason.AlreadyExists);
/** True for 409 Conflict (not AlreadyExists). */
export const isConflict = (err: unknown): boolean => hasReason(err, StatusReason.Conflict);
/** True for 410 Expired or Gone: the caller must re-list. */
export const isExpired = (err: unknown): boolean => hasReason(err, StatusReason.Expired, StatusReason.Gone);
/** True for 422 Invalid. */
export const isInvalid = (err: unknown): boolean => hasReason(err, StatusReason.Invalid);
/** True for 400 BadRequest. */
export const isBadRequest = (err: unknown): boolean => hasReason(err, StatusReason.BadRequest);
/** True for 429 TooManyRequests. */
export const isTooManyRequests = (err: unknown): boolean => hasReason(err, StatusReason.TooManyRequests);
