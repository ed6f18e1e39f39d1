import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { badRequest, grpcCodeOfReason, REASON_METADATA_KEY, StatusError, StatusReason, toGrpcStatus, type StatusReasonType } from '../../../apimachinery/index.js';

describe('grpc-status', () => {
  it('maps every StatusReason to a gRPC code', () => {
    for (const reason of Object.values(StatusReason)) {
      assert.equal(typeof grpcCodeOfReason[reason], 'number', reason);
      assert.notEqual(grpcCodeOfReason[reason], GrpcStatus.OK, reason);
    }
  });

  it('maps the refusals of the join and connect paths to their conventional codes', () => {
    const expected: [StatusReasonType, GrpcStatus][] = [
      [StatusReason.Unauthorized, GrpcStatus.UNAUTHENTICATED],
      [StatusReason.Forbidden, GrpcStatus.PERMISSION_DENIED],
      [StatusReason.AlreadyExists, GrpcStatus.ALREADY_EXISTS],
      [StatusReason.Invalid, GrpcStatus.INVALID_ARGUMENT],
      [StatusReason.BadRequest, GrpcStatus.INVALID_ARGUMENT],
      [StatusReason.Conflict, GrpcStatus.ABORTED],
      [StatusReason.NotFound, GrpcStatus.NOT_FOUND],
      [StatusReason.Timeout, GrpcStatus.DEADLINE_EXCEEDED],
      [StatusReason.ServiceUnavailable, GrpcStatus.UNAVAILABLE],
      [StatusReason.InternalError, GrpcStatus.INTERNAL],
      [StatusReason.TooManyRequests, GrpcStatus.RESOURCE_EXHAUSTED],
    ];
    for (const [reason, code] of expected) assert.equal(grpcCodeOfReason[reason], code, reason);
  });

  it('turns errors into a status with the message and the reason trailer', () => {
    const s = toGrpcStatus(new StatusError(StatusReason.Forbidden, 'certificate is for cluster a, not b'));
    assert.equal(s.code, GrpcStatus.PERMISSION_DENIED);
    assert.equal(s.details, 'certificate is for cluster a, not b');
    assert.deepEqual(s.metadata.get(REASON_METADATA_KEY), ['Forbidden']);
    assert.equal(toGrpcStatus(badRequest('x')).code, GrpcStatus.INVALID_ARGUMENT);
    const unknown = toGrpcStatus(new Error('boom'));
    assert.equal(unknown.code, GrpcStatus.INTERNAL);
    assert.match(unknown.details, /boom/);
    assert.deepEqual(unknown.metadata.get(REASON_METADATA_KEY), ['InternalError']);
  });
});
