/**
 * Rendering: the object a member cluster receives for one template — the template without
 * its gateway-side server fields, with the chosen replica count, the marks that say fedgate
 * manages it, and the OverridePolicies that target that cluster.
 */
import {
  CLUSTER_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  StatusError,
  StatusReason,
  TEMPLATE_GENERATION_ANNOTATION,
  TEMPLATE_UID_ANNOTATION,
  type KubeObject,
  type OverridePolicy,
} from '../../apimachinery/index.js';
import type { ClusterView } from '../placement/index.js';
import { applyOverrideRule, overridePoliciesFor, rulesFor } from './overrides.js';

/** Metadata the gateway's store owns; a member keeps its own. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
] as const;

/** Options of one rendering. */
export interface RenderOptions {
  /** spec.replicas for this cluster (the placement's share); unset leaves the template's. */
  replicas?: number;
}

/** The rendered object and the override rules applied to it (`policy/rule#i`, in order). */
export interface Rendered {
  object: KubeObject;
  overrides: string[];
}

/** The template as a member should hold it, before overrides. */
function stripped(template: KubeObject): KubeObject {
  const out = structuredClone(template);
  const meta = out.metadata as Record<string, unknown>;
  for (const field of SERVER_METADATA) delete meta[field];
  delete out.status;
  // A Service's cluster IP belongs to the member's service range; headless stays headless.
  if (out.kind === 'Service' && out.apiVersion === 'v1' && typeof out.spec === 'object' && out.spec !== null) {
    const spec = out.spec as Record<string, unknown>;
    if (spec['clusterIP'] !== 'None') {
      delete spec['clusterIP'];
      delete spec['clusterIPs'];
    }
  }
  return out;
}

function mark(obj: KubeObject, template: KubeObject, cluster: ClusterView): void {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [CLUSTER_LABEL]: cluster.name };
  const annotations: Record<string, string> = { ...(obj.metadata.annotations ?? {}) };
  if (template.metadata.generation !== undefined) annotations[TEMPLATE_GENERATION_ANNOTATION] = String(template.metadata.generation);
  if (template.metadata.uid !== undefined) annotations[TEMPLATE_UID_ANNOTATION] = template.metadata.uid;
  obj.metadata.annotations = annotations;
}

/**
 * Renders `template` for `cluster`. Pure: neither the template nor the policies are
 * touched. Overrides cannot change what the object is (apiVersion, kind, namespace, name)
 * nor remove the marks, which are put back after them. A rule that cannot apply is a
 * StatusError Invalid naming the rule.
 */
export function renderForCluster(
  template: KubeObject,
  cluster: ClusterView,
  overridePolicies: readonly OverridePolicy[],
  opts: RenderOptions = {},
): Rendered {
  let object = stripped(template);
  if (opts.replicas !== undefined) {
    object.spec = { ...((object.spec as Record<string, unknown> | undefined) ?? {}), replicas: opts.replicas };
  }
  mark(object, template, cluster);
  const overrides: string[] = [];
  for (const { id, rule } of rulesFor(overridePoliciesFor(template, overridePolicies), cluster)) {
    object = applyOverrideRule(object, rule, id);
    if (
      object.apiVersion !== template.apiVersion ||
      object.kind !== template.kind ||
      object.metadata?.name !== template.metadata.name ||
      object.metadata?.namespace !== template.metadata.namespace
    ) {
      throw new StatusError(StatusReason.Invalid, `override ${id} cannot be applied: it may not change apiVersion, kind, namespace or name`);
    }
    overrides.push(id);
  }
  mark(object, template, cluster);
  return { object, overrides };
}
