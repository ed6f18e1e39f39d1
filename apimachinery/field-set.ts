/**
 * Field sets: which fields of an object a field manager owns, in Kubernetes' `FieldsV1`
 * form (after sigs.k8s.io/structured-merge-diff). A path is a list of elements:
 *
 * - `f:<name>` a field of a struct or map;
 * - `k:<json>` the entry of a keyed list (`+listType=map`) with these key values;
 * - `v:<json>` the entry of a set (`+listType=set`);
 * - `.` (in FieldsV1 only) the node itself, when it also has children.
 *
 * Structs are owned through their fields; maps (labels), keyed-list entries and open objects
 * are owned themselves too; atomic lists, atomic structs and scalars are leaves. The schema
 * (the kind's `apiSchemaFor`) says which is which; where it says nothing, objects count as
 * maps and lists as atomic.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  fieldSchema,
  isAtomicObject,
  isMapSchema,
  itemSchema,
  listMapKeysOf,
  listTypeOf,
  propertiesOf,
  type SchemaNode,
} from './schema-walk.js';

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One node of a field set: whether the node itself is a member, and its children by path element. */
export class FieldSet {
  /** The node itself is owned (a leaf, a map, a list entry). */
  self = false;
  readonly children = new Map<string, FieldSet>();

  /** True when nothing is owned here or below. */
  isEmpty(): boolean {
    return !this.self && this.children.size === 0;
  }

  /** The child at `element`, created when missing. */
  child(element: string): FieldSet {
    let c = this.children.get(element);
    if (!c) {
      c = new FieldSet();
      this.children.set(element, c);
    }
    return c;
  }

  /** Every member path (nodes with `self`), depth first. */
  members(prefix: readonly string[] = []): string[][] {
    const out: string[][] = [];
    if (this.self && prefix.length > 0) out.push([...prefix]);
    for (const [el, c] of this.children) out.push(...c.members([...prefix, el]));
    return out;
  }

  /** True when `path` is a member. */
  has(path: readonly string[]): boolean {
    let node: FieldSet | undefined = this;
    for (const el of path) {
      node = node.children.get(el);
      if (!node) return false;
    }
    return node.self;
  }

  /** True when `path` or anything below it is a member. */
  hasPrefix(path: readonly string[]): boolean {
    let node: FieldSet | undefined = this;
    for (const el of path) {
      node = node.children.get(el);
      if (!node) return false;
    }
    return !node.isEmpty();
  }

  /** Adds `path` as a member. */
  add(path: readonly string[]): void {
    let node: FieldSet = this;
    for (const el of path) node = node.child(el);
    node.self = true;
  }

  /** Removes `path` (only the member itself; members below it stay). */
  remove(path: readonly string[]): void {
    const trail: FieldSet[] = [this];
    let node: FieldSet | undefined = this;
    for (const el of path) {
      node = node.children.get(el);
      if (!node) return;
      trail.push(node);
    }
    node.self = false;
    for (let i = path.length - 1; i >= 0; i--) {
      if (!trail[i + 1]!.isEmpty()) break;
      trail[i]!.children.delete(path[i]!);
    }
  }

  /** A new set with the members of both. */
  union(other: FieldSet): FieldSet {
    const out = this.clone();
    const merge = (into: FieldSet, from: FieldSet): void => {
      if (from.self) into.self = true;
      for (const [el, c] of from.children) merge(into.child(el), c);
    };
    merge(out, other);
    return out;
  }

  /** A new set with the members of this one that `other` lacks. */
  difference(other: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    out.self = this.self && !other?.self;
    for (const [el, c] of this.children) {
      const d = c.difference(other?.children.get(el));
      if (!d.isEmpty()) out.children.set(el, d);
    }
    return out;
  }

  /** A deep copy. */
  clone(): FieldSet {
    const out = new FieldSet();
    out.self = this.self;
    for (const [el, c] of this.children) out.children.set(el, c.clone());
    return out;
  }

  /** The `fieldsV1` JSON of this set (the root is never a member itself). */
  toFieldsV1(): JsonMap {
    const out: JsonMap = {};
    if (this.self && this.children.size > 0) out['.'] = {};
    for (const [el, c] of this.children) out[el] = c.toFieldsV1();
    return out;
  }

  /** Reads `fieldsV1` JSON; anything that is not an object of objects is skipped. */
  static fromFieldsV1(json: unknown, root = true): FieldSet {
    const out = new FieldSet();
    if (!isMap(json)) return out;
    const keys = Object.keys(json);
    if (!root && keys.length === 0) out.self = true;
    for (const k of keys) {
      if (k === '.') out.self = true;
      else out.children.set(k, FieldSet.fromFieldsV1(json[k], false));
    }
    return out;
  }
}

/** The `k:` element of a keyed-list entry: its key fields as JSON, in the schema's key order. */
function keyElement(entry: JsonMap, keys: readonly string[]): string {
  const k: JsonMap = {};
  for (const key of keys) if (entry[key] !== undefined) k[key] = entry[key];
  return `k:${JSON.stringify(k)}`;
}

/** The path element of list entry `item`, or undefined for atomic lists. */
function entryElement(item: unknown, listSchema: SchemaNode): string | undefined {
  const type = listTypeOf(listSchema);
  if (type === 'set') return `v:${JSON.stringify(item)}`;
  if (type === 'map' && isMap(item)) return keyElement(item, listMapKeysOf(listSchema));
  return undefined;
}

/** True when objects of this schema are owned themselves (maps and open objects), not only through fields (structs). */
function isGranularMap(schema: SchemaNode): boolean {
  return isMapSchema(schema) || !propertiesOf(schema);
}

/** Adds the members of `value` (at `node`) to a set. */
function addValue(node: FieldSet, value: unknown, schema: SchemaNode): void {
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 || isAtomicObject(schema)) {
      node.self = true;
      return;
    }
    if (isGranularMap(schema)) node.self = true;
    for (const k of keys) addValue(node.child(`f:${k}`), value[k], fieldSchema(schema, k));
    return;
  }
  if (Array.isArray(value) && value.length > 0 && listTypeOf(schema) !== 'atomic') {
    const items = itemSchema(schema);
    for (const item of value) {
      const el = entryElement(item, schema);
      if (el === undefined) continue;
      const entry = node.child(el);
      entry.self = true;
      if (isMap(item) && listTypeOf(schema) === 'map') {
        for (const k of Object.keys(item)) addValue(entry.child(`f:${k}`), item[k], fieldSchema(items, k));
      }
    }
    return;
  }
  node.self = true;
}

/** Fields of an object no manager owns: identity, server-managed metadata. */
const IGNORED_TOP = ['apiVersion', 'kind'];
const IGNORED_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

/**
 * The fields set in `obj`, as a field set. `status` is left out when `withStatus` is false
 * (the main endpoint of a kind with a status subresource); with `onlyStatus` only status counts.
 */
export function fieldSetOf(obj: unknown, schema: SchemaNode, opts: { withStatus?: boolean; onlyStatus?: boolean } = {}): FieldSet {
  const root = new FieldSet();
  if (!isMap(obj)) return root;
  for (const key of Object.keys(obj)) {
    if (IGNORED_TOP.includes(key)) continue;
    if (opts.onlyStatus ? key !== 'status' : key === 'status' && opts.withStatus === false) continue;
    const value = obj[key];
    if (key === 'metadata' && isMap(value)) {
      const meta = root.child('f:metadata');
      const metaSchema = fieldSchema(schema, 'metadata');
      for (const mk of Object.keys(value)) {
        if (IGNORED_METADATA.includes(mk)) continue;
        addValue(meta.child(`f:${mk}`), value[mk], fieldSchema(metaSchema, mk));
      }
      if (meta.isEmpty()) root.children.delete('f:metadata');
      continue;
    }
    addValue(root.child(`f:${key}`), value, fieldSchema(schema, key));
  }
  return root;
}

/** Where a path element leads inside `container`: the value, and how to remove it. */
interface Located {
  found: boolean;
  value?: unknown;
  remove?: () => void;
}

/** Parsed `k:` and `v:` elements; the same few keys are looked up again and again. */
const parsedElements = new Map<string, { ok: boolean; value: unknown }>();
const MAX_PARSED_ELEMENTS = 10_000;

function parseElement(json: string): { ok: boolean; value: unknown } {
  let hit = parsedElements.get(json);
  if (!hit) {
    try {
      hit = { ok: true, value: JSON.parse(json) };
    } catch {
      hit = { ok: false, value: undefined };
    }
    if (parsedElements.size >= MAX_PARSED_ELEMENTS) parsedElements.clear();
    parsedElements.set(json, hit);
  }
  return hit;
}

function locate(container: unknown, element: string): Located {
  if (element.startsWith('f:')) {
    const key = element.slice(2);
    if (!isMap(container) || !Object.hasOwn(container, key)) return { found: false };
    return { found: true, value: container[key], remove: () => delete container[key] };
  }
  if (!Array.isArray(container)) return { found: false };
  if (element.startsWith('v:')) {
    const wanted = parseElement(element.slice(2));
    if (!wanted.ok) return { found: false };
    const i = container.findIndex((x) => isDeepStrictEqual(x, wanted.value));
    if (i < 0) return { found: false };
    const item: unknown = container[i];
    return { found: true, value: item, remove: () => container.splice(container.indexOf(item), 1) };
  }
  if (element.startsWith('k:')) {
    const keys = parseElement(element.slice(2));
    if (!keys.ok || !isMap(keys.value)) return { found: false };
    const k = keys.value;
    const names = Object.keys(k);
    const item = container.find((x) => isMap(x) && names.every((key) => x[key] === k[key] || isDeepStrictEqual(x[key], k[key])));
    return item === undefined ? { found: false } : { found: true, value: item, remove: () => container.splice(container.indexOf(item), 1) };
  }
  return { found: false };
}

/** The value at `element` inside `container` (one step of `valueAt`). */
export function childValue(container: unknown, element: string): { found: boolean; value?: unknown } {
  const at = locate(container, element);
  return at.found ? { found: true, value: at.value } : { found: false };
}

/** The value at `path` in `obj`; `found` is false when something on the way is missing. */
export function valueAt(obj: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const el of path) {
    const at = locate(cur, el);
    if (!at.found) return { found: false };
    cur = at.value;
  }
  return { found: true, value: cur };
}

/** Removes the value at `path` from `obj` (edited in place); nothing happens when it is missing. */
export function removeAt(obj: unknown, path: readonly string[]): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  if (!parent.found) return;
  locate(parent.value, path[path.length - 1]!).remove?.();
}

/** A path as Kubernetes prints it in conflicts: `.spec.template.spec.containers[name="web"].image`. */
export function formatFieldPath(path: readonly string[]): string {
  let out = '';
  for (const el of path) {
    if (el.startsWith('f:')) out += `.${el.slice(2)}`;
    else if (el.startsWith('v:')) out += `[=${el.slice(2)}]`;
    else if (el.startsWith('k:')) {
      try {
        const keys = JSON.parse(el.slice(2)) as JsonMap;
        out += `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      } catch {
        out += `[${el.slice(2)}]`;
      }
    } else out += `[${el}]`;
  }
  return out;
}
