/**
 * The kubelet: runs the pods bound to one node on a pod runtime, with probes, restart
 * policy and crash-loop back-off, volumes, and pod and node status in the store.
 *
 * ```ts
 * import { Kubelet } from './kubelet/index.js';
 * import { createRuntime } from './runtime/index.js';
 * const kubelet = new Kubelet({
 *   nodeName: config.nodeNames[0], store, informers, registry, config,
 *   runtime: createRuntime(config.runtime), podIPs, logger,
 * });
 * await kubelet.start();               // registers the Node, runs its pods
 * await kubelet.stop({ stopPods: true });
 * ```
 */
export { Kubelet, POD_NODE_NAME_INDEX, podNodeNameIndex, type KubeletOptions, type KubeletStopOptions } from './kubelet.js';
export { crashLoopDelayMs, nextCrashLoopStep, DEFAULT_CRASH_LOOP_BASE_MS, DEFAULT_CRASH_LOOP_MAX_MS } from './crash-loop-backoff.js';
export {
  resolveContainerEnv,
  containerArgv,
  expandVars,
  secretValue,
  podFieldValue,
  type ConfigLookup,
  type PodEnvContext,
} from './container-env.js';
export { prepareVolumes, containerMounts, projectedFiles, type PreparedVolume, type VolumePaths } from './volumes.js';
export {
  ProbeWorker,
  runProbe,
  httpGetCheck,
  tcpSocketCheck,
  resolveProbePort,
  PROBE_DEFAULTS,
  type ProbeKind,
  type ProbeOutcome,
  type ProbeTarget,
  type ProbeWorkerOptions,
} from './probes.js';
export { buildPodStatus, withTransitionTimes, VOLUME_MOUNTS_AT_PATH, type PodStatusInput } from './pod-status.js';
export { NodeStatusReporter, desiredNodeStatus, DEFAULT_NODE_HEARTBEAT_MS, type NodeStatusReporterOptions } from './node-status.js';
export { DEFAULT_TERMINATION_GRACE_SECONDS, MEMBER_RESTART_REASON, MEMBER_RESTART_MESSAGE } from './pod-workers.js';
