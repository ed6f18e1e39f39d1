/**
 * Ctrl-C for `fedgate up`: the first SIGINT or SIGTERM stops everything in order, a second
 * one kills at once.
 *
 * One Ctrl-C can arrive more than once: a terminal signals the whole foreground process
 * group, and under `npm start` both npm and the tsx launcher forward the same SIGINT again
 * (measured: a second SIGINT 10–20 ms after the first). A signal within
 * `DUPLICATE_SIGNAL_WINDOW_MS` of the first is therefore the same Ctrl-C, not a second one.
 */

/** Signals this soon after the first are the same interrupt, forwarded again. */
export const DUPLICATE_SIGNAL_WINDOW_MS = 1_000;

/** What a signal means, given the ones before it. */
export type InterruptAction = 'stop' | 'duplicate' | 'kill';

/** Classifies signals: the first stops, repeats within the window are ignored, later ones kill. */
export class InterruptLatch {
  private firstAt: number | undefined;

  constructor(private readonly windowMs = DUPLICATE_SIGNAL_WINDOW_MS) {}

  /** The action for a signal received at `nowMs`. */
  next(nowMs: number): InterruptAction {
    if (this.firstAt === undefined) {
      this.firstAt = nowMs;
      return 'stop';
    }
    return nowMs - this.firstAt < this.windowMs ? 'duplicate' : 'kill';
  }
}

/** Handlers of `onInterrupt`. */
export interface InterruptHandlers {
  /** The first signal: stop gracefully. */
  stop(signal: NodeJS.Signals): void;
  /** A later signal: end now. */
  kill(signal: NodeJS.Signals): void;
  /** The first signal again, forwarded by a parent: nothing to do but say so. */
  duplicate?(signal: NodeJS.Signals): void;
}

/** Routes SIGINT and SIGTERM to `handlers`; returns a function that removes the listeners. */
export function onInterrupt(handlers: InterruptHandlers, latch = new InterruptLatch()): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    const action = latch.next(Date.now());
    if (action === 'stop') handlers.stop(signal);
    else if (action === 'kill') handlers.kill(signal);
    else handlers.duplicate?.(signal);
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}
