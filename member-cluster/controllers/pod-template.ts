/**
 * Pods from templates (controller.GetPodFromTemplate), generated name suffixes
 * (apimachinery's names.SimpleNameGenerator with util/rand's alphabet) and the template
 * hash behind `pod-template-hash` and `controller-revision-hash` (controller.ComputeHash:
 * FNV-1a 32 over the template and the collision count, written with rand.SafeEncodeString).
 */
import { randomInt } from 'node:crypto';
import { deepCopy, type OwnerReference } from '../../apimachinery/index.js';
import type { Pod, PodTemplateSpec } from '../api-types.js';

/** Label of pods and ReplicaSets with the hash of the template they came from. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Consonants and digits only, so no generated name spells a word (k8s util/rand). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
/** Length of generated name suffixes, as Kubernetes' generateName uses. */
export const RANDOM_SUFFIX_LENGTH = 5;

/** `length` random characters of the safe alphabet. */
export function randomSuffix(length = RANDOM_SUFFIX_LENGTH): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/** rand.SafeEncodeString: each character mapped into the safe alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a, 32 bits. */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The template without the `pod-template-hash` label: what hashing and template equality look at. */
export function templateWithoutHash(template: Readonly<PodTemplateSpec>): PodTemplateSpec {
  const t = deepCopy(template) as PodTemplateSpec;
  if (t.metadata?.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

/** controller.ComputeHash: a short, name-safe hash of a template (and collision count). */
export function computeTemplateHash(template: Readonly<PodTemplateSpec>, collisionCount?: number): string {
  const text = canonicalJson(templateWithoutHash(template)) + (collisionCount ? `#${collisionCount}` : '');
  return safeEncode(String(fnv1a32(text)));
}

/** True when two templates are equal apart from `pod-template-hash` (deploymentutil.EqualIgnoreHash). */
export function templatesEqualIgnoringHash(a: Readonly<PodTemplateSpec>, b: Readonly<PodTemplateSpec>): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}

/** What a pod built from a template gets besides it. */
export interface PodFromTemplateOptions {
  namespace: string;
  name: string;
  owner?: OwnerReference;
  extraLabels?: Record<string, string>;
}

/**
 * A new Pod from a template (controller.GetPodFromTemplate): labels, annotations and spec of
 * the template, a controller reference, and `status.phase: Pending` for the scheduler.
 */
export function podFromTemplate(template: Readonly<PodTemplateSpec>, o: PodFromTemplateOptions): Pod {
  const t = deepCopy(template) as PodTemplateSpec;
  const labels = { ...(t.metadata?.labels ?? {}), ...(o.extraLabels ?? {}) };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels },
    spec: t.spec,
    status: { phase: 'Pending' },
  };
  if (t.metadata?.annotations) pod.metadata.annotations = { ...t.metadata.annotations };
  if (o.owner) pod.metadata.ownerReferences = [o.owner];
  return pod;
}
