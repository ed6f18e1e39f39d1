/**
 * JSON Schema pieces of metav1 and shared scalar types (int32, IntOrString, quantities),
 * reused by every API group's schemas. Small pieces are inlined; large ones used in many
 * places (containers, probes, label selectors) are `shared`: compiled once and referenced
 * by `$ref`, which keeps compilation of a pod-bearing kind to a few milliseconds.
 */
import type { SchemaObject } from 'ajv';

/** Shared schemas by `$id`; validation registers them all with ajv before compiling any kind. */
export const sharedSchemas = new Map<string, SchemaObject>();

/** Registers `schema` under `fedgate:<name>` and returns a `$ref` to it. */
export function shared(name: string, schema: SchemaObject): SchemaObject {
  const id = `fedgate:${name}`;
  if (sharedSchemas.has(id)) throw new Error(`shared schema ${id} defined twice`);
  sharedSchemas.set(id, { $id: id, ...schema });
  return { $ref: id };
}

/** Largest int32, the range of Kubernetes' `int32` fields. */
export const INT32_MAX = 2147483647;

/** A string. */
export const str: SchemaObject = { type: 'string' };
/** A boolean. */
export const bool: SchemaObject = { type: 'boolean' };
/** A list of strings. */
export const stringList: SchemaObject = { type: 'array', items: { type: 'string' } };
/** A map of string to string (labels, annotations, nodeSelector, ConfigMap data). */
export const stringMap: SchemaObject = { type: 'object', additionalProperties: { type: 'string' } };
/** A map of string to base64-encoded bytes (Secret data, ConfigMap binaryData). */
export const bytesMap: SchemaObject = { type: 'object', additionalProperties: { type: 'string', format: 'byte' } };
/** Any object; its fields are not checked. */
export const anyObject: SchemaObject = { type: 'object' };
/** An int32 ≥ 0. */
export const nonNegativeInt32: SchemaObject = { type: 'integer', minimum: 0, maximum: INT32_MAX };
/** An int32 ≥ 1. */
export const positiveInt32: SchemaObject = { type: 'integer', minimum: 1, maximum: INT32_MAX };
/** An int64 ≥ 0. */
export const nonNegativeInt: SchemaObject = { type: 'integer', minimum: 0 };
/** A TCP/UDP port number. */
export const portNumber: SchemaObject = { type: 'integer', minimum: 1, maximum: 65535 };
/** intstr.IntOrString: an integer or a string such as `25%`. */
export const intOrString: SchemaObject = { type: ['integer', 'string'] };
/** resource.Quantity: `500m`, `1Gi` or a bare number. */
export const quantity: SchemaObject = { type: ['string', 'number'] };
/** A map of resource name to quantity (requests, limits, capacity). */
export const quantityMap: SchemaObject = { type: 'object', additionalProperties: quantity };

/** `schema` with a description (shown by `kubectl explain`). */
export function describe(description: string, schema: SchemaObject): SchemaObject {
  return { ...schema, description };
}

/**
 * A list whose entries are identified by `keys` (`+listType=map`): strategic merge patch
 * merges entries with the same `patchMergeKey` (Kubernetes' `patchMergeKey` tag),
 * server-side apply owns each entry by its keys. `patchStrategy` is `merge` unless given
 * (`merge,retainKeys` for volumes).
 */
export function keyedList(items: SchemaObject, keys: readonly string[], patchStrategy = 'merge', patchMergeKey: string = keys[0]!): SchemaObject {
  return {
    type: 'array',
    items,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': [...keys],
    'x-kubernetes-patch-merge-key': patchMergeKey,
    'x-kubernetes-patch-strategy': patchStrategy,
  };
}

/** A list of distinct scalars (`+listType=set`), merged as a set by strategic merge patch (finalizers). */
export function setList(items: SchemaObject = str): SchemaObject {
  return { type: 'array', items, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
}

/** A list replaced as a whole by every patch and owned as a whole by server-side apply. */
export function atomicList(items: SchemaObject): SchemaObject {
  return { type: 'array', items, 'x-kubernetes-list-type': 'atomic' };
}

/** An object whose fields are not checked and are kept as sent (status, opaque extension points). */
export const openObject: SchemaObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** metav1.LabelSelector. Key and value syntax is checked beyond the schema by validateLabelSelectorObject. */
export const labelSelector: SchemaObject = shared('LabelSelector', {
  type: 'object',
  description: 'A label query over a set of resources. matchLabels and matchExpressions are ANDed; an empty selector matches everything, a missing one nothing.',
  'x-kubernetes-map-type': 'atomic',
  properties: {
    matchLabels: describe('Labels an object must carry, key = value.', stringMap),
    matchExpressions: describe(
      'Requirements on labels (In, NotIn, Exists, DoesNotExist).',
      atomicList({
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: str,
          operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: atomicList(str),
        },
      }),
    ),
  },
});

/** metav1.OwnerReference. */
const ownerReference: SchemaObject = {
  type: 'object',
  required: ['apiVersion', 'kind', 'name', 'uid'],
  'x-kubernetes-map-type': 'atomic',
  properties: { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool },
};

/** metav1.ManagedFieldsEntry: who owns which fields (server-side apply). */
const managedFieldsEntry: SchemaObject = {
  type: 'object',
  properties: {
    manager: str,
    operation: { enum: ['Apply', 'Update'] },
    apiVersion: str,
    time: str,
    fieldsType: str,
    fieldsV1: openObject,
    subresource: str,
  },
};

/**
 * metav1.ObjectMeta, every field. Objects' own metadata is checked by validateObjectMeta;
 * this schema types pod-template metadata and is what OpenAPI, strict field validation and
 * patches see for `metadata`.
 */
export const objectMeta: SchemaObject = shared('ObjectMeta', {
  type: 'object',
  description: 'Standard object metadata: name, namespace, labels, annotations and the fields the server manages.',
  properties: {
    name: describe('Unique within a namespace (or the cluster, for cluster-scoped kinds).', str),
    generateName: describe('Prefix of a name the server generates when name is empty.', str),
    namespace: describe('The namespace of a namespaced object.', str),
    selfLink: str,
    uid: describe('Set by the server at creation; unique in time and space.', str),
    resourceVersion: describe('Opaque version of the object: the store revision of the write that produced it.', str),
    generation: describe('Incremented by the server whenever the spec changes.', { type: 'integer' }),
    creationTimestamp: describe('When the object was created (RFC 3339).', str),
    deletionTimestamp: describe('When a graceful deletion was requested; set by the server.', str),
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: describe('Key-value pairs for selecting objects.', stringMap),
    annotations: describe('Key-value pairs for tools and the server; not used for selection.', stringMap),
    ownerReferences: describe('Objects this one depends on; the garbage collector deletes it after its owner.', keyedList(ownerReference, ['uid'])),
    finalizers: describe('Must be empty before the object is deleted from the store.', setList()),
    managedFields: describe('Which field manager owns which fields (server-side apply).', atomicList(managedFieldsEntry)),
  },
});

/** The generic object envelope: apiVersion, kind and metadata (checked by validateObjectMeta), `spec` and `status` as given. */
export function objectSchema(
  spec: SchemaObject | undefined,
  options: { specRequired?: boolean; extra?: Record<string, SchemaObject>; status?: SchemaObject; description?: string } = {},
): SchemaObject {
  const properties: Record<string, SchemaObject> = {
    apiVersion: describe('The versioned schema of this representation of an object.', str),
    kind: describe('The REST resource this object represents.', str),
    metadata: anyObject,
    status: options.status ?? describe('The observed state, written by the system.', openObject),
    ...(spec ? { spec: describe(typeof spec['description'] === 'string' ? spec['description'] : 'The desired state.', spec) } : {}),
    ...options.extra,
  };
  return { type: 'object', required: options.specRequired ? ['spec'] : [], properties, ...(options.description ? { description: options.description } : {}) };
}

/** Annotation-only keywords the schemas carry for OpenAPI, patches and server-side apply (ajv ignores them). */
export const ANNOTATION_KEYWORDS = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-preserve-unknown-fields',
] as const;
