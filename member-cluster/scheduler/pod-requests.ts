/**
 * What a pod asks of a node, computed as Kubernetes does (k8s.io/component-helpers
 * `resource.PodRequests`): per resource, the larger of the sum over app containers and the
 * largest init container (init containers run one at a time, before the others), plus one
 * `pods` slot. A container that sets a limit but no request requests its limit (the API
 * server's defaulting, which the member's store does not run).
 */
import type { Container, Pod, PodSpec } from '../api-types.js';
import { addAmounts, toAmounts, type ResourceAmounts } from '../../apimachinery/index.js';

/** cpu (millicores) counted for a container without a cpu request when scoring (kube-scheduler's DefaultMilliCPURequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Memory (bytes) counted for a container without a memory request when scoring (DefaultMemoryRequest, 200Mi). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** A container's requests, falling back per resource to its limits. */
export function containerRequests(c: Readonly<Container>): ResourceAmounts {
  return { ...toAmounts(c.resources?.limits), ...toAmounts(c.resources?.requests) };
}

function maxAmounts(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  const out = { ...a };
  for (const [name, v] of Object.entries(b)) out[name] = Math.max(out[name] ?? 0, v);
  return out;
}

/** The resources a pod occupies on its node, including `pods: 1`. */
export function podRequests(spec: Readonly<PodSpec>): ResourceAmounts {
  let sum: ResourceAmounts = {};
  for (const c of spec.containers ?? []) sum = addAmounts(sum, containerRequests(c));
  for (const c of spec.initContainers ?? []) sum = maxAmounts(sum, containerRequests(c));
  return { ...sum, pods: 1 };
}

/**
 * cpu and memory as the least-allocated score counts them: containers without a request
 * count the defaults above, so pods without requests still spread (kube-scheduler's
 * `GetNonzeroRequests`).
 */
export function podNonZeroRequests(spec: Readonly<PodSpec>): ResourceAmounts {
  const nonZero = (c: Readonly<Container>): ResourceAmounts => {
    const r = containerRequests(c);
    return { cpu: r['cpu'] || DEFAULT_MILLI_CPU_REQUEST, memory: r['memory'] || DEFAULT_MEMORY_REQUEST };
  };
  let sum: ResourceAmounts = { cpu: 0, memory: 0 };
  for (const c of spec.containers ?? []) sum = addAmounts(sum, nonZero(c));
  for (const c of spec.initContainers ?? []) sum = maxAmounts(sum, nonZero(c));
  return sum;
}

/** True for Succeeded and Failed pods: they hold no node resources any more. */
export function isTerminal(pod: Readonly<Pod>): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
