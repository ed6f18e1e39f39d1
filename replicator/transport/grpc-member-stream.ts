/**
 * A grpc-js server Connect call as a `MemberStream`. Messages that arrive before anyone
 * listens are kept (and the call paused, so a member cannot grow that buffer without bound);
 * the first listener gets them in order. `send` passes grpc's write() backpressure through.
 * `onClose` handlers run exactly once, however the stream ends: the member half-closed or
 * went away, or the gateway closed it.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { toGrpcStatus } from '../../apimachinery/index.js';
import { GrpcMessageStream, type DuplexCall, type fedgate, type GatewayMessage, type MemberMessage } from '../../proto/index.js';
import type { MemberStream } from '../member-stream.js';
import type { MemberCertificate } from '../pki/index.js';

/** The server side of one authenticated member's Connect call. */
export class GrpcMemberStream extends GrpcMessageStream<MemberMessage, GatewayMessage> implements MemberStream {
  private readonly firstWaiters: { resolve: (m: MemberMessage) => void; reject: (err: Error) => void }[] = [];
  /** The member's Hello, set when the gateway accepted the stream (also its first `onMessage`). */
  hello: fedgate.v1.IHello | undefined;

  constructor(
    readonly cluster: string,
    private readonly serverCall: ServerDuplexStream<MemberMessage, GatewayMessage>,
    /** The verified client certificate the stream was opened with (its CN is `cluster`). */
    readonly certificate: Readonly<MemberCertificate>,
  ) {
    super(serverCall as unknown as DuplexCall<GatewayMessage>);
    serverCall.on('end', () => {
      // The member half-closed: finish our side too (OK status).
      this.finish(undefined, () => serverCall.end());
    });
    serverCall.on('cancelled', () => this.finish(new Error(`stream of cluster ${cluster} was cancelled by the member or the connection broke`)));
    serverCall.on('error', (err: Error) => this.finish(err));
  }

  override send(message: fedgate.v1.IGatewayMessage): boolean {
    return super.send(message as GatewayMessage);
  }

  close(err?: Error): void {
    this.finish(err, () => {
      if (err) {
        const status = toGrpcStatus(err);
        // grpc-js turns an 'error' emitted on a server call into the call's final status.
        this.serverCall.emit('error', { code: status.code, details: status.details, metadata: status.metadata });
      } else {
        this.serverCall.end();
      }
    });
  }

  /**
   * Resolves with the first message without taking it: it stays first in line for the
   * handler. Rejects when the stream ends first.
   */
  firstMessage(): Promise<MemberMessage> {
    const first = this.pending[0];
    if (first) return Promise.resolve(first);
    if (this.isClosed) return Promise.reject(new Error('stream closed before its first message'));
    return new Promise((resolve, reject) => this.firstWaiters.push({ resolve, reject }));
  }

  protected override onBuffered(message: MemberMessage): void {
    for (const w of this.firstWaiters.splice(0)) w.resolve(message);
  }

  protected override onFinish(err: Error | undefined): void {
    for (const w of this.firstWaiters.splice(0)) w.reject(err ?? new Error('stream closed before its first message'));
  }
}
