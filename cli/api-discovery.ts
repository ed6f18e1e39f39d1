/**
 * What the server serves, read from its discovery documents (`/api/v1`, `/apis`,
 * `/apis/{group}/{version}`) as kubectl reads them, so a kind the server gains works here
 * without a change: kind → REST path for manifests, and what a user types (`deploy`,
 * `deployments.apps`, `Deployment`, `pp`) → resource.
 */
import { apiVersionOf, parseApiVersion, ResourceRegistry, type ResourceInfo } from '../apimachinery/index.js';
import { gatewayRequest, type TargetLike } from './gateway-client.js';

interface DiscoveredResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface ApiResourceList {
  groupVersion: string;
  resources: DiscoveredResource[];
}

interface ApiGroupList {
  groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { groupVersion: string } }[];
}

/** A version segment in `deployments.v1.apps`. */
const VERSION_PATTERN = /^v\d+((alpha|beta)\d+)?$/;

/** The resources one server serves, looked up the ways kubectl looks them up. */
export class ApiResources {
  private readonly registry: ResourceRegistry;

  /** `resources` in preference order: core first, then each group's preferred version first. */
  constructor(resources: readonly ResourceInfo[]) {
    this.registry = new ResourceRegistry(resources);
  }

  /** Reads the server's discovery documents (one request per group/version, in parallel). */
  static async discover(target: TargetLike): Promise<ApiResources> {
    const [core, groups] = await Promise.all([
      gatewayRequest<ApiResourceList>(target, 'GET', '/api/v1'),
      gatewayRequest<ApiGroupList>(target, 'GET', '/apis'),
    ]);
    const groupVersions: string[] = [];
    for (const g of groups?.groups ?? []) {
      const preferred = g.preferredVersion?.groupVersion;
      if (preferred) groupVersions.push(preferred);
      for (const v of g.versions ?? []) if (v.groupVersion !== preferred) groupVersions.push(v.groupVersion);
    }
    const lists = await Promise.all(groupVersions.map((gv) => gatewayRequest<ApiResourceList>(target, 'GET', `/apis/${gv}`)));
    return new ApiResources([core, ...lists].flatMap((list) => resourcesOf(list)));
  }

  /** Every served resource, in preference order. */
  list(): readonly ResourceInfo[] {
    return this.registry.list();
  }

  /**
   * The resource a user means: plural, singular, short name or kind, optionally qualified
   * as `NAME.GROUP` or `NAME.VERSION.GROUP`. Throws naming it when the server has none.
   */
  resolve(typed: string): ResourceInfo {
    const found = this.registry.resolve(typed) ?? this.resolveVersioned(typed);
    if (!found) throw new Error(`the server doesn't have a resource type "${typed}"`);
    return found;
  }

  /** The resources of a category (`all`), one per group and plural (the preferred version). */
  category(name: string): ResourceInfo[] {
    const lower = name.toLowerCase();
    const seen = new Set<string>();
    return this.registry.list().filter((r) => {
      const id = `${r.group}/${r.plural}`;
      if (!r.categories?.includes(lower) || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  /** The resource of a manifest's apiVersion and kind; throws naming them when none is served. */
  forKind(apiVersion: string, kind: string): ResourceInfo {
    const found = this.registry.byKind(apiVersion, kind);
    if (found) return found;
    const { group } = parseApiVersion(apiVersion);
    const other = this.registry.list().find((r) => r.group === group && r.kind === kind);
    const hint = other ? ` (the server serves it as ${apiVersionOf(other)})` : '';
    throw new Error(`no matches for kind "${kind}" in version "${apiVersion}"${hint}`);
  }

  private resolveVersioned(typed: string): ResourceInfo | undefined {
    const parts = typed.toLowerCase().split('.');
    if (parts.length < 3 || !VERSION_PATTERN.test(parts[1]!)) return undefined;
    const group = parts.slice(2).join('.');
    const r = this.registry.resolve(`${parts[0]}.${group}`);
    if (!r) return undefined;
    return this.registry.list().find((x) => x.group === r.group && x.plural === r.plural && x.version === parts[1]);
  }
}

function resourcesOf(list: ApiResourceList | undefined): ResourceInfo[] {
  if (!list || !Array.isArray(list.resources)) return [];
  const { group, version } = parseApiVersion(list.groupVersion);
  const subresources = new Set(list.resources.filter((r) => r.name.includes('/')).map((r) => r.name));
  return list.resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group,
      version,
      kind: r.kind,
      listKind: `${r.kind}List`,
      plural: r.name,
      singular: r.singularName || r.kind.toLowerCase(),
      shortNames: r.shortNames ?? [],
      namespaced: Boolean(r.namespaced),
      hasStatus: subresources.has(`${r.name}/status`),
      generationFields: ['spec'],
      verbs: r.verbs ?? [],
      ...(r.categories ? { categories: r.categories } : {}),
    }));
}

/** `/api/v1` or `/apis/GROUP/VERSION`. */
export function groupVersionPath(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
}

/** The REST path of a collection (all namespaces when `namespace` is undefined) or of one object. */
export function resourcePath(r: ResourceInfo, namespace: string | undefined, name?: string): string {
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(r)}${ns}/${r.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

/** What kubectl calls the resource in messages and `-o name`: `deployment.apps`, `service`. */
export function kindGroup(r: Pick<ResourceInfo, 'kind' | 'group'>): string {
  const kind = r.kind.toLowerCase();
  return r.group ? `${kind}.${r.group}` : kind;
}

/** `plural.group` as in server messages: `deployments.apps`, `services`. */
export function pluralGroup(r: Pick<ResourceInfo, 'plural' | 'group'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
