/**
 * Where a pod's files live under the member's data directory:
 *
 * ```
 * <dataDir>/pods/<ns>_<name>_<uid>/<container>/<restartCount>.log   logs, one file per run
 * <dataDir>/pods/<ns>_<name>_<uid>/.volumes/<volume>/               emptyDir, configMap, secret
 * <dataDir>/pods/<ns>_<name>_<uid>/.run/<container>.sh              mount-namespace launchers
 * <dataDir>/pods/<ns>_<name>_<uid>/.state.json                      PIDs of running containers
 * <dataDir>/pvc/<namespace>/<claimName>/                            persistentVolumeClaim data
 * ```
 *
 * Dot-prefixed entries can never clash with a container name (a DNS label).
 */
import path from 'node:path';

/** A pod's identity as its directory name needs it. */
export interface PodDirRef {
  namespace: string;
  name: string;
  uid: string;
}

/** The pods directory of a data dir. */
export function podsRoot(dataDir: string): string {
  return path.join(dataDir, 'pods');
}

/** `<dataDir>/pods/<ns>_<name>_<uid>`. */
export function podDir(dataDir: string, pod: PodDirRef): string {
  return path.join(podsRoot(dataDir), `${pod.namespace}_${pod.name}_${pod.uid}`);
}

/** The log file of one run of a container. */
export function containerLogPath(dir: string, container: string, restartCount: number): string {
  return path.join(dir, container, `${restartCount}.log`);
}

/** Directory of a pod-local volume (emptyDir, configMap, secret). */
export function podVolumeDir(dir: string, volume: string): string {
  return path.join(dir, '.volumes', volume);
}

/** Directory of the launcher scripts. */
export function podRunDir(dir: string): string {
  return path.join(dir, '.run');
}

/** The state file recording running containers' PIDs. */
export function podStateFile(dir: string): string {
  return path.join(dir, '.state.json');
}

/** `<dataDir>/pvc/<namespace>/<claimName>`: outlives the pods that use it. */
export function pvcDir(dataDir: string, namespace: string, claimName: string): string {
  return path.join(dataDir, 'pvc', namespace, claimName);
}
