/**
 * Pod runtimes: what actually runs a container for the kubelet, chosen by name.
 *
 * ```ts
 * import { createRuntime, readContainerLog } from './runtime/index.js';
 * const runtime = createRuntime(config.runtime);          // 'process' | 'simulated'
 * const handle = await runtime.startContainer(spec);      // the kubelet decides when
 * const exit = await handle.stop(30_000);                 // SIGTERM, SIGKILL after grace
 * const text = await readContainerLog(config.dataDir, pod, 'web', { previous: true });
 * ```
 */
export type * from './runtime-types.js';
export { createRuntime, runtimeNames, type RuntimeOptions } from './registry.js';
export { ProcessRuntime, volumeEnvName, type ProcessRuntimeOptions } from './process-runtime.js';
export {
  SimulatedRuntime,
  SIMULATE_EXIT_AFTER_ANNOTATION,
  SIMULATE_EXIT_CODE_ANNOTATION,
  type SimulatedRuntimeOptions,
} from './simulated-runtime.js';
export { ContainerStartError, type ContainerStartReason } from './container-start-error.js';
export { readContainerLog, containerLogRuns, type ReadContainerLogOptions } from './container-logs.js';
export { podDir, podsRoot, containerLogPath, podVolumeDir, podRunDir, podStateFile, pvcDir, type PodDirRef } from './pod-paths.js';
export { shellQuote, launcherScript, findExecutable } from './process-launch.js';
export { parseProcStat, readProcStat, findLeftovers, readPodState, type RecordedProcess, type ProcStat } from './process-leftovers.js';
