/**
 * Field ownership (`metadata.managedFields`) and server-side apply, a subset of
 * sigs.k8s.io/structured-merge-diff as kube-apiserver runs it:
 *
 * - every write records its field manager: a create owns every field it set; an update or
 *   a non-apply patch takes the fields whose values it changed (from whoever owned them) and
 *   drops fields it removed from every owner (`operation: Update`);
 * - an apply (`application/apply-patch+yaml`) owns exactly the fields of its configuration
 *   (`operation: Apply`): fields it set before and no longer sets are removed unless another
 *   manager owns them; fields it sets that another manager owns with a different value are
 *   conflicts (409) unless forced, which moves them to the applier;
 * - keyed lists merge by their keys, sets by value, atomic lists and atomic structs are
 *   replaced; maps and structs merge field by field.
 *
 * Pure: objects in, objects out; the caller stores the result.
 */
import { isDeepStrictEqual } from 'node:util';
import { StatusError, StatusReason, type StatusCause } from './errors.js';
import { childValue, FieldSet, fieldSetOf, formatFieldPath, removeAt, valueAt } from './field-set.js';
import type { KubeObject } from './object.js';
import { fieldSchema, isAtomicObject, itemSchema, listMapKeysOf, listTypeOf, type SchemaNode } from './schema-walk.js';

/** metav1.ManagedFieldsEntry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Who writes and how, for managedFields. */
export interface FieldManagerContext {
  /** The field manager (`fieldManager`, or derived from the User-Agent). */
  manager: string;
  /** apiVersion of the object written. */
  apiVersion: string;
  /** Timestamp of the write (RFC 3339, seconds). */
  time: string;
  /** The kind's API schema (`apiSchemaFor`). */
  schema: SchemaNode;
  /** The kind has a status subresource: its main endpoint does not own status. */
  hasStatus: boolean;
  /** Writes to `/status` own only status. */
  subresource?: 'status';
}

/** Options of a server-side apply. */
export interface ApplyContext extends FieldManagerContext {
  /** Take conflicting fields from their owners instead of failing. */
  force: boolean;
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own property even for the key `__proto__` (parsed bodies can carry one). */
function setOwn(obj: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Owned {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function sameOwner(a: ManagedFieldsEntry, b: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>): boolean {
  return a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '');
}

/** The entries of an object, skipping malformed ones. */
export function managedFieldsOf(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const list = obj?.metadata.managedFields;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is ManagedFieldsEntry =>
      isMap(e) && typeof e['manager'] === 'string' && (e['operation'] === 'Apply' || e['operation'] === 'Update'),
  );
}

function owned(obj: KubeObject | undefined): Owned[] {
  return managedFieldsOf(obj).map((entry) => ({ entry, set: FieldSet.fromFieldsV1(entry.fieldsV1) }));
}

function setOptions(ctx: FieldManagerContext): { withStatus?: boolean; onlyStatus?: boolean } {
  if (ctx.subresource === 'status') return { onlyStatus: true };
  return ctx.hasStatus ? { withStatus: false } : {};
}

function toEntries(list: Owned[]): ManagedFieldsEntry[] {
  return list
    .filter((o) => !o.set.isEmpty())
    .map((o) => ({ ...o.entry, fieldsType: 'FieldsV1' as const, fieldsV1: o.set.toFieldsV1() }));
}

function entryFor(ctx: FieldManagerContext, operation: 'Apply' | 'Update'): ManagedFieldsEntry {
  return {
    manager: ctx.manager,
    operation,
    apiVersion: ctx.apiVersion,
    time: ctx.time,
    fieldsType: 'FieldsV1',
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
  };
}

/** True when a member has members below it (a map, a keyed-list entry): its value is its children's. */
function hasChildren(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const el of path) node = node?.children.get(el);
  return (node?.children.size ?? 0) > 0;
}

/**
 * The members of `after` that are new or whose values differ between the objects: a leaf
 * changed when its value did; a map or list entry when it did not exist before. One walk of
 * both objects beside the set.
 */
function changedFields(after: FieldSet, before: FieldSet | undefined, oldValue: unknown, newValue: unknown): FieldSet {
  const out = new FieldSet();
  for (const [el, node] of after.children) {
    const b = before?.children.get(el);
    const o = childValue(oldValue, el);
    const n = childValue(newValue, el);
    const sub = changedFields(node, b, o.value, n.value);
    if (node.self && (!b?.self || (node.children.size === 0 && !isDeepStrictEqual(o.value, n.value)))) sub.self = true;
    if (!sub.isEmpty()) out.children.set(el, sub);
  }
  return out;
}

/** managedFields of a newly created object: the manager owns every field it set. */
export function managedFieldsOnCreate(obj: KubeObject, ctx: FieldManagerContext): ManagedFieldsEntry[] {
  const set = fieldSetOf(obj, ctx.schema, setOptions(ctx));
  return toEntries([{ entry: entryFor(ctx, 'Update'), set }]);
}

/**
 * managedFields after an update or a non-apply patch from `oldObj` to `newObj`: the manager
 * takes the fields whose values changed, removed fields leave every owner. Unchanged
 * ownership returns the old entries as they were (no new timestamp).
 */
export function managedFieldsOnUpdate(oldObj: KubeObject, newObj: KubeObject, ctx: FieldManagerContext): ManagedFieldsEntry[] {
  const opts = setOptions(ctx);
  const before = fieldSetOf(oldObj, ctx.schema, opts);
  const after = fieldSetOf(newObj, ctx.schema, opts);
  const changed = changedFields(after, before, oldObj, newObj);
  const removed = before.difference(after);
  const list = owned(oldObj);
  if (changed.isEmpty() && removed.isEmpty()) return managedFieldsOf(oldObj);
  const me = { manager: ctx.manager, operation: 'Update' as const, subresource: ctx.subresource };
  let mine = list.find((o) => sameOwner(o.entry, me));
  if (!mine) {
    mine = { entry: entryFor(ctx, 'Update'), set: new FieldSet() };
    list.push(mine);
  }
  for (const o of list) {
    if (o === mine) continue;
    o.set = o.set.difference(changed).difference(removed);
  }
  mine.set = mine.set.union(changed).difference(removed);
  if (!changed.isEmpty()) mine.entry = { ...mine.entry, time: ctx.time, apiVersion: ctx.apiVersion };
  return toEntries(list);
}

/** One field another manager owns with a different value than an apply sets. */
export interface FieldConflict {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  path: string[];
}

/** 409 Conflict listing every conflicting field, worded as kube-apiserver does. */
export function applyConflictError(conflicts: readonly FieldConflict[], subject: { group?: string; resource: string; name?: string }): StatusError {
  const what = (c: FieldConflict): string => `conflict with ${JSON.stringify(c.manager)}${c.apiVersion ? ` using ${c.apiVersion}` : ''}`;
  const lines = conflicts.map((c) => `${what(c)}: ${formatFieldPath(c.path)}`);
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: what(c), field: formatFieldPath(c.path) }));
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${lines[0]}`
      : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  return new StatusError(StatusReason.Conflict, message, { name: subject.name, group: subject.group, kind: subject.resource, causes });
}

/** The result of a server-side apply: the object to store (with its managedFields). */
export interface ApplyOutcome {
  object: KubeObject;
  /** Fields taken from other managers by force. */
  forced: FieldConflict[];
}

/**
 * Server-side apply of `config` over `live` (undefined: the object does not exist yet).
 * Throws a 409 Conflict (`applyConflictError`) when another manager owns a field the
 * configuration changes and `force` is not set.
 */
export function serverSideApply(live: KubeObject | undefined, config: KubeObject, ctx: ApplyContext, subject: { group?: string; resource: string; name?: string }): ApplyOutcome {
  const opts = setOptions(ctx);
  const applied = fieldSetOf(config, ctx.schema, opts);
  const me = { manager: ctx.manager, operation: 'Apply' as const, subresource: ctx.subresource };
  if (!live) {
    const object = structuredClone(config);
    object.metadata.managedFields = toEntries([{ entry: entryFor(ctx, 'Apply'), set: applied }]);
    return { object, forced: [] };
  }
  const list = owned(live);
  const conflicts: FieldConflict[] = [];
  for (const o of list) {
    if (sameOwner(o.entry, me)) continue;
    for (const m of applied.members()) {
      if (hasChildren(applied, m) || !o.set.has(m)) continue;
      const current = valueAt(live, m);
      const wanted = valueAt(config, m);
      if (current.found && isDeepStrictEqual(current.value, wanted.value)) continue;
      conflicts.push({ manager: o.entry.manager, operation: o.entry.operation, apiVersion: o.entry.apiVersion, path: m });
    }
  }
  if (conflicts.length > 0 && !ctx.force) throw applyConflictError(conflicts, subject);
  for (const c of conflicts) {
    const o = list.find((x) => sameOwner(x.entry, c));
    o?.set.remove(c.path);
  }

  let mine = list.find((o) => sameOwner(o.entry, me));
  const previous = mine?.set ?? new FieldSet();
  const result = structuredClone(live) as KubeObject;
  // Shallow paths first: a list entry goes before its fields could be removed from under its key.
  const stale = previous.difference(applied).members().sort((a, b) => a.length - b.length);
  for (const path of stale) {
    const elsewhere = list.some((o) => o !== mine && o.set.hasPrefix(path));
    if (!elsewhere && !applied.hasPrefix(path)) removeAt(result, path);
  }
  const merged = mergeConfig(result, config, ctx) as KubeObject;
  if (!mine) {
    mine = { entry: entryFor(ctx, 'Apply'), set: applied };
    list.push(mine);
  } else {
    mine.set = applied;
    mine.entry = { ...mine.entry, apiVersion: ctx.apiVersion, time: ctx.time };
  }
  merged.metadata.managedFields = toEntries(list);
  return { object: merged, forced: conflicts };
}

/** The live object with the configuration merged in (top level: status left to the status subresource). */
function mergeConfig(live: KubeObject, config: KubeObject, ctx: FieldManagerContext): unknown {
  const out: JsonMap = { ...live };
  for (const key of Object.keys(config)) {
    if (ctx.subresource === 'status' ? key !== 'status' : key === 'status' && ctx.hasStatus) continue;
    if (key === 'metadata') {
      const meta: JsonMap = { ...(live.metadata as JsonMap) };
      const cfg = isMap(config.metadata) ? (config.metadata as JsonMap) : {};
      const metaSchema = fieldSchema(ctx.schema, 'metadata');
      for (const mk of Object.keys(cfg)) {
        if (mk === 'managedFields' || mk === 'resourceVersion' || mk === 'uid' || mk === 'creationTimestamp' || mk === 'generation') continue;
        setOwn(meta, mk, mergeValue(Object.hasOwn(meta, mk) ? meta[mk] : undefined, cfg[mk], fieldSchema(metaSchema, mk)));
      }
      out['metadata'] = meta;
      continue;
    }
    setOwn(out, key, mergeValue(Object.hasOwn(live, key) ? live[key] : undefined, config[key], fieldSchema(ctx.schema, key)));
  }
  return out;
}

function mergeValue(live: unknown, config: unknown, schema: SchemaNode): unknown {
  if (isMap(config) && isMap(live) && !isAtomicObject(schema)) {
    const out: JsonMap = { ...live };
    for (const k of Object.keys(config)) setOwn(out, k, mergeValue(Object.hasOwn(live, k) ? live[k] : undefined, config[k], fieldSchema(schema, k)));
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const type = listTypeOf(schema);
    if (type === 'set') {
      const out = [...live];
      for (const v of config) if (!out.some((x) => isDeepStrictEqual(x, v))) out.push(v);
      return out;
    }
    if (type === 'map') {
      const keys = listMapKeysOf(schema);
      const items = itemSchema(schema);
      const out = [...live];
      for (const entry of config) {
        const i = isMap(entry) ? out.findIndex((x) => isMap(x) && keys.every((k) => isDeepStrictEqual(x[k], entry[k]))) : -1;
        if (i >= 0) out[i] = mergeValue(out[i], entry, items);
        else out.push(structuredClone(entry));
      }
      return out;
    }
  }
  return structuredClone(config);
}
