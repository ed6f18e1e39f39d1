/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), after
 * k8s.io/apimachinery/pkg/util/strategicpatch (`StrategicMergeMapPatch`): a merge patch
 * whose lists follow the schema. A list with `patchStrategy: merge` and a `patchMergeKey`
 * (containers by `name`, ports by `containerPort`) merges entries with the same key; a list
 * of scalars with `patchStrategy: merge` (finalizers) is a set union; any other list is
 * replaced whole. Directives:
 *
 * - `$patch: replace` in a map replaces the map; in a list (as an entry) replaces the list;
 * - `$patch: delete` in a map deletes the map's contents; as a list entry
 *   `{"$patch": "delete", "<mergeKey>": v}` deletes the entry with that key;
 * - `$patch: merge` is the default, stated;
 * - `$retainKeys: [fields]` drops every other field of the map before merging (`strategy`);
 * - `$setElementOrder/<list>: [...]` orders the merged list (patch entries by this order,
 *   entries only the server had keep their relative place);
 * - `$deleteFromPrimitiveList/<list>: [values]` removes values from a list of scalars.
 *
 * `null` deletes a field. Pure: neither input is mutated and the result shares nothing with
 * them. A malformed patch is 400 BadRequest; a patch that cannot apply to the object (a list
 * of lists, mixed entry types) is 422 Invalid.
 */
import { isDeepStrictEqual } from 'node:util';
import { StatusError, StatusReason } from './errors.js';
import { fieldSchema, itemSchema, patchMergeKeyOf, patchStrategiesOf, type SchemaNode } from './schema-walk.js';

type JsonMap = Record<string, unknown>;

const PATCH_DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function badPatch(message: string): StatusError {
  return new StatusError(StatusReason.BadRequest, `invalid strategic merge patch: ${message}`);
}

function cannotApply(message: string): StatusError {
  return new StatusError(StatusReason.Invalid, `the strategic merge patch cannot be applied: ${message}`);
}

/** Sets an own property even for the key `__proto__` (JSON.parse makes such keys). */
function setOwn(obj: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Applies a strategic merge patch to `target` (an object), reading list strategies from
 * `schema` (the kind's `apiSchemaFor`; without one every list is replaced, as a JSON merge
 * patch would).
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, schema?: SchemaNode): unknown {
  if (!isMap(patch)) throw badPatch('the patch must be a JSON object');
  assertJson(patch, 0);
  const original = isMap(target) ? structuredClone(target) : {};
  return mergeMap(original, structuredClone(patch), schema);
}

/** Throws BadRequest unless `v` is JSON data. */
function assertJson(v: unknown, depth: number): void {
  if (depth > 1000) throw badPatch('the patch is nested too deeply');
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return;
    throw badPatch('the patch contains a number JSON cannot represent');
  }
  if (Array.isArray(v)) {
    for (const x of v) assertJson(x, depth + 1);
    return;
  }
  if (isMap(v)) {
    for (const k of Object.keys(v)) assertJson(v[k], depth + 1);
    return;
  }
  throw badPatch(`the patch is not JSON (found ${typeof v})`);
}

/** Merges `patch` into `original` (both owned by the caller, edited in place) and returns the result. */
function mergeMap(original: JsonMap, patch: JsonMap, schema: SchemaNode): JsonMap {
  if (Object.hasOwn(patch, PATCH_DIRECTIVE)) {
    const directive = patch[PATCH_DIRECTIVE];
    delete patch[PATCH_DIRECTIVE];
    if (directive === 'replace') return mergeMap({}, patch, schema);
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw badPatch(`unknown $patch directive ${JSON.stringify(directive)} in a map (replace, delete or merge)`);
  }
  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, schema);
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteFromPrimitiveList(original, key.slice(DELETE_FROM_PRIMITIVE_LIST.length), value);
      continue;
    }
    if (value === null) {
      delete original[key];
      continue;
    }
    const sub = fieldSchema(schema, key);
    const current = Object.hasOwn(original, key) ? original[key] : undefined;
    setOwn(original, key, mergeValue(current, value, sub));
  }
  return original;
}

/** The merge of one field: maps merge (unless the field's strategy is `replace`), lists by strategy, scalars replace. */
function mergeValue(current: unknown, value: unknown, schema: SchemaNode): unknown {
  if (isMap(value)) {
    if (patchStrategiesOf(schema).includes('replace')) return mergeMap({}, value, schema);
    return mergeMap(isMap(current) ? current : {}, value, schema);
  }
  if (Array.isArray(value)) return mergeList(Array.isArray(current) ? current : [], value, schema);
  return value;
}

/** `$retainKeys`: the map keeps only the listed fields (and the patch may set no others). */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const keys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw badPatch('$retainKeys must be a list of field names');
  const keep = new Set(keys);
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith('$')) continue;
    if (!keep.has(k)) throw badPatch(`field ${JSON.stringify(k)} is set by the patch but missing from $retainKeys`);
  }
}

function deleteFromPrimitiveList(original: JsonMap, key: string, values: unknown): void {
  if (!Array.isArray(values)) throw badPatch(`${DELETE_FROM_PRIMITIVE_LIST}${key} must be a list`);
  if (values.some((v) => typeof v === 'object' && v !== null)) throw badPatch(`${DELETE_FROM_PRIMITIVE_LIST}${key} must list scalars`);
  const current = original[key];
  if (!Array.isArray(current)) return;
  original[key] = current.filter((x) => !values.some((v) => isDeepStrictEqual(v, x)));
}

/** The merge key value of a list entry (`{name: "web"}` → "web"), or undefined when absent. */
function keyOf(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey === undefined) return item;
  return isMap(item) ? item[mergeKey] : undefined;
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  const k = keyOf(item, mergeKey);
  if (k === undefined) return -1;
  return list.findIndex((x) => isDeepStrictEqual(keyOf(x, mergeKey), k));
}

/** The entry kinds of a list pair: all maps, all scalars, or (refused) lists. */
function entryKind(...lists: unknown[][]): 'map' | 'scalar' {
  let kind: 'map' | 'scalar' | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (Array.isArray(item)) throw cannotApply('lists of lists cannot be merged');
      const k = isMap(item) ? 'map' : 'scalar';
      if (kind !== undefined && kind !== k) throw cannotApply('a list mixes objects and scalars');
      kind = k;
    }
  }
  return kind ?? 'scalar';
}

/**
 * Merges a patch list into a list. Lists whose strategy is not `merge` are replaced. The
 * merged list holds the patch's entries in the patch's order, with entries only the server
 * had placed back where they were relative to them (strategicpatch's normalizeElementOrder).
 */
function mergeList(original: unknown[], patch: unknown[], schema: SchemaNode): unknown[] {
  const items = itemSchema(schema);
  if (!patchStrategiesOf(schema).includes('merge')) return patch.map((v) => cleanValue(v, items));
  if (original.length === 0 && patch.length === 0) return [];
  const kind = entryKind(original, patch);
  if (kind === 'scalar') {
    const merged: unknown[] = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => isDeepStrictEqual(m, v))) merged.push(v);
    return orderMerged(merged, patch, original, undefined);
  }
  const mergeKey = patchMergeKeyOf(schema);
  if (mergeKey === undefined) throw cannotApply('a list of objects with the merge strategy has no merge key');
  let base = original;
  const entries: JsonMap[] = [];
  let replace = false;
  for (const item of patch as JsonMap[]) {
    if (!Object.hasOwn(item, PATCH_DIRECTIVE)) {
      entries.push(item);
      continue;
    }
    const directive = item[PATCH_DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw badPatch(`a $patch: delete entry needs the merge key ${JSON.stringify(mergeKey)}`);
      base = base.filter((x) => !isDeepStrictEqual(keyOf(x, mergeKey), item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw badPatch('a $patch: merge entry cannot be used in a list');
    } else {
      throw badPatch(`unknown $patch directive ${JSON.stringify(directive)} in a list (replace or delete)`);
    }
  }
  if (replace) return entries.map((e) => mergeMap({}, e, items));
  const merged = [...base];
  for (const entry of entries) {
    if (!Object.hasOwn(entry, mergeKey)) throw badPatch(`a list entry does not contain the merge key ${JSON.stringify(mergeKey)}: ${JSON.stringify(entry)}`);
    const i = indexIn(merged, entry, mergeKey);
    if (i >= 0) merged[i] = mergeMap(isMap(merged[i]) ? (merged[i] as JsonMap) : {}, entry, items);
    else merged.push(mergeMap({}, entry, items));
  }
  return orderMerged(merged, entries, base, mergeKey);
}

/**
 * Orders a merged list: entries named by `order` (the patch, or a `$setElementOrder` list)
 * come in that order; entries only the server had keep their order and are slotted in before
 * the first patch entry that followed them on the server.
 */
function orderMerged(merged: unknown[], order: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const fromPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(order, item, mergeKey) >= 0 ? fromPatch : serverOnly).push(item);
  const byIndex = (ref: readonly unknown[]) => (a: unknown, b: unknown): number => {
    const ia = indexIn(ref, a, mergeKey);
    const ib = indexIn(ref, b, mergeKey);
    return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
  };
  fromPatch.sort(byIndex(order));
  serverOnly.sort(byIndex(serverOrder));
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (i >= serverOnly.length) out.push(fromPatch[j++]);
    else if (j >= fromPatch.length) out.push(serverOnly[i++]);
    else {
      const li = indexIn(serverOrder, serverOnly[i], mergeKey);
      const ri = indexIn(serverOrder, fromPatch[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(fromPatch[j++]);
    }
  }
  return out;
}

/** `$setElementOrder/<list>`: merge that list now, then order it as the directive says. */
function applyElementOrders(original: JsonMap, patch: JsonMap, schema: SchemaNode): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const listKey = key.slice(SET_ELEMENT_ORDER.length);
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badPatch(`${key} must be a list`);
    const sub = fieldSchema(schema, listKey);
    const mergeKey = patchMergeKeyOf(sub);
    const current = Array.isArray(original[listKey]) ? (original[listKey] as unknown[]) : undefined;
    const patchList = patch[listKey];
    if (patchList !== undefined && patchList !== null && !Array.isArray(patchList)) throw badPatch(`${listKey} must be a list`);
    if (Array.isArray(patchList)) {
      for (const item of patchList) {
        if (isMap(item) && Object.hasOwn(item, PATCH_DIRECTIVE)) continue;
        if (indexIn(order, item, isMap(item) ? mergeKey : undefined) < 0) {
          throw badPatch(`${JSON.stringify(item)} is in the ${listKey} list but not in ${key}`);
        }
      }
    }
    if (current === undefined && !Array.isArray(patchList)) continue;
    const merged = Array.isArray(patchList) ? mergeList(current ?? [], patchList, sub) : [...(current ?? [])];
    const listMergeKey = merged.some(isMap) ? mergeKey : undefined;
    original[listKey] = orderMerged(merged, order, current ?? [], listMergeKey);
    delete patch[listKey];
  }
}

/** A patch value taken as it is (nothing to merge with): directives applied, nulls dropped. */
function cleanValue(value: unknown, schema: SchemaNode): unknown {
  if (isMap(value)) return mergeMap({}, value, schema);
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, itemSchema(schema)));
  return value;
}
