/**
 * Where a workload keeps its pod template: `spec` of a Pod, `spec.template` of Deployments,
 * ReplicaSets, StatefulSets, DaemonSets and Jobs, `spec.jobTemplate.spec.template` of CronJobs.
 */
import type { KubeObject } from '../../apimachinery/index.js';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Kinds whose pod template sits at `spec.template`. */
const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** The pod template `{metadata, spec}` of `obj` (the Pod itself for a Pod), or undefined for kinds without one. */
export function podTemplateOf(obj: KubeObject): { metadata?: JsonObject; spec?: JsonObject } | undefined {
  const spec = obj.spec;
  if (!isObject(spec)) return undefined;
  if (obj.kind === 'Pod') return { metadata: obj.metadata as JsonObject, spec };
  if (TEMPLATE_KINDS.has(obj.kind)) return isObject(spec['template']) ? (spec['template'] as JsonObject) : undefined;
  if (obj.kind === 'CronJob') {
    const job = spec['jobTemplate'];
    const jobSpec = isObject(job) ? job['spec'] : undefined;
    return isObject(jobSpec) && isObject(jobSpec['template']) ? (jobSpec['template'] as JsonObject) : undefined;
  }
  return undefined;
}

/** The pod spec of `obj`, or undefined. */
export function podSpecOf(obj: KubeObject): JsonObject | undefined {
  const t = podTemplateOf(obj);
  return isObject(t?.spec) ? t.spec : undefined;
}

/** JSON pointer of the pod spec of a kind, e.g. `/spec/template/spec`, or undefined. */
export function podSpecPointer(kind: string): string | undefined {
  if (kind === 'Pod') return '/spec';
  if (TEMPLATE_KINDS.has(kind)) return '/spec/template/spec';
  if (kind === 'CronJob') return '/spec/jobTemplate/spec/template/spec';
  return undefined;
}

/** Containers and init containers of a pod spec, each with the JSON pointer of its list entry. */
export function containersOf(podSpec: JsonObject, base: string): { container: JsonObject; pointer: string }[] {
  const out: { container: JsonObject; pointer: string }[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: unknown, i) => {
      if (isObject(c)) out.push({ container: c, pointer: `${base}/${field}/${i}` });
    });
  }
  return out;
}
