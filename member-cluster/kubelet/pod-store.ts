/**
 * The kubelet's writes to pods in the store: status through `/status` semantics (re-read
 * the latest pod, replace only `status`, compare-and-swap, retry on Conflict) and the
 * final delete of a gracefully deleted pod.
 */
import { isConflict, isNotFound, storeKey, type ResourceInfo } from '../../apimachinery/index.js';
import type { Store } from '../../store/index.js';
import type { Pod, PodStatus } from '../api-types.js';
import { casUpdate } from '../cas-update.js';
import { sameStatus, withTransitionTimes } from './pod-status.js';

/** CAS attempts before a status write gives up (the next sync tries again). */
const MAX_CAS_ATTEMPTS = 10;

/** Where a pod lives. */
export interface PodLocation {
  store: Store;
  pods: ResourceInfo;
  namespace: string;
  name: string;
  uid: string;
}

/** What a status write did. */
export type StatusWriteResult = 'written' | 'unchanged' | 'gone';

function parse(value: string): Pod {
  const pod = JSON.parse(value) as Pod;
  delete pod.metadata.resourceVersion;
  return pod;
}

/**
 * Replaces the status of the pod (same uid) with `status`; writes nothing when it is
 * already there. Condition transition times carry over from the stored status.
 */
export async function writePodStatus(loc: PodLocation, status: PodStatus, now: string): Promise<StatusWriteResult> {
  let outcome: StatusWriteResult = 'gone';
  const written = await casUpdate<Pod>(loc.store, storeKey(loc.pods, loc.namespace, loc.name), (pod) => {
    if (pod.metadata.uid !== loc.uid) return undefined;
    const next = withTransitionTimes(status, pod.status, now);
    if (sameStatus(pod.status, next)) {
      outcome = 'unchanged';
      return undefined;
    }
    pod.status = next;
    return pod;
  });
  return written ? 'written' : outcome;
}

/**
 * The kubelet's final delete of a pod that has a deletionTimestamp, once its containers
 * stopped; skipped while finalizers remain (whoever owns them deletes it after removing them).
 */
export async function deletePodFinally(loc: PodLocation): Promise<'deleted' | 'gone' | 'finalizers'> {
  const key = storeKey(loc.pods, loc.namespace, loc.name);
  for (let attempt = 1; ; attempt++) {
    const kv = await loc.store.get(key);
    if (!kv) return 'gone';
    const pod = parse(kv.value);
    if (pod.metadata.uid !== loc.uid) return 'gone';
    if ((pod.metadata.finalizers ?? []).length > 0) return 'finalizers';
    try {
      await loc.store.delete(key, kv.modRevision);
      return 'deleted';
    } catch (err) {
      if (isNotFound(err)) return 'gone';
      if (!isConflict(err) || attempt >= MAX_CAS_ATTEMPTS) throw err;
    }
  }
}
