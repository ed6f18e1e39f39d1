import { toGrpcStatus } from '../../apimachinery/index.js';
/**
 * A grpc-js server Connect call as a `MemberStream`. Messages that arrive before anyone
 * listens are kept (and the call paused, so a member cannot grow that buffer without bound);
 * the first listener gets them in order. `send` passes grpc's write() backpressure through.
 * `onClose` handlers run exactly once, however the stream ends: the member half-closed or
 * went away, or the gateway closed it.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { fedgate, GatewayMessage, MemberMessage } from '../../proto/index.js';
import type { MemberStream } from '../member-stream.js';

/** Messages buffered before the handler listens; past this the call is paused. */
const MAX_BUFFERED_BEFORE_LISTEN = 16;

/** The server side of one authenticated member's Connect call. */
export class GrpcMemberStream implements MemberStream {
  private readonly pending: MemberMessage[] = [];
  private messageHandler: ((message: MemberMessage) => void) | undefined;
  private readonly closeHandlers: ((err?: Error) => void)[] = [];
  private readonly firstWaiters: { resolve: (m: MemberMessage) => void; reject: (err: Error) => void }[] = [];
  private closed = false;
  private closeError: Error | undefined;
  /** The member's Hello, set when the gateway accepted the stream (also its first `onMessage`). */
  hello: fedgate.v1.IHello | undefined;

  constructor(
    readonly cluster: string,
    private readonly call: ServerDuplexStream<MemberMessage, GatewayMessage>,
  ) {
    call.on('data', (message: MemberMessage) => this.receive(message));
    call.on('end', () => {
      // The member half-closed: finish our side too (OK status).
      this.finish(undefined, () => call.end());
    });
    call.on('cancelled', () => this.finish(new Error(`stream of cluster ${cluster} was cancelled by the member or the connection broke`)));
    call.on('error', (err: Error) => this.finish(err));
  }

  /** True once the stream ended. */
  get isClosed(): boolean {
    return this.closed;
  }

  send(message: fedgate.v1.IGatewayMessage): boolean {
    if (this.closed) return false;
    return this.call.write(message as GatewayMessage);
  }

  onMessage(handler: (message: MemberMessage) => void): void {
    this.messageHandler = handler;
    if (this.pending.length > 0) queueMicrotask(() => this.flush());
    else this.call.resume();
  }

  onDrain(handler: () => void): void {
    this.call.on('drain', handler);
  }

  onClose(handler: (err?: Error) => void): void {
    if (this.closed) {
      const err = this.closeError;
      queueMicrotask(() => handler(err));
      return;
    }
    this.closeHandlers.push(handler);
  }

  close(err?: Error): void {
    this.finish(err, () => {
      if (err) {
        const status = toGrpcStatus(err);
        // grpc-js turns an 'error' emitted on a server call into the call's final status.
        this.call.emit('error', { code: status.code, details: status.details, metadata: status.metadata });
      } else {
        this.call.end();
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
    if (this.closed) return Promise.reject(this.closeError ?? new Error('stream closed before its first message'));
    return new Promise((resolve, reject) => this.firstWaiters.push({ resolve, reject }));
  }

  private receive(message: MemberMessage): void {
    if (this.closed) return;
    if (this.messageHandler && this.pending.length === 0) {
      this.messageHandler(message);
      return;
    }
    this.pending.push(message);
    for (const w of this.firstWaiters.splice(0)) w.resolve(message);
    if (!this.messageHandler && this.pending.length >= MAX_BUFFERED_BEFORE_LISTEN) this.call.pause();
  }

  private flush(): void {
    const handler = this.messageHandler;
    if (!handler) return;
    while (this.pending.length > 0 && !this.closed) handler(this.pending.shift() as MemberMessage);
    this.call.resume();
  }

  private finish(err: Error | undefined, action?: () => void): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = err;
    try {
      action?.();
    } catch {
      // The call may already be gone (cancelled); ending it is moot then.
    }
    for (const w of this.firstWaiters.splice(0)) w.reject(err ?? new Error('stream closed before its first message'));
    for (const h of this.closeHandlers.splice(0)) h(err);
  }
}
