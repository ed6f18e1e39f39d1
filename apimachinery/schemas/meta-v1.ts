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

/** metav1.LabelSelector. Key and value syntax is checked beyond the schema by validateLabelSelectorObject. */
export const labelSelector: SchemaObject = shared('LabelSelector', {
  type: 'object',
  properties: {
    matchLabels: stringMap,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: str,
          operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: stringList,
        },
      },
    },
  },
});

/** The generic object envelope: apiVersion, kind and metadata (checked by validateObjectMeta), `spec` and `status` as given. */
export function objectSchema(spec: SchemaObject | undefined, options: { specRequired?: boolean; extra?: Record<string, SchemaObject> } = {}): SchemaObject {
  const properties: Record<string, SchemaObject> = {
    apiVersion: str,
    kind: str,
    metadata: anyObject,
    status: anyObject,
    ...(spec ? { spec } : {}),
    ...options.extra,
  };
  return { type: 'object', required: options.specRequired ? ['spec'] : [], properties };
}
