/**
 * Routing of resource paths: parse the path, look the resource up, work out the verb,
 * and hand over to the handler of that verb. Unknown resources are 404, methods a path
 * does not take 405 — always as Status bodies, by throwing.
 */
import type { Context, Next } from 'koa';
import { StatusError, StatusReason, type ResourceInfo } from '../apimachinery/index.js';
import { handleDelete, handleDeleteCollection } from './handlers-delete.js';
import { handlePodLog } from './handlers-log.js';
import { handleReview, handleTokenRequest } from './handlers-review.js';
import { handleGet, handleList } from './handlers-read.js';
import { handleWatch } from './handlers-watch.js';
import { handleCreate, handlePatch, handleUpdate } from './handlers-write.js';
import { isNamespaceResource } from './object-strategy.js';
import { requestFacts, type ApiServices, type ResourceRequest } from './request-context.js';
import { queryParam } from './request-options.js';
import { isWatchParam, parseResourcePath, verbOf, type ApiVerb } from './request-path.js';

type Handler = (ctx: Context, api: ApiServices, req: ResourceRequest) => Promise<void>;

const HANDLERS: Record<ApiVerb, Handler> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

/** 404 for paths that name no served resource, worded as kube-apiserver does. */
export function unknownPath(): StatusError {
  return new StatusError(StatusReason.NotFound, 'the server could not find the requested resource');
}

function subresourceOf(r: ResourceInfo, sub: string | undefined, api: ApiServices): ResourceRequest['subresource'] {
  if (sub === undefined) return undefined;
  if (sub === 'status' && r.hasStatus) return 'status';
  if (sub === 'finalize' && isNamespaceResource(r)) return 'finalize';
  if (sub === 'log' && r.group === '' && r.plural === 'pods' && api.podLogs) return 'log';
  if (sub === 'token' && isServiceAccountResource(r) && api.auth) return 'token';
  throw unknownPath();
}

/** The middleware serving every resource path; other paths fall through to `next`. */
export function resourceRoutes(api: ApiServices) {
  return async function resources(ctx: Context, next: Next): Promise<void> {
    const path = parseResourcePath(ctx.path);
    if (!path) return next();
    const resource = api.registry.byResource(path.group, path.version, path.plural);
    if (!resource) throw unknownPath();
    // A namespaced path to a cluster-scoped resource names nothing.
    if (path.namespace !== undefined && !resource.namespaced) throw unknownPath();
    // A named namespaced object needs its namespace (only collections span all namespaces).
    if (resource.namespaced && path.namespace === undefined && path.name !== undefined) throw unknownPath();
    const subresource = subresourceOf(resource, path.subresource, api);
    // Answered, never stored: a review kind takes only POST on its collection, a token request only POST.
    const answered = resource.createOnly === true || subresource === 'token';
    const verb = answered
      ? ctx.method === 'POST' && (subresource === 'token' || path.name === undefined)
        ? 'create'
        : undefined
      : verbOf(ctx.method, path, isWatchParam(queryParam(ctx, 'watch')));
    const facts = requestFacts(ctx);
    facts.resource = subresource ? `${resource.plural}/${subresource}` : resource.plural;
    if (path.namespace !== undefined) facts.namespace = path.namespace;
    if (path.name !== undefined) facts.name = path.name;
    if (!verb) {
      facts.verb = ctx.method;
      ctx.set('Allow', subresource === 'log' ? 'GET' : answered ? 'POST' : allowedMethods(path.name !== undefined, subresource !== undefined));
      throw new StatusError(StatusReason.MethodNotAllowed, `the server does not allow this method on the requested resource`);
    }
    // A namespace's finalize subresource takes only PUT, as in Kubernetes.
    if (subresource === 'finalize' && verb !== 'update') throw unknownPath();
    if (subresource === 'log' && verb !== 'get') {
      facts.verb = verb;
      ctx.set('Allow', 'GET');
      throw new StatusError(StatusReason.MethodNotAllowed, 'the server does not allow this method on the requested resource');
    }
    if (resource.namespaced && path.namespace === undefined && verb !== 'list' && verb !== 'watch') {
      // The all-namespaces collection only lists and watches, as in kube-apiserver.
      ctx.set('Allow', 'GET');
      throw new StatusError(StatusReason.MethodNotAllowed, 'the server does not allow this method on the requested resource');
    }
    facts.verb = verb;
    const req: ResourceRequest = { resource, namespace: path.namespace, name: path.name, subresource, verb };
    if (resource.createOnly) await handleReview(ctx, api, req);
    else if (subresource === 'token') await handleTokenRequest(ctx, api, req);
    else if (subresource === 'log') await handlePodLog(ctx, api, req);
    else await HANDLERS[verb](ctx, api, req);
  };
}

/** Core v1 ServiceAccounts (their `token` subresource issues tokens). */
export function isServiceAccountResource(r: Pick<ResourceInfo, 'group' | 'plural'>): boolean {
  return r.group === '' && r.plural === 'serviceaccounts';
}

function allowedMethods(named: boolean, subresource: boolean): string {
  if (subresource) return 'GET, PUT, PATCH';
  return named ? 'GET, PUT, PATCH, DELETE' : 'GET, POST, DELETE';
}
