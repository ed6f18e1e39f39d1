/**
 * The `simulated` runtime (after kubemark's hollow nodes): containers "run" without
 * processes, so one machine can host the pods of hundreds of clusters. A container is
 * running as soon as it starts; the kubelet's prober treats every probe as passing, so a
 * readiness probe makes it Ready after `initialDelaySeconds` on the injected clock. It
 * never exits unless the pod asks with annotations:
 *
 * - `fedgate.io/simulate-exit-after-seconds: "5"`: every container exits 5 s after it starts;
 * - `fedgate.io/simulate-exit-code: "1"`: ... with this exit code (default 0).
 */
import { systemClock, type Clock } from '../../controller/index.js';
import type { ContainerExit, ContainerHandle, ContainerRunSpec, ExecResult, PodRuntime } from './runtime-types.js';

/** Annotation: seconds after which a simulated container exits. */
export const SIMULATE_EXIT_AFTER_ANNOTATION = 'fedgate.io/simulate-exit-after-seconds';
/** Annotation: the exit code of a simulated container that exits (default 0). */
export const SIMULATE_EXIT_CODE_ANNOTATION = 'fedgate.io/simulate-exit-code';

/** Options of the simulated runtime. */
export interface SimulatedRuntimeOptions {
  clock?: Clock;
}

/** Runs containers as timers. */
export class SimulatedRuntime implements PodRuntime {
  readonly name = 'simulated' as const;
  readonly runsProcesses = false;
  readonly mountsAtPath = true;
  private readonly clock: Clock;

  constructor(options: SimulatedRuntimeOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  startContainer(spec: ContainerRunSpec): Promise<ContainerHandle> {
    const clock = this.clock;
    let finish!: (exit: ContainerExit) => void;
    let done: ContainerExit | undefined;
    const exited = new Promise<ContainerExit>((resolve) => {
      finish = (exit) => {
        if (done) return;
        done = exit;
        if (timer !== undefined) clock.clearTimeout(timer);
        resolve(exit);
      };
    });
    const after = Number(spec.annotations[SIMULATE_EXIT_AFTER_ANNOTATION]);
    const code = Number(spec.annotations[SIMULATE_EXIT_CODE_ANNOTATION] ?? 0) || 0;
    let timer: unknown;
    if (Number.isFinite(after) && after >= 0 && spec.annotations[SIMULATE_EXIT_AFTER_ANNOTATION] !== undefined) {
      timer = clock.setTimeout(
        () => finish({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error', finishedAt: clock.now() }),
        after * 1000,
      );
    }
    return Promise.resolve({
      id: `simulated://${spec.pod.uid}/${spec.name}/${spec.restartCount}`,
      startedAt: clock.now(),
      exited,
      stop(): Promise<ContainerExit> {
        finish({ exitCode: 0, reason: 'Completed', finishedAt: clock.now() });
        return exited;
      },
    });
  }

  exec(): Promise<ExecResult> {
    return Promise.resolve({ exitCode: 0, output: '', timedOut: false });
  }

  killLeftovers(): Promise<number> {
    return Promise.resolve(0);
  }
}
