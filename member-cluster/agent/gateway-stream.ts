/**
 * The member's end of its Connect stream to the gateway, whatever carries it (gRPC over
 * mutual TLS in production; an in-process pair in protocol unit tests).
 */
import type { fedgate, GatewayMessage } from '../../proto/index.js';

/** The member's stream to the gateway, as the agent sees it. */
export interface GatewayStream {
  /** Queues a message; false when the transport's buffer is full (wait for `onDrain`). */
  send(message: fedgate.v1.IMemberMessage): boolean;
  onMessage(handler: (message: GatewayMessage) => void): void;
  onDrain(handler: () => void): void;
  /** Called once when the stream ends, with the error if it broke. */
  onClose(handler: (err?: Error) => void): void;
  close(): void;
}
