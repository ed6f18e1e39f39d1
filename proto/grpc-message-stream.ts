/**
 * One end of a gRPC bidirectional stream as a message stream, shared by the gateway's side
 * (a server call) and the member's side (a client call). Messages that arrive before anyone
 * listens are kept (and the call paused past a bound, so a peer cannot grow that buffer);
 * the first listener gets them in order. `send` passes grpc's write() backpressure through.
 * `onClose` handlers run exactly once, however the stream ends.
 */

/** What both grpc-js duplex call kinds offer. */
export interface DuplexCall<Out> {
  write(message: Out): boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** Messages buffered before a handler listens; past this the call is paused. */
const MAX_BUFFERED_BEFORE_LISTEN = 16;

/** The shared mechanics; subclasses wire the call's end events to `finish`. */
export abstract class GrpcMessageStream<In, Out> {
  protected readonly pending: In[] = [];
  private messageHandler: ((message: In) => void) | undefined;
  private readonly closeHandlers: ((err?: Error) => void)[] = [];
  private closed = false;
  private closeError: Error | undefined;

  protected constructor(protected readonly call: DuplexCall<Out>) {
    call.on('data', (message: In) => this.receive(message));
  }

  /** True once the stream ended. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a message; false when closed or the transport's buffer is full (wait for `onDrain`). */
  send(message: Out): boolean {
    if (this.closed) return false;
    return this.call.write(message);
  }

  onMessage(handler: (message: In) => void): void {
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

  /** Called for every message kept before a listener came (first-message waiters). */
  protected onBuffered(_message: In): void {}

  /** Called once when the stream ends, before the close handlers. */
  protected onFinish(_err: Error | undefined): void {}

  private receive(message: In): void {
    if (this.closed) return;
    if (this.messageHandler && this.pending.length === 0) {
      this.messageHandler(message);
      return;
    }
    this.pending.push(message);
    this.onBuffered(message);
    if (!this.messageHandler && this.pending.length >= MAX_BUFFERED_BEFORE_LISTEN) this.call.pause();
  }

  private flush(): void {
    const handler = this.messageHandler;
    if (!handler) return;
    while (this.pending.length > 0 && !this.closed) handler(this.pending.shift() as In);
    this.call.resume();
  }

  /** Ends the stream once: runs `action` (end or cancel the call), then the close handlers. */
  protected finish(err: Error | undefined, action?: () => void): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = err;
    try {
      action?.();
    } catch {
      // The call may already be gone (cancelled); ending it is moot then.
    }
    this.onFinish(err);
    for (const h of this.closeHandlers.splice(0)) h(err);
  }
}
