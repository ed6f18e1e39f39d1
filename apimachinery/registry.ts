/**
 * The resource registry: which kinds are served, under which group, version and plural,
 * and whether they live in a namespace. It also owns the store key layout, so every part
 * (gateway, controllers, members) reads and writes the same keys.
 */
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP } from './auth-review-types.js';
import { formatApiVersion } from './object.js';
import { RBAC_GROUP } from './rbac-types.js';

/** One served resource (a REST collection). */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Lower-case plural, the path segment: `deployments`. */
  plural: string;
  /** Lower-case singular: `deployment`. */
  singular: string;
  shortNames: readonly string[];
  namespaced: boolean;
  /** Has a `/status` subresource: the main endpoint ignores status, `/status` writes only status. */
  hasStatus: boolean;
  /** `generation` moves only when this part of the object changes (default `spec`). */
  generationFields: readonly string[];
  /** Verbs for discovery. */
  verbs: readonly string[];
  categories?: readonly string[];
  /**
   * Never stored (SelfSubjectAccessReview, TokenReview, ...): the only verb is `create`, which
   * the API server answers by filling in `status` and returning the object; no key, no watch.
   */
  createOnly?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

type ResourceSpec = Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'plural' | 'namespaced'> &
  Partial<Pick<ResourceInfo, 'shortNames' | 'hasStatus' | 'generationFields' | 'categories' | 'createOnly'>>;

function resource(s: ResourceSpec): ResourceInfo {
  return {
    listKind: `${s.kind}List`,
    singular: s.kind.toLowerCase(),
    shortNames: [],
    hasStatus: true,
    generationFields: ['spec'],
    verbs: s.createOnly ? ['create'] : ALL_VERBS,
    ...s,
  };
}

/** The federation API groups. */
export const Groups = {
  cluster: 'cluster.fedgate.io',
  policy: 'policy.fedgate.io',
  networking: 'networking.fedgate.io',
} as const;

/** Everything the gateway serves. Members serve these plus their local kinds. */
export const builtinResources: readonly ResourceInfo[] = [
  resource({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'] }),
  resource({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
    hasStatus: false,
    generationFields: [],
  }),
  resource({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, hasStatus: false, generationFields: [] }),
  resource({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'] }),
  resource({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], hasStatus: false, generationFields: [] }),
  resource({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'] }),
  resource({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'] }),
  resource({ group: Groups.cluster, version: 'v1alpha1', kind: 'Cluster', plural: 'clusters', namespaced: false, shortNames: ['cl'], categories: ['fedgate'] }),
  resource({ group: Groups.policy, version: 'v1alpha1', kind: 'PropagationPolicy', plural: 'propagationpolicies', namespaced: true, shortNames: ['pp'], categories: ['fedgate'] }),
  resource({ group: Groups.policy, version: 'v1alpha1', kind: 'ClusterPropagationPolicy', plural: 'clusterpropagationpolicies', namespaced: false, shortNames: ['cpp'], categories: ['fedgate'] }),
  resource({ group: Groups.policy, version: 'v1alpha1', kind: 'OverridePolicy', plural: 'overridepolicies', namespaced: true, shortNames: ['op'], categories: ['fedgate'] }),
  resource({ group: Groups.networking, version: 'v1alpha1', kind: 'TrafficPolicy', plural: 'trafficpolicies', namespaced: true, shortNames: ['tp'], categories: ['fedgate'] }),
  ...rbacResources(),
];

/** Who may do what: ServiceAccounts and the RBAC kinds (no status; generation never moves). */
function rbacResources(): ResourceInfo[] {
  const plain = { hasStatus: false, generationFields: [] as string[] };
  return [
    resource({ group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'], ...plain }),
    resource({ group: RBAC_GROUP, version: 'v1', kind: 'Role', plural: 'roles', namespaced: true, ...plain }),
    resource({ group: RBAC_GROUP, version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, ...plain }),
    resource({ group: RBAC_GROUP, version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true, ...plain }),
    resource({ group: RBAC_GROUP, version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, ...plain }),
  ];
}

/**
 * The review kinds (`createOnly`: answered, never stored). Not in `builtinResources`: an API
 * server serves them only once it routes their `create` to the auth/ review functions.
 */
export const reviewResources: readonly ResourceInfo[] = [
  resource({ group: AUTHORIZATION_GROUP, version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false, hasStatus: false, createOnly: true }),
  resource({ group: AUTHORIZATION_GROUP, version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false, hasStatus: false, createOnly: true }),
  resource({ group: AUTHENTICATION_GROUP, version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: false, hasStatus: false, createOnly: true }),
  resource({ group: AUTHENTICATION_GROUP, version: 'v1', kind: 'TokenReview', plural: 'tokenreviews', namespaced: false, hasStatus: false, createOnly: true }),
];

/**
 * The kinds a member cluster's compact control plane adds to `builtinResources`: what its
 * controllers, scheduler and kubelets read and write.
 */
export const memberResources: readonly ResourceInfo[] = [
  resource({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'] }),
  resource({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'] }),
  resource({ group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'], hasStatus: false, generationFields: [] }),
  resource({ group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'] }),
  resource({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'] }),
  resource({ group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'] }),
  resource({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'] }),
  resource({ group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true, hasStatus: false, generationFields: [] }),
];

/** The apiVersion string of a resource: `apps/v1`, `v1`. */
export function apiVersionOf(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return formatApiVersion(r.group, r.version);
}

/** Looks resources up by plural, kind, short name, and group/version. */
export class ResourceRegistry {
  private readonly byGVR = new Map<string, ResourceInfo>();
  private readonly byGVK = new Map<string, ResourceInfo>();
  private readonly all: ResourceInfo[] = [];

  constructor(resources: readonly ResourceInfo[] = builtinResources) {
    for (const r of resources) this.add(r);
  }

  /** Registers one more resource; a duplicate group/version/plural is a programming error. */
  add(r: ResourceInfo): void {
    const gvr = `${r.group}/${r.version}/${r.plural}`;
    if (this.byGVR.has(gvr)) throw new Error(`resource ${gvr} registered twice`);
    this.byGVR.set(gvr, r);
    this.byGVK.set(`${r.group}/${r.version}/${r.kind}`, r);
    this.all.push(r);
  }

  /** The resource served at `/apis/{group}/{version}/{plural}` (group '' for `/api/v1`). */
  byResource(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byGVR.get(`${group}/${version}/${plural}`);
  }

  /** The resource of an object's apiVersion and kind. */
  byKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  /**
   * What a user types (`deploy`, `deployments`, `Deployment`, `deployments.apps`), as kubectl
   * resolves it: plural, singular, short name or kind, optionally qualified by group.
   */
  resolve(name: string): ResourceInfo | undefined {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const base = dot < 0 ? lower : lower.slice(0, dot);
    const group = dot < 0 ? undefined : lower.slice(dot + 1);
    return this.all.find(
      (r) =>
        (group === undefined || r.group === group) &&
        (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)),
    );
  }

  /** Every served resource, in registration order. */
  list(): readonly ResourceInfo[] {
    return this.all;
  }

  /** The distinct group/versions, core (`''`) first. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.all) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
    return [...seen.values()];
  }
}

/**
 * Store key layout, after Kubernetes' `/registry/<group>/<resource>/<namespace>/<name>`:
 * `/registry/{group or "core"}/{plural}/{namespace}/{name}`, cluster-scoped without the
 * namespace. Every key of a collection shares the prefix, so list and watch are prefix scans.
 */
export function storeKey(r: Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace ?? ''}/${name}` : `${resourcePrefix(r)}${name}`;
}

/** Prefix of a whole collection (all namespaces): `/registry/apps/deployments/`. */
export function resourcePrefix(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return `/registry/${r.group === '' ? 'core' : r.group}/${r.plural}/`;
}

/** Prefix of a collection within one namespace: `/registry/apps/deployments/shop/`. */
export function namespacePrefix(r: Pick<ResourceInfo, 'group' | 'plural'>, namespace: string): string {
  return `${resourcePrefix(r)}${namespace}/`;
}
