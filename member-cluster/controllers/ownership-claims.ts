/**
 * Ownership by label selector (controller.PodControllerRefManager.ClaimPods and
 * ReplicaSetControllerRefManager.ClaimReplicaSets): a controller owns the objects whose
 * controller reference names its uid and that still match its selector; it adopts orphans that match and releases owned objects that no longer do.
 * Adoption and release are compare-and-swap updates guarded by the object's uid.
 */
import {
  controllerOf,
  deepCopy,
  newControllerRef,
  type KubeObject,
  type LabelSelector,
  type ResourceInfo,
} from '../../apimachinery/index.js';
import type { ObjectWriter } from './object-writer.js';

/**
 * Claims objects (of resource `r`, one namespace) for `owner`; returns the ones it owns
 * afterwards. Objects being deleted are never adopted.
 */
export async function claimObjects<T extends KubeObject>(
  writer: ObjectWriter,
  r: ResourceInfo,
  owner: Readonly<KubeObject>,
  selector: LabelSelector,
  candidates: readonly Readonly<T>[],
): Promise<Readonly<T>[]> {
  const uid = owner.metadata.uid;
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  const owned: Readonly<T>[] = [];
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    const matches = selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches || ownerDeleting) {
        owned.push(obj);
        continue;
      }
      // Release: the labels moved away from the selector.
      await writer.mutate<T>(
        r,
        obj.metadata.namespace,
        obj.metadata.name ?? '',
        (p) => {
          p.metadata.ownerReferences = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (p.metadata.ownerReferences.length === 0) delete p.metadata.ownerReferences;
        },
        { uid: obj.metadata.uid },
      );
      continue;
    }
    if (!matches || ownerDeleting || Boolean(obj.metadata.deletionTimestamp) || selector.isEmpty()) continue;
    const adopted = await writer.mutate<T>(
      r,
      obj.metadata.namespace,
      obj.metadata.name ?? '',
      (p) => {
        if (controllerOf(p)) return false;
        p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), newControllerRef(owner)];
      },
      { uid: obj.metadata.uid },
    );
    if (adopted && controllerOf(adopted.object)?.uid === uid) owned.push(deepCopy(adopted.object));
  }
  return owned;
}
