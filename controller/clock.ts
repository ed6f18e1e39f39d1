/**
 * Time as the controller machinery sees it: the current time and one-shot timers. Every
 * part that waits (delayed queue adds, backoff, resync, lease renewal) takes a `Clock`, so
 * tests drive time by hand instead of sleeping.
 */

/** An opaque timer returned by `Clock.setTimeout`. */
export type TimerHandle = unknown;

/** The current time in milliseconds and one-shot timers measured on the same scale. */
export interface Clock {
  /** Milliseconds on a monotonic-enough scale (wall clock for the system clock). */
  now(): number;
  /** Runs `fn` once, `ms` from now. Timers never keep the process alive on their own. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a no-op for a timer that already ran or was cancelled. */
  clearTimeout(handle: TimerHandle): void;
}

/** A uniform random number in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/**
 * The real clock. Timers are unref'd: a pending delayed add or resync must not hold a
 * process open after everything else stopped.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
