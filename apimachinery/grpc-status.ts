/**
 * The one table between fedgate's failure reasons and gRPC status codes (after the
 * Kubernetes reason ↔ HTTP code table, and grpc's own HTTP ↔ gRPC mapping where they meet).
 * Every error a gRPC handler ends with goes through `toGrpcStatus`; the reason also travels
 * in the `fedgate-reason` trailer, so the member rebuilds the exact `StatusError` without a
 * reverse table.
 */
import { Metadata, status as GrpcStatus, type StatusObject } from '@grpc/grpc-js';
import { asStatusError, type StatusReasonType } from './errors.js';

/** Trailer carrying the `StatusReason` of a failed call. */
export const REASON_METADATA_KEY = 'fedgate-reason';

/** gRPC code of each reason. */
export const grpcCodeOfReason: Readonly<Record<StatusReasonType, GrpcStatus>> = {
  BadRequest: GrpcStatus.INVALID_ARGUMENT,
  Invalid: GrpcStatus.INVALID_ARGUMENT,
  NotAcceptable: GrpcStatus.INVALID_ARGUMENT,
  UnsupportedMediaType: GrpcStatus.INVALID_ARGUMENT,
  Unauthorized: GrpcStatus.UNAUTHENTICATED,
  Forbidden: GrpcStatus.PERMISSION_DENIED,
  NotFound: GrpcStatus.NOT_FOUND,
  AlreadyExists: GrpcStatus.ALREADY_EXISTS,
  // Another writer won (compare-and-swap) or a newer stream replaced this one: retry may succeed.
  Conflict: GrpcStatus.ABORTED,
  Gone: GrpcStatus.FAILED_PRECONDITION,
  Expired: GrpcStatus.FAILED_PRECONDITION,
  MethodNotAllowed: GrpcStatus.UNIMPLEMENTED,
  RequestEntityTooLarge: GrpcStatus.RESOURCE_EXHAUSTED,
  TooManyRequests: GrpcStatus.RESOURCE_EXHAUSTED,
  InternalError: GrpcStatus.INTERNAL,
  ServiceUnavailable: GrpcStatus.UNAVAILABLE,
  Timeout: GrpcStatus.DEADLINE_EXCEEDED,
};

/** The gRPC status a handler ends with for `err` (any error; unknown ones are INTERNAL). */
export function toGrpcStatus(err: unknown): StatusObject {
  const e = asStatusError(err);
  const metadata = new Metadata();
  metadata.set(REASON_METADATA_KEY, e.reason);
  return { code: grpcCodeOfReason[e.reason], details: e.message, metadata };
}

