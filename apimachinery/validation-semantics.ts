/**
 * Checks Kubernetes (and Karmada) make that a JSON Schema cannot express: a workload's
 * selector must match its pod template, container names are unique DNS labels, Service
 * ports are named when there are several, ConfigMap/Secret keys and sizes, label selectors
 * inside policies, spread-constraint bounds. Every check reads defensively: the schema
 * reports wrong types, these functions only skip what they cannot read.
 */
import type { StatusCause } from './errors.js';
import { childPath, fieldDuplicate, fieldInvalid, fieldRequired, fieldTooLong, indexPath } from './field-causes.js';
import { labelSelectorFromObject, validateLabelSelectorObject, type LabelSelectorObject } from './label-selector.js';
import { isConfigMapKey, isDNS1123Label, isQualifiedName, validateLabels } from './names.js';
import { Groups } from './registry.js';

/** Largest ConfigMap or Secret payload, as Kubernetes (1 MiB). */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objAt(v: unknown, ...path: string[]): Obj | undefined {
  let cur: unknown = v;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return isObj(cur) ? cur : undefined;
}

function listAt(v: Obj | undefined, key: string): unknown[] {
  const list = v?.[key];
  return Array.isArray(list) ? list : [];
}

/** True when the selector has neither matchLabels nor matchExpressions entries. */
function isEmptySelector(sel: Obj): boolean {
  const labels = isObj(sel['matchLabels']) ? Object.keys(sel['matchLabels']).length : 0;
  const exprs = Array.isArray(sel['matchExpressions']) ? sel['matchExpressions'].length : 0;
  return labels + exprs === 0;
}

/** A pod template's containers: unique names, each a DNS label (ValidatePodSpec's container checks). */
function checkContainers(podSpec: Obj | undefined, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const key of ['initContainers', 'containers']) {
    listAt(podSpec, key).forEach((c, i) => {
      const name = isObj(c) ? c['name'] : undefined;
      if (typeof name !== 'string' || name === '') return;
      const at = childPath(indexPath(childPath(path, key), i), 'name');
      for (const msg of isDNS1123Label(name)) causes.push(fieldInvalid(at, name, msg));
      if (seen.has(name)) causes.push(fieldDuplicate(at, name));
      seen.add(name);
    });
  }
  return causes;
}

/**
 * Deployment and Job: the selector is valid (required and non-empty for a Deployment) and
 * matches `spec.template.metadata.labels`, else the controller would never own its pods.
 */
function checkWorkload(obj: Obj, kind: 'Deployment' | 'Job'): StatusCause[] {
  const spec = objAt(obj, 'spec');
  if (!spec) return [];
  const causes = checkContainers(objAt(spec, 'template', 'spec'), 'spec.template.spec');
  const sel = spec['selector'];
  if (sel === undefined || sel === null) {
    if (kind === 'Deployment') causes.push(fieldRequired('spec.selector', ''));
    return causes;
  }
  if (!isObj(sel)) return causes;
  const selectorCauses = validateLabelSelectorObject(sel, 'spec.selector');
  causes.push(...selectorCauses);
  if (kind === 'Deployment' && isEmptySelector(sel)) {
    causes.push(fieldInvalid('spec.selector', sel, 'empty selector is invalid for deployment'));
  }
  if (selectorCauses.length > 0) return causes;
  const selector = labelSelectorFromObject(sel as LabelSelectorObject);
  const rawLabels = objAt(spec, 'template', 'metadata')?.['labels'];
  const labels = isObj(rawLabels) ? (rawLabels as Record<string, string>) : {};
  if (!selector.isEmpty() && !selector.matches(labels)) {
    causes.push(fieldInvalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  return causes;
}

/** Base64 (standard alphabet, padded) decoded length, or -1 when `s` is not such base64. */
function decodedLength(s: string): number {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return -1;
  return Buffer.from(s, 'base64').length;
}

/** ConfigMap and Secret: valid, non-overlapping keys and at most 1 MiB of data. */
function checkConfigData(obj: Obj, textField: 'data' | 'stringData', bytesField: 'binaryData' | 'data'): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  for (const field of new Set([textField, bytesField])) {
    const map = obj[field];
    if (!isObj(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      const at = indexPath(field, key);
      for (const msg of isConfigMapKey(key)) causes.push(fieldInvalid(at, key, msg));
      const other = seen.get(key);
      // A Secret's stringData is merged into data on write, so the same key in both is fine there.
      if (other !== undefined && !(textField === 'stringData' && bytesField === 'data')) {
        causes.push(fieldInvalid(at, key, `duplicate of key present in ${other}`));
      }
      seen.set(key, field);
      if (typeof value !== 'string') continue;
      total += Buffer.byteLength(key) + (field === bytesField ? Math.max(decodedLength(value), 0) : Buffer.byteLength(value));
    }
  }
  // Kubernetes reports a ConfigMap's size at the root and a Secret's at `data`.
  if (total > MAX_CONFIG_DATA_BYTES) causes.push(fieldTooLong(bytesField === 'binaryData' ? '' : 'data', MAX_CONFIG_DATA_BYTES));
  return causes;
}

/** Service: ports present unless ExternalName or headless, named and unique when several; a valid selector map. */
function checkService(obj: Obj): StatusCause[] {
  const spec = objAt(obj, 'spec');
  if (!spec) return [];
  const causes = validateLabels(spec['selector'], 'spec.selector');
  const type = spec['type'] ?? 'ClusterIP';
  if (type === 'ExternalName') {
    const externalName = spec['externalName'];
    if (typeof externalName !== 'string' || externalName === '') causes.push(fieldRequired('spec.externalName', ''));
    return causes;
  }
  const ports = listAt(spec, 'ports');
  if (ports.length === 0 && spec['clusterIP'] !== 'None') causes.push(fieldRequired('spec.ports', ''));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const at = childPath(indexPath('spec.ports', i), 'name');
    const name = p['name'];
    if (name === undefined || name === '') {
      if (ports.length > 1) causes.push(fieldRequired(at, ''));
      return;
    }
    if (typeof name !== 'string') return;
    for (const msg of isDNS1123Label(name)) causes.push(fieldInvalid(at, name, msg));
    if (names.has(name)) causes.push(fieldDuplicate(at, name));
    names.add(name);
  });
  return causes;
}

/** Cluster: taint keys are qualified names, and a key/effect pair appears once. */
function checkCluster(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  listAt(objAt(obj, 'spec'), 'taints').forEach((t, i) => {
    if (!isObj(t) || typeof t['key'] !== 'string') return;
    const at = indexPath('spec.taints', i);
    for (const msg of isQualifiedName(t['key'])) causes.push(fieldInvalid(childPath(at, 'key'), t['key'], msg));
    const id = `${t['key']}:${String(t['effect'])}`;
    if (seen.has(id)) causes.push(fieldDuplicate(at, { key: t['key'], effect: t['effect'] }));
    seen.add(id);
  });
  return causes;
}

function checkClusterAffinity(affinity: unknown, path: string): StatusCause[] {
  if (!isObj(affinity)) return [];
  return validateLabelSelectorObject(affinity['labelSelector'], childPath(path, 'labelSelector'));
}

function checkResourceSelectors(spec: Obj, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  listAt(spec, 'resourceSelectors').forEach((rs, i) => {
    if (isObj(rs)) causes.push(...validateLabelSelectorObject(rs['labelSelector'], childPath(indexPath(path, i), 'labelSelector')));
  });
  return causes;
}

/** PropagationPolicy / ClusterPropagationPolicy: every embedded label selector, spread bounds (Karmada's webhook rules). */
function checkPropagationPolicy(obj: Obj): StatusCause[] {
  const spec = objAt(obj, 'spec');
  if (!spec) return [];
  const causes = checkResourceSelectors(spec, 'spec.resourceSelectors');
  const placement = objAt(spec, 'placement');
  causes.push(...checkClusterAffinity(placement?.['clusterAffinity'], 'spec.placement.clusterAffinity'));
  listAt(placement, 'clusterAffinities').forEach((a, i) => {
    causes.push(...checkClusterAffinity(a, indexPath('spec.placement.clusterAffinities', i)));
  });
  listAt(objAt(placement, 'replicaScheduling', 'weightPreference'), 'staticWeightList').forEach((w, i) => {
    if (!isObj(w)) return;
    const at = childPath(indexPath('spec.placement.replicaScheduling.weightPreference.staticWeightList', i), 'targetCluster');
    causes.push(...checkClusterAffinity(w['targetCluster'], at));
  });
  listAt(placement, 'spreadConstraints').forEach((c, i) => {
    if (!isObj(c)) return;
    const at = indexPath('spec.placement.spreadConstraints', i);
    const { minGroups, maxGroups, spreadByField, spreadByLabel } = c;
    if (typeof minGroups === 'number' && typeof maxGroups === 'number' && maxGroups < minGroups) {
      causes.push(fieldInvalid(childPath(at, 'maxGroups'), maxGroups, 'maxGroups lower than minGroups is not allowed'));
    }
    if (spreadByField !== undefined && spreadByField !== '' && spreadByLabel !== undefined && spreadByLabel !== '') {
      causes.push(fieldInvalid(at, c, 'spreadByLabel should not co-exist with spreadByField'));
    }
  });
  return causes;
}

/** OverridePolicy: label selectors of its resource selectors and of every target cluster. */
function checkOverridePolicy(obj: Obj): StatusCause[] {
  const spec = objAt(obj, 'spec');
  if (!spec) return [];
  const causes = checkResourceSelectors(spec, 'spec.resourceSelectors');
  causes.push(...checkClusterAffinity(spec['targetCluster'], 'spec.targetCluster'));
  listAt(spec, 'overrideRules').forEach((r, i) => {
    if (isObj(r)) causes.push(...checkClusterAffinity(r['targetCluster'], childPath(indexPath('spec.overrideRules', i), 'targetCluster')));
  });
  return causes;
}

/** TrafficPolicy: the referenced Service name is a DNS label, as Service names are. */
function checkTrafficPolicy(obj: Obj): StatusCause[] {
  const name = objAt(obj, 'spec', 'serviceRef')?.['name'];
  if (typeof name !== 'string' || name === '') return [];
  return isDNS1123Label(name).map((msg) => fieldInvalid('spec.serviceRef.name', name, msg));
}

/** Semantic checks by `group/Kind` (core group ''). */
export const semanticChecks: ReadonlyMap<string, (obj: Obj) => StatusCause[]> = new Map([
  ['/ConfigMap', (o: Obj) => checkConfigData(o, 'data', 'binaryData')],
  ['/Secret', (o: Obj) => checkConfigData(o, 'stringData', 'data')],
  ['/Service', checkService],
  ['apps/Deployment', (o: Obj) => checkWorkload(o, 'Deployment')],
  ['batch/Job', (o: Obj) => checkWorkload(o, 'Job')],
  [`${Groups.cluster}/Cluster`, checkCluster],
  [`${Groups.policy}/PropagationPolicy`, checkPropagationPolicy],
  [`${Groups.policy}/ClusterPropagationPolicy`, checkPropagationPolicy],
  [`${Groups.policy}/OverridePolicy`, checkOverridePolicy],
  [`${Groups.networking}/TrafficPolicy`, checkTrafficPolicy],
]);
