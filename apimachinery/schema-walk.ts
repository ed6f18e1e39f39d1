/**
 * Reading a kind's API schema (`apiSchemaFor`, `$ref`s expanded) beside an object: the
 * schema of a field, of a list's entries, and the list and patch metadata Kubernetes puts
 * in struct tags (`+listType`, `+listMapKey`, `patchStrategy`, `patchMergeKey`), which the
 * schemas carry as `x-kubernetes-*` keywords. Strategic merge patch, server-side apply and
 * strict field validation all read the same metadata through these functions, as OpenAPI
 * publishes it.
 */
import type { SchemaObject } from 'ajv';

/** A schema node as the walkers see it; undefined where nothing describes the data. */
export type SchemaNode = Readonly<SchemaObject> | undefined;

/** How a list is merged and owned: by keys (`map`), as a set of scalars (`set`), or whole (`atomic`). */
export type ListType = 'map' | 'set' | 'atomic';

function isSchema(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The declared fields of an object schema, or undefined when it declares none. */
export function propertiesOf(schema: SchemaNode): Readonly<Record<string, SchemaObject>> | undefined {
  const props = schema?.['properties'];
  return isSchema(props) && Object.keys(props).length > 0 ? (props as Record<string, SchemaObject>) : undefined;
}

/** The schema of field `key` of an object: a declared property, or the map's value schema. */
export function fieldSchema(schema: SchemaNode, key: string): SchemaNode {
  const props = propertiesOf(schema);
  if (props && Object.hasOwn(props, key)) return props[key];
  const additional = schema?.['additionalProperties'];
  return isSchema(additional) ? additional : undefined;
}

/** The schema of a list's entries. */
export function itemSchema(schema: SchemaNode): SchemaNode {
  const items = schema?.['items'];
  return isSchema(items) ? items : undefined;
}

/**
 * True when the schema says which fields an object may have (declared properties and no
 * `additionalProperties`): strict field validation reports any other field. Objects without
 * declared properties, maps and `x-kubernetes-preserve-unknown-fields` keep whatever they get.
 */
export function isClosedObject(schema: SchemaNode): boolean {
  if (!propertiesOf(schema)) return false;
  if (schema?.['x-kubernetes-preserve-unknown-fields'] === true) return false;
  return schema?.['additionalProperties'] === undefined || schema['additionalProperties'] === false;
}

/** True for a map from arbitrary keys to values of one schema (labels, resource lists). */
export function isMapSchema(schema: SchemaNode): boolean {
  return !propertiesOf(schema) && isSchema(schema?.['additionalProperties']);
}

/** The list type; lists without one are atomic, as Kubernetes treats untagged lists. */
export function listTypeOf(schema: SchemaNode): ListType {
  const t = schema?.['x-kubernetes-list-type'];
  return t === 'map' || t === 'set' ? t : 'atomic';
}

/** The keys identifying an entry of a `map` list. */
export function listMapKeysOf(schema: SchemaNode): readonly string[] {
  const keys = schema?.['x-kubernetes-list-map-keys'];
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

/** True when an object is owned and replaced as a whole (`+structType=atomic`, `+mapType=atomic`). */
export function isAtomicObject(schema: SchemaNode): boolean {
  return schema?.['x-kubernetes-map-type'] === 'atomic';
}

/** The strategic-merge-patch strategies of a field (`merge`, `retainKeys`, `replace`). */
export function patchStrategiesOf(schema: SchemaNode): readonly string[] {
  const s = schema?.['x-kubernetes-patch-strategy'];
  return typeof s === 'string' ? s.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

/** The field that identifies a list entry in strategic merge patches, or undefined. */
export function patchMergeKeyOf(schema: SchemaNode): string | undefined {
  const k = schema?.['x-kubernetes-patch-merge-key'];
  return typeof k === 'string' && k !== '' ? k : undefined;
}
