/**
 * Discovery documents, shaped as kube-apiserver serves them so kubectl and client
 * libraries find every resource: `/api` (APIVersions), `/apis` (APIGroupList), `/api/v1`
 * and `/apis/{group}/{version}` (APIResourceList with `/status` entries), `/version`.
 */
import { apiVersionOf, type ResourceInfo, type ResourceRegistry } from '../apimachinery/index.js';
import { isNamespaceResource } from './object-strategy.js';

/** The Kubernetes API version whose conventions the gateway follows (kubectl picks its client by it). */
export const KUBERNETES_COMPATIBILITY = { major: '1', minor: '31' } as const;

/** The gateway's own version. */
export const GATEWAY_VERSION = '0.1.0';

/** `/version`: version.Info. */
export function versionInfo(): Record<string, string> {
  return {
    major: KUBERNETES_COMPATIBILITY.major,
    minor: KUBERNETES_COMPATIBILITY.minor,
    gitVersion: `v${KUBERNETES_COMPATIBILITY.major}.${KUBERNETES_COMPATIBILITY.minor}.0+fedgate-${GATEWAY_VERSION}`,
    gitCommit: 'unknown',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsx',
    platform: `${process.platform}/${process.arch}`,
  };
}

/** `/api`: the core group's versions. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `/apis`: every named group with its versions (the first registered is preferred). */
export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = new Map<string, { groupVersion: string; version: string }[]>();
  for (const gv of registry.groupVersions()) {
    if (gv.group === '') continue;
    const versions = groups.get(gv.group) ?? [];
    versions.push({ groupVersion: apiVersionOf(gv), version: gv.version });
    groups.set(gv.group, versions);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({ name, versions, preferredVersion: versions[0] })),
  };
}

/** `/apis/{group}`: one APIGroup, or undefined when the group is not served. */
export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const list = apiGroupList(registry) as { groups: { name: string }[] };
  const found = list.groups.find((g) => g.name === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...found } : undefined;
}

function resourceEntries(r: ResourceInfo): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length > 0) main['shortNames'] = [...r.shortNames];
  if (r.categories && r.categories.length > 0) main['categories'] = [...r.categories];
  const out = [main];
  const sub = (name: string, verbs: string[]): Record<string, unknown> => ({
    name: `${r.plural}/${name}`,
    singularName: '',
    namespaced: r.namespaced,
    kind: r.kind,
    verbs,
  });
  if (r.hasStatus) out.push(sub('status', ['get', 'patch', 'update']));
  if (isNamespaceResource(r)) out.push(sub('finalize', ['update']));
  return out;
}

/** `/api/v1`, `/apis/{group}/{version}`: the resources of one group/version, or undefined. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const resources = registry.list().filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: resources.flatMap(resourceEntries),
  };
}
