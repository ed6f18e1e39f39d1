/**
 * Discovery documents, shaped as kube-apiserver serves them so kubectl and client
 * libraries find every resource: `/api` (APIVersions), `/apis` (APIGroupList), `/api/v1`
 * and `/apis/{group}/{version}` (APIResourceList with `/status` entries), `/version`; and
 * aggregated discovery (`apidiscovery.k8s.io` v2 and v2beta1 APIGroupDiscoveryList) at
 * `/api` and `/apis` for clients that ask for it in `Accept`, as kubectl 1.30+ does — one
 * request for every group instead of one per group-version.
 */
import { apiVersionOf, Groups, type ResourceInfo, type ResourceRegistry } from '../apimachinery/index.js';
import { isNamespaceResource } from './object-strategy.js';

/** The Kubernetes API version whose conventions the gateway follows (kubectl picks its client by it). */
export const KUBERNETES_COMPATIBILITY = { major: '1', minor: '32' } as const;

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

/** Options of the resource lists: which optional subresources this server serves. */
export interface DiscoveryOptions {
  /** `pods/log` is served. */
  podLogs: boolean;
  /** `serviceaccounts/token` is served (TokenRequest: the server authenticates). */
  tokenRequests?: boolean;
  /** `clusters/proxy` is served (a federation gateway forwarding to member APIs). */
  clusterProxy?: boolean;
}

/** The subresources of a resource: name and verbs. */
function subresourcesOf(r: ResourceInfo, opts: DiscoveryOptions): { name: string; verbs: string[] }[] {
  const out: { name: string; verbs: string[] }[] = [];
  if (r.hasStatus && r.verbs.includes('get')) out.push({ name: 'status', verbs: ['get', 'patch', 'update'] });
  if (isNamespaceResource(r)) out.push({ name: 'finalize', verbs: ['update'] });
  if (opts.podLogs && r.group === '' && r.plural === 'pods') out.push({ name: 'log', verbs: ['get'] });
  if (opts.tokenRequests && r.group === '' && r.plural === 'serviceaccounts') out.push({ name: 'token', verbs: ['create'] });
  // Verbs as kube-apiserver lists them for nodes/proxy.
  if (opts.clusterProxy && r.group === Groups.cluster && r.plural === 'clusters') out.push({ name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  return out;
}

function resourceEntries(r: ResourceInfo, opts: DiscoveryOptions): Record<string, unknown>[] {
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
  for (const s of subresourcesOf(r, opts)) out.push(sub(s.name, s.verbs));
  return out;
}

/** `/api/v1`, `/apis/{group}/{version}`: the resources of one group/version, or undefined. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
  opts: DiscoveryOptions = { podLogs: false },
): Record<string, unknown> | undefined {
  const resources = registry.list().filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: resources.flatMap((r) => resourceEntries(r, opts)),
  };
}

/** The Content-Type of an aggregated discovery document. */
export function aggregatedDiscoveryType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function discoveryResource(r: ResourceInfo, opts: DiscoveryOptions): Record<string, unknown> {
  const responseKind = { group: r.group, version: r.version, kind: r.kind };
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind,
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length > 0) out['shortNames'] = [...r.shortNames];
  if (r.categories && r.categories.length > 0) out['categories'] = [...r.categories];
  const subs = subresourcesOf(r, opts);
  if (subs.length > 0) out['subresources'] = subs.map((s) => ({ subresource: s.name, responseKind, verbs: s.verbs }));
  return out;
}

/**
 * Aggregated discovery: `/api` (`core`: the core group) or `/apis` (every named group) as
 * one APIGroupDiscoveryList; versions of a group in registration order (the first preferred).
 */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  scope: 'core' | 'groups',
  version: 'v2' | 'v2beta1',
  opts: DiscoveryOptions = { podLogs: false },
): Record<string, unknown> {
  const groups = new Map<string, Map<string, ResourceInfo[]>>();
  for (const r of registry.list()) {
    if ((r.group === '') !== (scope === 'core')) continue;
    const versions = groups.get(r.group) ?? new Map<string, ResourceInfo[]>();
    const list = versions.get(r.version) ?? [];
    list.push(r);
    versions.set(r.version, list);
    groups.set(r.group, versions);
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...groups].map(([name, versions]) => ({
      metadata: { ...(name === '' ? {} : { name }), creationTimestamp: null },
      versions: [...versions].map(([v, resources]) => ({
        version: v,
        resources: resources.map((r) => discoveryResource(r, opts)),
        freshness: 'Current',
      })),
    })),
  };
}
