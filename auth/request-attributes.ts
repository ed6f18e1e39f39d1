/**
 * HTTP request → authorization attributes, after kube-apiserver's RequestInfoFactory
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): `/api/v1/...` and
 * `/apis/{group}/{version}/...` are resource requests, everything else (`/healthz`,
 * `/version`, discovery roots) is a non-resource request whose verb is the lower-cased
 * HTTP method. A pure function: the API server calls it once per request, watches included.
 *
 * One deliberate difference: a GET on one named object with `?watch=true` is the verb
 * `watch` here (Kubernetes says `get`), because fedgate's API server serves a watch of that
 * object there; authorizing it as `get` would let a get-only user watch.
 */
import { badRequest, isValidPathSegmentName, parseFieldSelector, verbOfMethod, type AuthzAttributes, type UserInfo } from '../apimachinery/index.js';

/** A query string as Koa (`ctx.query`) or WHATWG URL (`url.searchParams`) gives it. */
export type RequestQuery = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Path prefixes of resource requests (RequestInfoFactory.APIPrefixes). */
const API_PREFIXES = new Set(['api', 'apis']);
/** Verbs written into the path before the resource (`/apis/apps/v1/watch/deployments`). */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Special verbs after which the third part is not a subresource. */
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
/** What follows `namespaces/{name}/` and is a subresource of that namespace, not a collection in it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** The first value of a query parameter, if present. */
function queryValue(query: RequestQuery | undefined, name: string): string | undefined {
  if (!query) return undefined;
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[0];
}

/** A boolean query parameter as Kubernetes converts one: present and not `0`/`f`/`false` means true. */
function queryFlag(query: RequestQuery | undefined, name: string): boolean {
  const v = queryValue(query, name);
  if (v === undefined) return false;
  const lower = v.toLowerCase();
  return !(lower === '0' || lower === 'f' || lower === 'false');
}

/** Path segments without the leading and trailing slashes, percent-decoded; undefined when undecodable. */
function splitPath(path: string): string[] | undefined {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  try {
    return trimmed.split('/').map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}


/**
 * The authorization attributes of a request by `user`: verb (get, list, watch, create,
 * update, patch, delete, deletecollection; the lower-cased method for non-resource paths),
 * API group and version, resource and subresource, namespace and name. A list or watch
 * pinned to one object by `fieldSelector=metadata.name=X` carries that name, so rules with
 * `resourceNames` can allow it, as in Kubernetes. BadRequest for `/apis/G/V/watch` (or
 * `proxy`) without a resource, as kube-apiserver refuses it.
 */
export function requestAttributes(method: string, path: string, query: RequestQuery | undefined, user: UserInfo): AuthzAttributes {
  const nonResource: AuthzAttributes = { user, verb: method.toLowerCase(), resourceRequest: false, path };
  let parts = splitPath(path);
  if (parts === undefined || parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return nonResource;
  const prefix = parts[0]!;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);

  let verb: string;
  let verbFromMethod = false;
  if (SPECIAL_VERBS.has(parts[0]!)) {
    if (parts.length < 2) throw badRequest(`unable to determine kind and namespace from url ${path}`);
    verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    verb = verbOfMethod(method);
    verbFromMethod = true;
  }

  let namespace: string | undefined;
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      namespace = parts[1];
      // `namespaces/shop/deployments/...` addresses a collection inside the namespace;
      // `namespaces/shop` and `namespaces/shop/status` address the namespace itself.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }

  const resource = parts[0];
  let name = parts.length >= 2 ? parts[1] : undefined;
  const subresource = parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(verb) ? parts[2] : undefined;

  if (name === undefined && verb === 'get') {
    verb = queryFlag(query, 'watch') ? 'watch' : 'list';
    const selector = queryValue(query, 'fieldSelector');
    if (selector !== undefined) {
      try {
        const pinned = parseFieldSelector(selector).requiresExactMatch('metadata.name');
        if (pinned !== undefined && pinned !== '' && isValidPathSegmentName(pinned).length === 0) name = pinned;
      } catch {
        // An unparseable selector leaves the request unnamed, as Kubernetes does; the API
        // server refuses the selector itself later.
      }
    }
  } else if (verbFromMethod && verb === 'get' && subresource === undefined && queryFlag(query, 'watch')) {
    verb = 'watch';
  }
  if (name === undefined && verb === 'delete') verb = 'deletecollection';

  const out: AuthzAttributes = { user, verb, resourceRequest: true, apiGroup, apiVersion, path };
  if (resource !== undefined) out.resource = resource;
  if (subresource !== undefined) out.subresource = subresource;
  if (namespace !== undefined && namespace !== '') out.namespace = namespace;
  if (name !== undefined && name !== '') out.name = name;
  return out;
}
