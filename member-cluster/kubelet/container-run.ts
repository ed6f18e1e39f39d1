/**
 * One container of a pod as the kubelet tracks it across runs: its Kubernetes state
 * (waiting / running / terminated, lastState, restartCount), the handle of the current
 * run, its probe workers and its crash-loop back-off.
 */
import type { Container, ContainerState, ContainerStatus } from '../api-types.js';
import type { ContainerExit, ContainerHandle } from '../runtime/index.js';
import type { ProbeWorker } from './probes.js';

/** Container state of a container that has not run yet. */
export const CONTAINER_CREATING: ContainerState = { waiting: { reason: 'ContainerCreating' } };
/** Init containers wait for their predecessors with this reason. */
export const POD_INITIALIZING: ContainerState = { waiting: { reason: 'PodInitializing' } };

/** The kubelet's record of one container. */
export class ContainerRun {
  restartCount = 0;
  state: ContainerState;
  lastState: ContainerState = {};
  /** The current run, while there is one. */
  handle: ContainerHandle | undefined;
  containerID: string | undefined;
  /** Set when the last run ended; the restart policy decides what follows. */
  lastExit: ContainerExit | undefined;
  /** True once the container ran at least once (in this or an earlier member process). */
  everRan = false;
  /** Crash-loop back-off steps taken. */
  backoffStep = 0;
  /** Clock time before which no restart happens. */
  restartAt = 0;
  /** The startup probe passed (or there is none) for the current run. */
  started = false;
  ready = false;
  probes: ProbeWorker[] = [];

  constructor(
    readonly spec: Readonly<Container>,
    readonly init: boolean,
  ) {
    this.state = init ? POD_INITIALIZING : CONTAINER_CREATING;
  }

  /** True while a process (or simulated run) is up. */
  get running(): boolean {
    return this.handle !== undefined;
  }

  /** True when the last run ended with exit code 0. */
  get succeeded(): boolean {
    return this.handle === undefined && this.lastExit?.exitCode === 0;
  }

  /** Stops every probe of the current run. */
  stopProbes(): void {
    for (const p of this.probes) p.stop();
    this.probes = [];
  }

  /** The containerStatuses entry. */
  toStatus(): ContainerStatus {
    const s: ContainerStatus = {
      name: this.spec.name,
      image: this.spec.image ?? '',
      ready: this.ready,
      started: this.running && this.started,
      restartCount: this.restartCount,
      state: this.state,
      lastState: this.lastState,
    };
    if (this.containerID) s.containerID = this.containerID;
    return s;
  }
}
