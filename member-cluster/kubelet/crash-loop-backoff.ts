/**
 * CrashLoopBackOff timing, as the Kubernetes kubelet does it: the first restart of a
 * container that exited is immediate, then each further restart waits base·2^(n−1)
 * (10 s, 20 s, 40 s, ...) up to 5 min. A container that ran longer than twice the cap
 * before exiting starts over from an immediate restart.
 */

/** Back-off after the second exit, ms (Kubernetes: 10 s). */
export const DEFAULT_CRASH_LOOP_BASE_MS = 10_000;
/** Longest back-off, ms (Kubernetes: 5 min). */
export const DEFAULT_CRASH_LOOP_MAX_MS = 300_000;

/** Delay before the next restart, given how many back-off steps were already taken. */
export function crashLoopDelayMs(step: number, baseMs = DEFAULT_CRASH_LOOP_BASE_MS, maxMs = DEFAULT_CRASH_LOOP_MAX_MS): number {
  if (step <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(step - 1, 30));
}

/** The back-off step after a run of `ranMs`: resets when the container ran long enough. */
export function nextCrashLoopStep(step: number, ranMs: number, maxMs = DEFAULT_CRASH_LOOP_MAX_MS): number {
  return ranMs >= 2 * maxMs ? 1 : step + 1;
}
