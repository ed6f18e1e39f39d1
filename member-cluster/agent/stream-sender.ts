/**
 * Flow control of the member's messages on one stream. The transport takes every message
 * it is given, and says when its buffer is full (`send` returns false) until `onDrain`.
 * While it is full:
 * - Acks and Pongs still go: each answers one gateway message, so the gateway's own pace
 *   bounds them, and an Ack lost would stall the gateway's view of the member.
 * - Statuses wait with their producer (which keeps only the latest per object).
 * - Heartbeats are dropped: the next one carries newer figures.
 */
import type { fedgate, HeartbeatMessage } from '../../proto/index.js';
import type { GatewayStream } from './gateway-stream.js';
import type { HeartbeatSink } from './heartbeat.js';

/** A Status as the member sends it. */
export type StatusMessage = fedgate.v1.Status.$Properties;

/** Where statuses go. */
export interface StatusSink {
  /** False while the stream is full: hold statuses until `onWritable`. */
  readonly writable: boolean;
  /** Hands one status to the stream (call only while writable). */
  sendStatus(status: StatusMessage): void;
}

/** One stream's sending side with the flow control of the module doc. */
export class StreamSender implements HeartbeatSink, StatusSink {
  private full = false;
  private closed = false;
  private readonly writableHandlers: (() => void)[] = [];

  constructor(private readonly stream: GatewayStream) {
    stream.onDrain(() => {
      if (this.closed || !this.full) return;
      this.full = false;
      for (const h of this.writableHandlers) h();
    });
  }

  /** True while the stream takes more than Acks and Pongs. */
  get writable(): boolean {
    return !this.full && !this.closed;
  }

  /** Calls `handler` whenever a full stream has room again. */
  onWritable(handler: () => void): void {
    this.writableHandlers.push(handler);
  }

  /** The stream is gone: nothing more is sent. */
  close(): void {
    this.closed = true;
  }

  /** Sends an Ack or a Pong whatever the buffer's state (see the module doc). */
  send(message: fedgate.v1.IMemberMessage): void {
    if (this.closed) return;
    if (!this.stream.send(message)) this.full = true;
  }

  /** Sends a status; call only while `writable`. */
  sendStatus(status: StatusMessage): void {
    this.send({ status });
  }

  /** Sends a heartbeat unless the stream is full; false when dropped. */
  sendHeartbeat(heartbeat: HeartbeatMessage): boolean {
    if (!this.writable) return false;
    this.send({ heartbeat });
    return true;
  }
}
