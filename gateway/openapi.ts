/**
 * OpenAPI documents of the served API, generated from the registry and the kinds' JSON
 * Schemas (`apiSchemaFor`), shaped as kube-apiserver publishes them so kubectl can use them:
 *
 * - `/openapi/v3`: an index of group-versions, each at `/openapi/v3/{api/v1 | apis/G/V}?hash=`;
 *   a group-version document has the REST paths with `x-kubernetes-group-version-kind` and
 *   `x-kubernetes-action` on every operation (kubectl finds server-side field validation and
 *   strategic merge patch support there) and one component schema per kind, carrying
 *   `x-kubernetes-group-version-kind` and the list and patch extensions (`kubectl explain`,
 *   client-side apply's patch computation).
 * - `/openapi/v2`: the same paths and definitions as one Swagger 2.0 document (JSON only).
 *
 * The federation's own kinds, like CRDs, do not list strategic merge patch among their
 * patch types, so kubectl sends them JSON merge patches; the gateway accepts both.
 */
import { createHash } from 'node:crypto';
import type { SchemaObject } from 'ajv';
import { apiSchemaFor, objectMetaSchema, type ResourceInfo, type ResourceRegistry } from '../apimachinery/index.js';
import { KUBERNETES_COMPATIBILITY, GATEWAY_VERSION } from './discovery.js';
import { PATCH_MEDIA_TYPES } from './request-body.js';

type Json = Record<string, unknown>;

/** One OpenAPI v3 group-version document and where the index points to it. */
export interface OpenApiV3Document {
  /** `api/v1`, `apis/apps/v1`. */
  path: string;
  /** Upper-case hex SHA-512 of the document, as kube-apiserver's `?hash=`. */
  hash: string;
  /** The serialized document. */
  json: string;
}

/** The component name of a kind: `io.k8s.api.apps.v1.Deployment`, `io.fedgate.policy.v1alpha1.PropagationPolicy`. */
export function definitionName(r: Pick<ResourceInfo, 'group' | 'version'>, kind: string): string {
  if (r.group === '') return `io.k8s.api.core.${r.version}.${kind}`;
  const parts = r.group.split('.');
  if (parts.length === 1) return `io.k8s.api.${r.group}.${r.version}.${kind}`;
  if (r.group.endsWith('.k8s.io')) return `io.k8s.api.${parts[0]}.${r.version}.${kind}`;
  return `${[...parts].reverse().join('.')}.${r.version}.${kind}`;
}

/** True for kinds that take strategic merge patches in kubectl's eyes (Kubernetes' own, not the federation's CRD-like kinds). */
export function advertisesStrategicMerge(r: Pick<ResourceInfo, 'group'>): boolean {
  return !r.group.endsWith('.fedgate.io');
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/**
 * A JSON Schema of apimachinery/schemas as OpenAPI 3.0 (no type unions, no bare `{}`):
 * integer-or-string and quantity unions become references to Kubernetes' IntOrString and
 * Quantity definitions (what `kubectl explain` names them by); `ref` makes those references.
 */
export function toOpenApiSchema(schema: unknown, ref: (name: string) => string = (n) => `#/components/schemas/${n}`): Json {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { 'x-kubernetes-preserve-unknown-fields': true };
  const s = schema as SchemaObject;
  const out: Json = {};
  if (typeof s['description'] === 'string') out['description'] = s['description'];
  const type = s['type'];
  if (Array.isArray(type)) {
    out['allOf'] = [{ $ref: ref(type.includes('integer') ? INT_OR_STRING : QUANTITY) }];
    return out;
  } else if (typeof type === 'string') {
    out['type'] = type;
  } else if (Array.isArray(s['enum']) && s['enum'].every((v: unknown) => typeof v === 'string')) {
    out['type'] = 'string';
  }
  if (Array.isArray(s['enum'])) out['enum'] = [...(s['enum'] as unknown[])];
  for (const k of ['format', 'pattern', 'minItems', 'minLength', 'maxLength']) if (s[k] !== undefined) out[k] = s[k];
  if (out['type'] === 'integer' || out['type'] === 'number') for (const k of ['minimum', 'maximum']) if (s[k] !== undefined) out[k] = s[k];
  const props = s['properties'];
  if (typeof props === 'object' && props !== null && Object.keys(props).length > 0) {
    out['properties'] = Object.fromEntries(Object.entries(props as Record<string, unknown>).map(([k, v]) => [k, toOpenApiSchema(v, ref)]));
  }
  const required = s['required'];
  if (Array.isArray(required) && required.length > 0) out['required'] = [...required];
  if (s['items'] !== undefined) out['items'] = toOpenApiSchema(s['items'], ref);
  const additional = s['additionalProperties'];
  if (typeof additional === 'object' && additional !== null) out['additionalProperties'] = toOpenApiSchema(additional, ref);
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-kubernetes-')) out[k] = v;
  if (out['type'] === 'object' && !out['properties'] && !out['additionalProperties']) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (out['type'] === undefined && !out['x-kubernetes-preserve-unknown-fields'] && !out['properties']) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}

const gvkOf = (r: ResourceInfo): Json => ({ group: r.group, kind: r.kind, version: r.version });

/** The component schemas of one resource: the kind (with its GVK) and its list. */
function kindDefinitions(r: ResourceInfo, ref: (name: string) => string): Record<string, Json> {
  const schema = apiSchemaFor(r);
  const kind: Json = schema
    ? toOpenApiSchema(schema, ref)
    : {
        type: 'object',
        description: `${r.kind} (no schema published: fields are not checked).`,
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: toOpenApiSchema(objectMetaSchema(), ref) },
        'x-kubernetes-preserve-unknown-fields': true,
      };
  kind['x-kubernetes-group-version-kind'] = [gvkOf(r)];
  const list: Json = {
    type: 'object',
    description: `A list of ${r.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: ref(`${META}.ListMeta`) },
      items: { type: 'array', items: { $ref: ref(definitionName(r, r.kind)) } },
    },
    'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.listKind, version: r.version }],
  };
  return { [definitionName(r, r.kind)]: kind, [definitionName(r, r.listKind)]: list };
}

/** Shared metav1 definitions every document refers to. */
function metaDefinitions(): Record<string, Json> {
  return {
    [`${META}.ListMeta`]: {
      type: 'object',
      properties: { resourceVersion: { type: 'string' }, continue: { type: 'string' }, remainingItemCount: { type: 'integer' } },
    },
    [`${META}.Status`]: {
      type: 'object',
      description: 'The outcome of a request that does not return an object, and every error.',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        code: { type: 'integer' },
        message: { type: 'string' },
        reason: { type: 'string' },
        status: { type: 'string' },
        details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
    [`${META}.DeleteOptions`]: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        dryRun: { type: 'array', items: { type: 'string' } },
        gracePeriodSeconds: { type: 'integer' },
        propagationPolicy: { type: 'string' },
        preconditions: { type: 'object', properties: { uid: { type: 'string' }, resourceVersion: { type: 'string' } } },
      },
    },
    [`${META}.Patch`]: { type: 'object', description: 'A patch in one of the patch media types.' },
    [INT_OR_STRING]: { type: 'string', format: 'int-or-string', description: 'An integer or a string (a number, or a percentage such as "25%").' },
    [QUANTITY]: { type: 'string', description: 'A fixed-point number with an optional suffix: 100m, 0.5, 128Mi, 1G.' },
  };
}

interface Param {
  name: string;
  in: 'query' | 'path';
  description: string;
  type?: 'string' | 'boolean' | 'integer';
  required?: boolean;
}

const q = (name: string, description: string, type: Param['type'] = 'string'): Param => ({ name, in: 'query', description, type });
const DRY_RUN = q('dryRun', 'All: validate and answer without persisting.');
const FIELD_MANAGER = q('fieldManager', 'The name of the actor making the change (managedFields).');
const FIELD_VALIDATION = q('fieldValidation', 'Unknown fields: Ignore, Warn (default) or Strict (400).');
const FORCE = q('force', 'Server-side apply: take fields other managers own.', 'boolean');
const LIST_PARAMS = [
  q('labelSelector', 'Only objects whose labels match.'),
  q('fieldSelector', 'Only objects whose fields match.'),
  q('limit', 'At most this many objects; continue with the returned token.', 'integer'),
  q('continue', 'The token of the previous page.'),
  q('resourceVersion', 'Read at (list with resourceVersionMatch) or watch from this revision.'),
  q('resourceVersionMatch', 'Exact or NotOlderThan.'),
  q('timeoutSeconds', 'End a watch after this long.', 'integer'),
  q('watch', 'Stream changes instead of listing.', 'boolean'),
  q('allowWatchBookmarks', 'Send BOOKMARK events.', 'boolean'),
];

type Action = 'list' | 'post' | 'deletecollection' | 'get' | 'put' | 'patch' | 'delete' | 'connect';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  action: Action;
  summary: string;
  params: Param[];
  /** Component of the request body, or 'patch'. */
  body?: string | 'patch';
  /** Component of the response; 'text' for plain text. */
  response: string | 'text';
}

interface PathSpec {
  path: string;
  pathParams: string[];
  resource: ResourceInfo;
  ops: Operation[];
  operationSuffix: string;
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Camel-cased group/version for operation ids: `AppsV1`, `CoreV1`, `PolicyFedgateIoV1alpha1`. */
function operationGroup(r: ResourceInfo): string {
  const group = r.group === '' ? 'core' : r.group;
  return group.split('.').map(upperFirst).join('') + upperFirst(r.version);
}

function pathsOf(r: ResourceInfo, podLogs: boolean): PathSpec[] {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const kindRef = definitionName(r, r.kind);
  const listRef = definitionName(r, r.listKind);
  const has = (verb: string): boolean => r.verbs.includes(verb);
  const scope = r.namespaced ? 'Namespaced' : '';
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const nsParams = r.namespaced ? ['namespace'] : [];
  const out: PathSpec[] = [];
  const colOps: Operation[] = [];
  if (has('list')) colOps.push({ method: 'get', action: 'list', summary: `list or watch objects of kind ${r.kind}`, params: LIST_PARAMS, response: listRef });
  if (has('create')) colOps.push({ method: 'post', action: 'post', summary: `create a ${r.kind}`, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: kindRef, response: kindRef });
  if (has('deletecollection')) {
    colOps.push({ method: 'delete', action: 'deletecollection', summary: `delete collection of ${r.kind}`, params: [DRY_RUN, ...LIST_PARAMS.slice(0, 2)], body: `${META}.DeleteOptions`, response: `${META}.Status` });
  }
  if (colOps.length > 0) out.push({ path: collection, pathParams: nsParams, resource: r, ops: colOps, operationSuffix: `${scope}${r.kind}` });
  const itemOps: Operation[] = [];
  if (has('get')) itemOps.push({ method: 'get', action: 'get', summary: `read the specified ${r.kind}`, params: [], response: kindRef });
  if (has('update')) itemOps.push({ method: 'put', action: 'put', summary: `replace the specified ${r.kind}`, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: kindRef, response: kindRef });
  if (has('patch')) {
    itemOps.push({ method: 'patch', action: 'patch', summary: `partially update the specified ${r.kind}`, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], body: 'patch', response: kindRef });
  }
  if (has('delete')) itemOps.push({ method: 'delete', action: 'delete', summary: `delete a ${r.kind}`, params: [DRY_RUN], body: `${META}.DeleteOptions`, response: `${META}.Status` });
  if (itemOps.length > 0) out.push({ path: `${collection}/{name}`, pathParams: [...nsParams, 'name'], resource: r, ops: itemOps, operationSuffix: `${scope}${r.kind}` });
  if (r.hasStatus && has('get')) {
    out.push({
      path: `${collection}/{name}/status`,
      pathParams: [...nsParams, 'name'],
      resource: r,
      operationSuffix: `${scope}${r.kind}Status`,
      ops: [
        { method: 'get', action: 'get', summary: `read status of the specified ${r.kind}`, params: [], response: kindRef },
        { method: 'put', action: 'put', summary: `replace status of the specified ${r.kind}`, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: kindRef, response: kindRef },
        { method: 'patch', action: 'patch', summary: `partially update status of the specified ${r.kind}`, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], body: 'patch', response: kindRef },
      ],
    });
  }
  if (r.namespaced && has('list')) {
    out.push({
      path: `${base}/${r.plural}`,
      pathParams: [],
      resource: r,
      operationSuffix: `${r.kind}ForAllNamespaces`,
      ops: [{ method: 'get', action: 'list', summary: `list or watch objects of kind ${r.kind} in every namespace`, params: LIST_PARAMS, response: listRef }],
    });
  }
  if (podLogs && r.group === '' && r.plural === 'pods') {
    out.push({
      path: `${collection}/{name}/log`,
      pathParams: [...nsParams, 'name'],
      resource: r,
      operationSuffix: 'NamespacedPodLog',
      ops: [
        {
          method: 'get',
          action: 'connect',
          summary: 'read log of the specified Pod',
          params: [
            q('container', 'The container to read; optional when the pod has one.'),
            q('follow', 'Stream the log until the container stops.', 'boolean'),
            q('previous', 'The log of the previous run.', 'boolean'),
            q('tailLines', 'Only the last lines.', 'integer'),
            q('limitBytes', 'At most this many bytes.', 'integer'),
            q('timestamps', 'Accepted; lines carry no timestamps.', 'boolean'),
          ],
          response: 'text',
        },
      ],
    });
  }
  return out;
}

const VERB_PREFIX: Record<Action, string> = {
  list: 'list',
  post: 'create',
  deletecollection: 'deleteCollection',
  get: 'read',
  put: 'replace',
  patch: 'patch',
  delete: 'delete',
  connect: 'read',
};

interface Builder {
  ref: (name: string) => string;
  requestBody: (op: Operation, r: ResourceInfo) => Json | undefined;
  response: (op: Operation) => Json;
  param: (p: Param) => Json;
}

function buildPaths(specs: PathSpec[], b: Builder): Json {
  const paths: Json = {};
  for (const spec of specs) {
    const item: Json = {
      parameters: spec.pathParams.map((name) => b.param({ name, in: 'path', required: true, description: `${name} of the ${spec.resource.kind}`, type: 'string' })),
    };
    for (const op of spec.ops) {
      const operation: Json = {
        description: op.summary,
        operationId: `${VERB_PREFIX[op.action]}${operationGroup(spec.resource)}${spec.operationSuffix}`,
        tags: [operationGroup(spec.resource)],
        parameters: op.params.map(b.param),
        responses: { '200': b.response(op), '401': { description: 'Unauthorized' } },
        'x-kubernetes-action': op.action,
        'x-kubernetes-group-version-kind': gvkOf(spec.resource),
      };
      const body = b.requestBody(op, spec.resource);
      if (body) {
        const { parameters, ...rest } = body;
        Object.assign(operation, rest);
        if (Array.isArray(parameters)) operation['parameters'] = [...(operation['parameters'] as Json[]), ...(parameters as Json[])];
      }
      if (op.action === 'post') (operation['responses'] as Json)['201'] = b.response(op);
      item[op.method] = operation;
    }
    paths[spec.path] = item;
  }
  return paths;
}

function patchTypesOf(r: ResourceInfo): string[] {
  return PATCH_MEDIA_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json' || advertisesStrategicMerge(r));
}

/** Generates and caches the OpenAPI documents of one registry. */
export class OpenApiDocuments {
  private v2: string | undefined;
  private v3: Map<string, OpenApiV3Document> | undefined;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly opts: { podLogs: boolean },
  ) {}

  /** The group-version documents by path (`api/v1`, `apis/apps/v1`). */
  v3Documents(): ReadonlyMap<string, OpenApiV3Document> {
    if (this.v3) return this.v3;
    const docs = new Map<string, OpenApiV3Document>();
    for (const gv of this.registry.groupVersions()) {
      const path = gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
      const resources = this.registry.list().filter((r) => r.group === gv.group && r.version === gv.version);
      const json = JSON.stringify(this.v3Document(resources));
      docs.set(path, { path, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() });
    }
    this.v3 = docs;
    return docs;
  }

  /** `/openapi/v3`: where each group-version document is. */
  v3Index(): Json {
    const paths: Json = {};
    for (const d of this.v3Documents().values()) paths[d.path] = { serverRelativeURL: `/openapi/v3/${d.path}?hash=${d.hash}` };
    return { paths };
  }

  private v3Document(resources: ResourceInfo[]): Json {
    const ref = (name: string): string => `#/components/schemas/${name}`;
    const schemas: Record<string, Json> = { ...metaDefinitions() };
    for (const r of resources) Object.assign(schemas, kindDefinitions(r, ref));
    const paths = buildPaths(resources.flatMap((r) => pathsOf(r, this.opts.podLogs)), {
      ref,
      param: (p) => ({
        name: p.name,
        in: p.in,
        description: p.description,
        ...(p.required ? { required: true } : {}),
        schema: { type: p.type ?? 'string', ...(p.in === 'path' ? { uniqueItems: true } : {}) },
      }),
      requestBody: (op, r) => {
        if (!op.body) return undefined;
        if (op.body === 'patch') {
          const content = Object.fromEntries(patchTypesOf(r).map((t) => [t, { schema: { $ref: ref(`${META}.Patch`) } }]));
          return { requestBody: { content, required: true } };
        }
        return { requestBody: { content: { '*/*': { schema: { $ref: ref(op.body) } } }, required: op.method !== 'delete' } };
      },
      response: (op) =>
        op.response === 'text'
          ? { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } }
          : { description: 'OK', content: { 'application/json': { schema: { $ref: ref(op.response) } } } },
    });
    return {
      openapi: '3.0.0',
      info: { title: 'fedgate', version: `v${KUBERNETES_COMPATIBILITY.major}.${KUBERNETES_COMPATIBILITY.minor}.0+fedgate-${GATEWAY_VERSION}` },
      paths,
      components: { schemas },
    };
  }

  /** `/openapi/v2`: every path and definition as one Swagger 2.0 document. */
  v2Json(): string {
    if (this.v2) return this.v2;
    const ref = (name: string): string => `#/definitions/${name}`;
    const resources = [...this.registry.list()];
    const definitions: Record<string, Json> = { ...metaDefinitions() };
    for (const r of resources) Object.assign(definitions, kindDefinitions(r, ref));
    const paths = buildPaths(resources.flatMap((r) => pathsOf(r, this.opts.podLogs)), {
      ref,
      param: (p) => ({ name: p.name, in: p.in, description: p.description, type: p.type ?? 'string', ...(p.required ? { required: true, uniqueItems: true } : {}) }),
      requestBody: (op, r) => {
        if (!op.body) return undefined;
        const schema = { $ref: ref(op.body === 'patch' ? `${META}.Patch` : op.body) };
        return {
          consumes: op.body === 'patch' ? patchTypesOf(r) : ['*/*'],
          parameters: [{ name: 'body', in: 'body', required: op.method !== 'delete', schema }],
        };
      },
      response: (op) => (op.response === 'text' ? { description: 'OK', schema: { type: 'string' } } : { description: 'OK', schema: { $ref: ref(op.response) } }),
    });
    // Swagger 2.0 keeps body parameters beside the query ones.
    for (const item of Object.values(paths) as Json[]) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const o = op as Json & { parameters: Json[] };
        const produces = ['application/json', 'application/yaml'];
        o['produces'] = (o['responses'] as Record<string, { schema?: { type?: string } }>)['200']?.schema?.type === 'string' ? ['text/plain'] : produces;
        o['schemes'] = ['https', 'http'];
      }
    }
    const doc = {
      swagger: '2.0',
      info: { title: 'fedgate', version: `v${KUBERNETES_COMPATIBILITY.major}.${KUBERNETES_COMPATIBILITY.minor}.0+fedgate-${GATEWAY_VERSION}` },
      paths,
      definitions,
    };
    this.v2 = JSON.stringify(doc);
    return this.v2;
  }
}
