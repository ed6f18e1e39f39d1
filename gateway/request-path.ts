/**
 * Request paths of the resource API, parsed the way kube-apiserver's RequestInfoFactory
 * does: `/api/v1/...` (core group) and `/apis/{group}/{version}/...`, with an optional
 * `namespaces/{ns}` part, then `{plural}[/{name}[/{subresource}]]`.
 */

/** Verbs in Kubernetes' vocabulary; the metric label uses their upper-case form. */
export type ApiVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** A parsed resource path (before looking the resource up). */
export interface ResourcePath {
  group: string;
  version: string;
  /** The `namespaces/{ns}` part of the path; absent for cluster-wide paths. */
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

/**
 * Subresources of a namespace itself: `/api/v1/namespaces/{name}/status` names the
 * namespace, not a collection called `status` inside it.
 */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function segments(path: string): string[] | undefined {
  const parts = path.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  try {
    const decoded = parts.map((p) => decodeURIComponent(p));
    return decoded.some((p) => p === '') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/**
 * Parses `/api/v1/namespaces/shop/configmaps/web` and friends; undefined when the path is
 * not a resource path (discovery paths such as `/api/v1` or `/apis/apps/v1` included).
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const parts = segments(path);
  if (!parts) return undefined;
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [plural, name, subresource] = rest as [string, string | undefined, string | undefined];
  const out: ResourcePath = { group, version, plural };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}

/** True for `watch=true` / `watch=1`, as kube-apiserver reads the parameter. */
export function isWatchParam(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/**
 * The verb of a request on a resource path, or undefined when the method is not allowed
 * there (405). A GET on a named object with `watch` set watches that one object.
 */
export function verbOf(method: string, path: Pick<ResourcePath, 'name' | 'subresource'>, watch: boolean): ApiVerb | undefined {
  const named = path.name !== undefined;
  if (path.subresource !== undefined) {
    if (method === 'GET' || method === 'HEAD') return 'get';
    if (method === 'PUT') return 'update';
    if (method === 'PATCH') return 'patch';
    return undefined;
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return named ? undefined : 'create';
    case 'PUT':
      return named ? 'update' : undefined;
    case 'PATCH':
      return named ? 'patch' : undefined;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
