/**
 * What a workload needs beside itself in a member (Karmada's dependencies distributor,
 * `pkg/dependenciesdistributor`): the ConfigMaps, Secrets and ServiceAccount its pod
 * template refers to, and the Services whose selector picks its pods.
 */
import { selectorFromSet, type KubeObject } from '../../apimachinery/index.js';
import { podTemplateOf } from './pod-template.js';

/** A namespaced object a template depends on. */
export interface DependencyRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Objects that may depend on the template's pods. */
export interface DependencyCandidates {
  services: readonly KubeObject[];
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objects(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function nameAt(v: unknown, field: string): string | undefined {
  if (!isObject(v)) return undefined;
  const name = v[field];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Order of kinds in the result: what a pod mounts before who selects it. */
const KIND_ORDER = ['ConfigMap', 'Secret', 'ServiceAccount', 'Service'];

/**
 * The dependencies of `template` in its namespace, deduplicated and ordered by kind
 * (ConfigMap, Secret, ServiceAccount, Service), then name. Templates without a pod
 * template have none. The `default` ServiceAccount exists in every namespace and is left out.
 */
export function dependenciesOf(template: KubeObject, candidates: DependencyCandidates): DependencyRef[] {
  const pod = podTemplateOf(template);
  if (!pod || !isObject(pod.spec)) return [];
  const spec = pod.spec;
  const namespace = template.metadata.namespace ?? '';
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (set: Set<string>, name: string | undefined): void => {
    if (name) set.add(name);
  };

  for (const volume of objects(spec['volumes'])) {
    add(configMaps, nameAt(volume['configMap'], 'name'));
    add(secrets, nameAt(volume['secret'], 'secretName'));
    const projected = volume['projected'];
    for (const source of objects(isObject(projected) ? projected['sources'] : undefined)) {
      add(configMaps, nameAt(source['configMap'], 'name'));
      add(secrets, nameAt(source['secret'], 'name'));
    }
  }
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of objects(spec[field])) {
      for (const env of objects(container['env'])) {
        const from = env['valueFrom'];
        if (!isObject(from)) continue;
        add(configMaps, nameAt(from['configMapKeyRef'], 'name'));
        add(secrets, nameAt(from['secretKeyRef'], 'name'));
      }
      for (const envFrom of objects(container['envFrom'])) {
        add(configMaps, nameAt(envFrom['configMapRef'], 'name'));
        add(secrets, nameAt(envFrom['secretRef'], 'name'));
      }
    }
  }
  for (const pull of objects(spec['imagePullSecrets'])) add(secrets, nameAt(pull, 'name'));

  const out: DependencyRef[] = [];
  for (const name of configMaps) out.push({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
  for (const name of secrets) out.push({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const account = nameAt(spec, 'serviceAccountName') ?? nameAt(spec, 'serviceAccount');
  if (account && account !== 'default') out.push({ apiVersion: 'v1', kind: 'ServiceAccount', namespace, name: account });

  const podLabels = isObject(pod.metadata) && isObject(pod.metadata['labels']) ? (pod.metadata['labels'] as Record<string, string>) : {};
  for (const service of candidates.services) {
    if (service.kind !== 'Service' || (service.metadata.namespace ?? '') !== namespace || !service.metadata.name) continue;
    const selector = isObject(service.spec) ? service.spec['selector'] : undefined;
    // A Service without a selector selects no pods (its endpoints are managed by hand).
    if (!isObject(selector) || Object.keys(selector).length === 0) continue;
    let matches: boolean;
    try {
      matches = selectorFromSet(selector as Record<string, string>).matches(podLabels);
    } catch {
      continue;
    }
    if (matches) out.push({ apiVersion: 'v1', kind: 'Service', namespace, name: service.metadata.name });
  }

  const seen = new Set<string>();
  return out
    .filter((d) => {
      const key = `${d.kind}/${d.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
