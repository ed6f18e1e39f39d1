/**
 * Admission of writes after authorization, before storage (after kube-apiserver's admission
 * chain): RBAC objects may not grant their writer more than they hold (escalation
 * prevention, through `ApiAuth.checkRbacWrite`), and a namespace holds at most
 * `maxObjectsPerNamespace` objects (refused like a ResourceQuota would refuse it).
 */
import type { Context } from 'koa';
import { namespacePrefix, RBAC_GROUP, StatusError, StatusReason, type KubeObject, type ResourceInfo, type ResourceRegistry } from '../apimachinery/index.js';
import type { Store } from '../store/index.js';
import { userOf, type ApiAuth } from './api-auth.js';

/** The name a quota refusal gives, as a ResourceQuota's name appears in Kubernetes' message. */
export const OBJECT_QUOTA_NAME = 'max-objects-per-namespace';

const RBAC_KINDS = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

/** True for Role, ClusterRole, RoleBinding and ClusterRoleBinding. */
export function isRbacResource(r: Pick<ResourceInfo, 'group' | 'plural'>): boolean {
  return r.group === RBAC_GROUP && RBAC_KINDS.has(r.plural);
}

/** What write admission needs. */
export interface WriteAdmission {
  auth?: ApiAuth;
  /** Objects a namespace may hold, all kinds together; absent: no limit. */
  maxObjectsPerNamespace?: number;
  store: Store;
  registry: ResourceRegistry;
}

/** Escalation prevention: 403 when `obj` (about to be stored) grants what the writer lacks. */
export function admitRbacWrite(ctx: Context, a: WriteAdmission, r: ResourceInfo, obj: KubeObject, operation: 'create' | 'update'): void {
  if (a.auth && isRbacResource(r)) a.auth.checkRbacWrite(userOf(ctx), obj, operation);
}

/** Objects stored in `namespace`, every namespaced kind counted (read from the watch cache). */
export async function countNamespaceObjects(store: Store, registry: ResourceRegistry, namespace: string): Promise<number> {
  let total = 0;
  for (const r of registry.list()) {
    if (!r.namespaced || r.createOnly) continue;
    const page = await store.list(namespacePrefix(r, namespace), { limit: 1 });
    total += page.items.length + (page.remaining ?? 0);
  }
  return total;
}

/** 403 "exceeded quota" when a create would put more than the limit into the namespace. */
export async function admitObjectQuota(a: WriteAdmission, r: ResourceInfo, namespace: string | undefined, name: string | undefined): Promise<void> {
  const limit = a.maxObjectsPerNamespace;
  if (limit === undefined || !r.namespaced || namespace === undefined) return;
  const used = await countNamespaceObjects(a.store, a.registry, namespace);
  if (used + 1 <= limit) return;
  const qualified = r.group === '' ? r.plural : `${r.plural}.${r.group}`;
  const subject = name ? `${qualified} ${JSON.stringify(name)}` : qualified;
  throw new StatusError(
    StatusReason.Forbidden,
    `${subject} is forbidden: exceeded quota: ${OBJECT_QUOTA_NAME}, requested: count/objects=1, used: count/objects=${used}, limited: count/objects=${limit}`,
    { ...(name ? { name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.plural },
  );
}
