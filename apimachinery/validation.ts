/**
 * Validation of served objects: apiVersion/kind, ObjectMeta, the kind's JSON Schema (ajv,
 * compiled once per kind on first use) and the semantic checks a schema cannot express.
 * Every problem is a StatusCause with a Kubernetes-style field path
 * (`spec.template.spec.containers[0].image`), ready for `invalid(kind, name, causes)`.
 */
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import type { StatusCause } from './errors.js';
import { childPath, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooLong, indexPath } from './field-causes.js';
import { nameRuleFor, validateObjectMeta } from './names.js';
import { apiVersionOf, Groups, type ResourceInfo } from './registry.js';
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP } from './auth-review-types.js';
import { RBAC_GROUP } from './rbac-types.js';
import { appsV1Schemas } from './schemas/apps-v1.js';
import { authenticationV1Schemas } from './schemas/authentication-v1.js';
import { authorizationV1Schemas } from './schemas/authorization-v1.js';
import { batchV1Schemas } from './schemas/batch-v1.js';
import { clusterV1alpha1Schemas } from './schemas/cluster-v1alpha1.js';
import { coreV1Schemas } from './schemas/core-v1.js';
import { ANNOTATION_KEYWORDS, objectMeta, sharedSchemas } from './schemas/meta-v1.js';
import { networkingV1alpha1Schemas } from './schemas/networking-v1alpha1.js';
import { policyV1alpha1Schemas } from './schemas/policy-v1alpha1.js';
import { rbacV1Schemas, serviceAccountSchema } from './schemas/rbac-v1.js';
import { rbacSemanticChecks, rbacUpdateChecks } from './validation-rbac.js';
import { semanticChecks } from './validation-semantics.js';

/** Schemas by `group/version/Kind` (core group ''). */
const SCHEMAS: ReadonlyMap<string, SchemaObject> = new Map([
  ...Object.entries(coreV1Schemas).map(([kind, s]) => [`/v1/${kind}`, s] as const),
  ...Object.entries(appsV1Schemas).map(([kind, s]) => [`apps/v1/${kind}`, s] as const),
  ...Object.entries(batchV1Schemas).map(([kind, s]) => [`batch/v1/${kind}`, s] as const),
  ...Object.entries(clusterV1alpha1Schemas).map(([kind, s]) => [`${Groups.cluster}/v1alpha1/${kind}`, s] as const),
  ...Object.entries(policyV1alpha1Schemas).map(([kind, s]) => [`${Groups.policy}/v1alpha1/${kind}`, s] as const),
  ...Object.entries(networkingV1alpha1Schemas).map(([kind, s]) => [`${Groups.networking}/v1alpha1/${kind}`, s] as const),
  ['/v1/ServiceAccount', serviceAccountSchema] as const,
  ...Object.entries(rbacV1Schemas).map(([kind, s]) => [`${RBAC_GROUP}/v1/${kind}`, s] as const),
  ...Object.entries(authorizationV1Schemas).map(([kind, s]) => [`${AUTHORIZATION_GROUP}/v1/${kind}`, s] as const),
  ...Object.entries(authenticationV1Schemas).map(([kind, s]) => [`${AUTHENTICATION_GROUP}/v1/${kind}`, s] as const),
]);

/**
 * Standard, padded base64 as Go's encoding/json reads `[]byte`. Node's decoder skips bad
 * characters, so a round trip that gives back the same text proves the input was canonical;
 * it runs natively, linear in the length, unlike a backtracking regex on a 1 MiB Secret.
 */
function isStandardBase64(s: string): boolean {
  return s.length % 4 === 0 && Buffer.from(s, 'base64').toString('base64') === s;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function gvk(r: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): string {
  return `${r.group}/${r.version}/${r.kind}`;
}

function newAjv(): Ajv {
  // strict: a typo in a schema keyword fails at compile time instead of silently passing.
  // inlineRefs off: each shared schema becomes one function every kind calls.
  const instance = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    inlineRefs: false,
    formats: { byte: { type: 'string', validate: isStandardBase64 } },
  });
  instance.addVocabulary([...ANNOTATION_KEYWORDS]);
  for (const schema of sharedSchemas.values()) instance.addSchema(schema);
  return instance;
}

/** The validator of a kind, compiled on first use and kept: validation runs per request. */
function validatorFor(key: string): ValidateFunction | undefined {
  const cached = compiled.get(key);
  if (cached) return cached;
  const schema = SCHEMAS.get(key);
  if (!schema) return undefined;
  ajv ??= newAjv();
  const fn = ajv.compile(schema);
  compiled.set(key, fn);
  return fn;
}

/** Resolves a `$ref` to a shared schema; other schemas come back as they are. */
function deref(schema: SchemaObject | undefined): SchemaObject | undefined {
  const ref = schema?.['$ref'];
  return typeof ref === 'string' ? sharedSchemas.get(ref) : schema;
}

/**
 * A deep copy of `schema` with every shared `$ref` replaced by its definition (and no `$id`);
 * keywords beside a `$ref` (a description) override the definition's.
 */
function expandRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(expandRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $ref, ...siblings } = schema as SchemaObject;
  const resolved = typeof $ref === 'string' ? { ...(sharedSchemas.get($ref) ?? {}), ...siblings } : siblings;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resolved)) if (k !== '$id') out[k] = expandRefs(v);
  return out;
}

/** The self-contained JSON Schema of a served kind (as ajv validates it), or undefined when it has none. */
export function schemaFor(resource: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): SchemaObject | undefined {
  const schema = SCHEMAS.get(gvk(resource));
  return schema ? (expandRefs(schema) as SchemaObject) : undefined;
}

/** metav1.ObjectMeta as a self-contained schema (what `apiSchemaFor` puts under `metadata`). */
export function objectMetaSchema(): SchemaObject {
  return expandRefs(objectMeta) as SchemaObject;
}

const apiSchemas = new Map<string, SchemaObject | undefined>();

/**
 * The schema clients see for a kind — `schemaFor` with `metadata` typed as the full
 * ObjectMeta — which OpenAPI publishes and strategic merge patch, server-side apply and
 * strict field validation walk. Computed once per kind; callers must not edit it.
 */
export function apiSchemaFor(resource: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): Readonly<SchemaObject> | undefined {
  const key = gvk(resource);
  if (apiSchemas.has(key)) return apiSchemas.get(key);
  const schema = schemaFor(resource);
  if (schema) {
    const props = schema['properties'] as Record<string, SchemaObject>;
    props['metadata'] = expandRefs(objectMeta) as SchemaObject;
  }
  apiSchemas.set(key, schema);
  return schema;
}

/** Compiles every schema now (startup, tests): a broken schema throws here, not on a request. */
export function compileAllSchemas(): void {
  for (const key of SCHEMAS.keys()) validatorFor(key);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Turns ajv's JSON pointer into a field path by walking the schema beside the data: a
 * declared property is `.name`, an array element `[i]`, a map entry (additionalProperties)
 * `[key]`, as field.Path prints them. Where no schema describes the data, identifiers are
 * `.name` and anything else `[key]`.
 */
function fieldPathOf(root: SchemaObject, data: unknown, pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  let schema: SchemaObject | undefined = root;
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    schema = deref(schema);
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path = indexPath(path, seg);
      schema = schema && typeof schema['items'] === 'object' ? (schema['items'] as SchemaObject) : undefined;
      cur = cur[Number(seg)];
      continue;
    }
    const props = schema?.['properties'] as Record<string, SchemaObject> | undefined;
    const additional = schema?.['additionalProperties'];
    if (props && Object.hasOwn(props, seg)) {
      path = childPath(path, seg);
      schema = props[seg];
    } else if (typeof additional === 'object' && additional !== null) {
      path = indexPath(path, seg);
      schema = additional as SchemaObject;
    } else {
      path = IDENTIFIER.test(seg) ? childPath(path, seg) : indexPath(path, seg);
      schema = undefined;
    }
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return path;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** One ajv error as a StatusCause, worded like kube-apiserver's CRD schema validation. */
function causeOf(err: ErrorObject, root: SchemaObject, data: unknown): StatusCause {
  const field = fieldPathOf(root, data, err.instancePath);
  const where = field === '' ? 'body' : `${field} in body`;
  const value: unknown = err.data;
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return fieldRequired(childPath(field, String(params['missingProperty'])), '');
    case 'type':
      return fieldInvalid(field, value, `${where} must be of type ${String(params['type'])}: "${jsonType(value)}"`);
    case 'enum':
      return fieldNotSupported(field, value, (params['allowedValues'] as unknown[] | undefined) ?? []);
    case 'minimum':
      return fieldInvalid(field, value, `${where} should be greater than or equal to ${String(params['limit'])}`);
    case 'maximum':
      return fieldInvalid(field, value, `${where} should be less than or equal to ${String(params['limit'])}`);
    case 'minItems':
      // An empty list where one entry is needed reads as a missing field, as Kubernetes reports it.
      if (params['limit'] === 1) return fieldRequired(field, '');
      return fieldInvalid(field, value, `${where} should have at least ${String(params['limit'])} items`);
    case 'minLength':
      if (params['limit'] === 1) return fieldRequired(field, '');
      return fieldInvalid(field, value, `${where} should be at least ${String(params['limit'])} chars long`);
    case 'maxLength':
      return fieldTooLong(field, Number(params['limit']));
    case 'pattern':
      return fieldInvalid(field, value, `${where} should match '${String(params['pattern'])}'`);
    case 'format':
      return params['format'] === 'byte'
        ? fieldInvalid(field, value, 'illegal base64 data: must be standard base64 with padding')
        : fieldInvalid(field, value, `${where} must be of format ${String(params['format'])}`);
    default:
      return fieldInvalid(field, value, `${where} ${err.message ?? 'is invalid'}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Everything wrong with `obj` as an object of `resource`, empty when valid: apiVersion and
 * kind match the resource; metadata follows the name, namespace, label and annotation rules;
 * the kind's schema holds; and the kind's semantic checks pass. Resources without a schema
 * get the first two checks only.
 */
export function validateObject(resource: ResourceInfo, obj: unknown): StatusCause[] {
  if (!isPlainObject(obj)) return [fieldInvalid('', obj, 'the object must be a JSON object')];
  const causes: StatusCause[] = [];
  const apiVersion = apiVersionOf(resource);
  if (obj['apiVersion'] === undefined || obj['apiVersion'] === '') causes.push(fieldRequired('apiVersion', ''));
  else if (obj['apiVersion'] !== apiVersion) causes.push(fieldInvalid('apiVersion', obj['apiVersion'], `must be ${JSON.stringify(apiVersion)}`));
  if (obj['kind'] === undefined || obj['kind'] === '') causes.push(fieldRequired('kind', ''));
  else if (obj['kind'] !== resource.kind) causes.push(fieldInvalid('kind', obj['kind'], `must be ${JSON.stringify(resource.kind)}`));
  causes.push(...metadataCauses(resource, obj['metadata']));

  const key = gvk(resource);
  const validate = validatorFor(key);
  const schemaCauses: StatusCause[] = [];
  if (validate && !validate(obj)) {
    const root = SCHEMAS.get(key)!;
    for (const err of validate.errors ?? []) schemaCauses.push(causeOf(err, root, obj));
  }
  causes.push(...dedupe(schemaCauses));

  const check = semanticChecks.get(`${resource.group}/${resource.kind}`) ?? rbacSemanticChecks.get(`${resource.group}/${resource.kind}`);
  if (check) {
    // A field the schema already faulted with the same reason is not reported twice.
    const reported = new Set(schemaCauses.map((c) => `${c.field ?? ''}\u0000${c.reason}`));
    for (const c of check(obj)) if (!reported.has(`${c.field ?? ''}\u0000${c.reason}`)) causes.push(c);
  }
  return causes;
}

/**
 * ObjectMeta causes. A `createOnly` kind (a review, a token request) needs neither a name nor
 * a namespace: it is answered, never stored; what it does carry must still be well-formed.
 */
function metadataCauses(resource: ResourceInfo, meta: unknown): StatusCause[] {
  if (!resource.createOnly) return validateObjectMeta(meta, resource.namespaced, nameRuleFor(resource.kind));
  if (meta === undefined || meta === null) return [];
  const probe = isPlainObject(meta) ? { ...meta, name: meta['name'] || 'x' } : meta;
  const causes = validateObjectMeta(probe, false, nameRuleFor(resource.kind));
  return causes.filter((c) => c.field !== 'metadata.namespace');
}

/**
 * What an update may not change, comparing it with the stored object (a binding's roleRef);
 * empty when the update is allowed. `validateObject` still checks `newObj` on its own.
 */
export function validateObjectUpdate(resource: Pick<ResourceInfo, 'group' | 'kind'>, oldObj: unknown, newObj: unknown): StatusCause[] {
  if (!isPlainObject(oldObj) || !isPlainObject(newObj)) return [];
  const check = rbacUpdateChecks.get(`${resource.group}/${resource.kind}`);
  return check ? check(oldObj, newObj) : [];
}

function dedupe(causes: StatusCause[]): StatusCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const id = `${c.field ?? ''}\u0000${c.reason}\u0000${c.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
