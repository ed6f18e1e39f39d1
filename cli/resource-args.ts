/**
 * The resource arguments of `get`, `describe` and `delete`, as kubectl takes them:
 * `KIND[,KIND...] [NAME...]` or `KIND/NAME [KIND/NAME...]`.
 */
import type { ResourceInfo } from '../apimachinery/index.js';
import type { ApiResources } from './api-discovery.js';

/** One resource and the names asked for (none: the whole collection). */
export interface ResourceRequest {
  resource: ResourceInfo;
  names: string[];
}

/** Turns the arguments into requests, one per resource, in the order given. */
export function parseResourceArgs(args: readonly string[], api: ApiResources): ResourceRequest[] {
  if (args.length === 0) throw new Error('you must specify the type of resource, for example: deployments');
  const out: ResourceRequest[] = [];
  const add = (resource: ResourceInfo, name?: string): void => {
    let req = out.find((r) => r.resource === resource);
    if (!req) out.push((req = { resource, names: [] }));
    if (name !== undefined && !req.names.includes(name)) req.names.push(name);
  };
  if (args[0]!.includes('/')) {
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash <= 0 || slash === arg.length - 1) throw new Error(`arguments in resource/name form must have a single resource and name: "${arg}"`);
      add(api.resolve(arg.slice(0, slash)), arg.slice(slash + 1));
    }
    return out;
  }
  const names = args.slice(1);
  const bad = names.find((n) => n.includes('/'));
  if (bad) throw new Error(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form: "${bad}"`);
  const kinds = args[0]!.split(',').filter(Boolean);
  if (kinds.length === 0) throw new Error(`"${args[0]}" names no resource type`);
  for (const kind of kinds) {
    let resources: ResourceInfo[];
    try {
      resources = [api.resolve(kind)];
    } catch (err) {
      // A category (`all`) stands for its members, as in kubectl.
      resources = api.category(kind);
      if (resources.length === 0) throw err;
    }
    for (const resource of resources) {
      add(resource);
      for (const n of names) add(resource, n);
    }
  }
  return out;
}

/** The query string of a list or watch: selectors and extra parameters. */
export function listQuery(params: { labelSelector?: string | undefined; fieldSelector?: string | undefined; [k: string]: string | undefined }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}
