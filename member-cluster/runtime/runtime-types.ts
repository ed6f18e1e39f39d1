/**
 * The pod runtime contract. The kubelet decides what runs when (init order, restarts,
 * back-off, probes, status); a runtime only runs one container when asked, tells when it
 * exited, stops it, and runs a command beside it for exec probes.
 */
import type { RuntimeName } from '../member-config.js';

/** Identity of the pod a container belongs to. */
export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string;
}

/** A volume directory to show inside a container. */
export interface ContainerMount {
  /** The volume's name (pod.spec.volumes[].name). */
  volume: string;
  /** Where the volume's data lives on the host. */
  hostPath: string;
  /** Where the container expects it. */
  mountPath: string;
  readOnly: boolean;
}

/** Everything a runtime needs to run one container; env and mounts are already resolved. */
export interface ContainerRunSpec {
  pod: PodRef;
  /** The pod's directory (`<dataDir>/pods/<ns>_<name>_<uid>`). */
  podDir: string;
  name: string;
  image?: string;
  /** Executable and arguments (`command` + `args`, `$(VAR)` already expanded). */
  argv: string[];
  env: Record<string, string>;
  workingDir?: string;
  mounts: ContainerMount[];
  /** Restarts so far; names the log file. */
  restartCount: number;
  /** The pod's annotations (the simulated runtime reads its knobs there). */
  annotations: Readonly<Record<string, string>>;
}

/** How a container ended. */
export interface ContainerExit {
  exitCode: number;
  /** The signal that ended the process, if one did. */
  signal?: string;
  /** Kubernetes' terminated reason: `Completed` (0) or `Error`. */
  reason: 'Completed' | 'Error';
  message?: string;
  /** Epoch ms. */
  finishedAt: number;
}

/** A started container. */
export interface ContainerHandle {
  /** `process://<pid>` or `simulated://<uid>/<name>/<n>`. */
  readonly id: string;
  /** The OS process id (process runtime). */
  readonly pid?: number;
  /** Epoch ms. */
  readonly startedAt: number;
  /** Resolves once when the container has exited (on its own or stopped). */
  readonly exited: Promise<ContainerExit>;
  /** Asks the container to stop: SIGTERM, then SIGKILL after `gracePeriodMs`. Resolves when it is gone. */
  stop(gracePeriodMs: number): Promise<ContainerExit>;
}

/** Outcome of a command run beside a container (exec probes). */
export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

/** Runs containers for the kubelet; chosen by name from the runtime registry. */
export interface PodRuntime {
  readonly name: RuntimeName;
  /** False when containers are not processes: probes then succeed without being run. */
  readonly runsProcesses: boolean;
  /** True when containers see their volumes at `mountPath`; else only as `VOLUME_<NAME>` env vars. */
  readonly mountsAtPath: boolean;
  /** Starts one container. Failures to start resolve as a handle that exited at once. */
  startContainer(spec: ContainerRunSpec): Promise<ContainerHandle>;
  /** Runs `command` with the container's environment (and mounts, when it has them). */
  exec(handle: ContainerHandle, command: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * Kills processes a previous member process left behind for this pod (recorded in the
   * pod's state file), so a restart never runs a container twice. Returns how many died.
   */
  killLeftovers(pod: PodRef, podDir: string): Promise<number>;
}
