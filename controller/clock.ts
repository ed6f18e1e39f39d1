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
 * A seeded uniform source in [0, 1) (mulberry32), for reproducible picks in tests and
 * benchmarks; production uses Math.random.
 */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
