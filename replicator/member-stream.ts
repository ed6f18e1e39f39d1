/**
 * The gateway's end of one member's Connect stream, whatever carries it (gRPC over mutual
 * TLS in production; an in-process pair in protocol unit tests). The cluster name is the
 * authenticated one (the client certificate's CN), never what the member claims.
 */
import type { fedgate, MemberMessage } from '../proto/index.js';

/** One member's stream, as the replicator sees it. */
export interface MemberStream {
  /** The authenticated cluster name. */
  readonly cluster: string;
  /** Queues a message; false when the transport's buffer is full (wait for `onDrain`). */
  send(message: fedgate.v1.IGatewayMessage): boolean;
  onMessage(handler: (message: MemberMessage) => void): void;
  /** Called when a full buffer has room again. */
  onDrain(handler: () => void): void;
  /** Called once when the stream ends, with the error if it broke. */
  onClose(handler: (err?: Error) => void): void;
  /** Ends the stream (with a status error when `err` is given). */
  close(err?: Error): void;
}

/** Receives every authenticated member stream. */
export interface MemberStreamHandler {
  attach(stream: MemberStream): void;
}
