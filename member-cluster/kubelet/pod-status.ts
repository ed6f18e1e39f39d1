/**
 * The status a kubelet reports for a pod, computed from what it knows (pure): phase,
 * conditions (PodScheduled, Initialized, ContainersReady, Ready, and VolumeMountsAtPath
 * where volumes are not at their mountPath), container statuses, IPs and start time.
 * Conditions keep their lastTransitionTime while their status stays the same, so an
 * unchanged pod yields an equal status and no write.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Condition, ContainerStatus, PodPhase, PodStatus } from '../api-types.js';

/** Condition type telling whether volumes appear at their mountPath. */
export const VOLUME_MOUNTS_AT_PATH = 'VolumeMountsAtPath';

/** What the pod worker knows about a pod, for its status. */
export interface PodStatusInput {
  phase: PodPhase;
  reason?: string;
  message?: string;
  podIP?: string;
  hostIP: string;
  startTime?: string;
  initialized: boolean;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  /** False when containers use volumes but only see them through env vars. */
  volumeMountsAtPath?: boolean;
}

function condition(type: string, ok: boolean, reason?: string, message?: string): Condition {
  const c: Condition = { type, status: ok ? 'True' : 'False' };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function notReadyNames(statuses: readonly ContainerStatus[]): string[] {
  return statuses.filter((s) => !s.ready).map((s) => s.name);
}

/** Builds the pod status (conditions without transition times; see `withTransitionTimes`). */
export function buildPodStatus(input: PodStatusInput): PodStatus {
  const terminal = input.phase === 'Succeeded' || input.phase === 'Failed';
  const notReady = notReadyNames(input.containerStatuses);
  const containersReady = !terminal && notReady.length === 0 && input.containerStatuses.length > 0;
  const notReadyMsg = notReady.length > 0 ? `containers with unready status: [${notReady.join(' ')}]` : undefined;
  const readyReason = terminal ? 'PodCompleted' : containersReady ? undefined : 'ContainersNotReady';
  const conditions: Condition[] = [
    condition('PodScheduled', true),
    condition('Initialized', input.initialized, input.initialized ? undefined : 'ContainersNotInitialized'),
    condition('ContainersReady', containersReady, readyReason, containersReady || terminal ? undefined : notReadyMsg),
    condition('Ready', containersReady, readyReason, containersReady || terminal ? undefined : notReadyMsg),
  ];
  if (input.volumeMountsAtPath !== undefined) {
    conditions.push(
      input.volumeMountsAtPath
        ? condition(VOLUME_MOUNTS_AT_PATH, true, 'MountNamespace')
        : condition(
            VOLUME_MOUNTS_AT_PATH,
            false,
            'NoMountNamespace',
            'volumes are NOT at their mountPath (no private mount namespace: the member does not run as root, or it is disabled); each volume directory is in the env var VOLUME_<NAME>',
          ),
    );
  }
  const status: PodStatus = { phase: input.phase, conditions, hostIP: input.hostIP };
  if (input.reason) status.reason = input.reason;
  if (input.message) status.message = input.message;
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (input.startTime) status.startTime = input.startTime;
  if (input.initContainerStatuses.length > 0) status.initContainerStatuses = input.initContainerStatuses;
  status.containerStatuses = input.containerStatuses;
  return status;
}

/** Gives each condition its lastTransitionTime: the old one while the status is unchanged, else `now`. */
export function withTransitionTimes(status: PodStatus, previous: PodStatus | undefined, now: string): PodStatus {
  const old = new Map((previous?.conditions ?? []).map((c) => [c.type, c]));
  return {
    ...status,
    conditions: (status.conditions ?? []).map((c) => {
      const before = old.get(c.type);
      return { ...c, lastProbeTime: null, lastTransitionTime: before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now };
    }),
  };
}

/** True when two statuses say the same. */
export function sameStatus(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  return isDeepStrictEqual(a ?? {}, b ?? {});
}
