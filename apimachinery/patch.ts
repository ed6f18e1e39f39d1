/**
 * Patches on JSON documents, both pure (inputs are never mutated, results share nothing
 * with them): JSON merge patch (RFC 7386, `application/merge-patch+json`) and JSON patch
 * (RFC 6902, `application/json-patch+json`, applied by fast-json-patch).
 *
 * Failures follow kube-apiserver: a malformed patch document is 400 BadRequest; a
 * well-formed patch that cannot apply to this object (a failed `test`, a path that does not
 * exist) is 422 Invalid.
 */
import jsonpatch, { type Operation } from 'fast-json-patch';
import { StatusError, StatusReason } from './errors.js';

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own property even for the key `__proto__` (JSON.parse makes such keys; plain assignment would change the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Throws BadRequest unless `v` is JSON data (null, boolean, finite number, string, arrays and plain objects of those). */
function assertJson(v: unknown, what: string, depth = 0): void {
  if (depth > 1000) throw new StatusError(StatusReason.BadRequest, `${what} is nested too deeply`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return;
    throw new StatusError(StatusReason.BadRequest, `${what} contains a number JSON cannot represent`);
  }
  if (Array.isArray(v)) {
    for (const item of v) assertJson(item, what, depth + 1);
    return;
  }
  if (isJsonObject(v)) {
    for (const key of Object.keys(v)) assertJson(v[key], what, depth + 1);
    return;
  }
  throw new StatusError(StatusReason.BadRequest, `${what} is not valid JSON (found ${typeof v})`);
}

/** RFC 7386's MergePatch; the result may share values with its inputs (the caller clones once). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const out: Record<string, unknown> = {};
  if (isJsonObject(target)) for (const key of Object.keys(target)) setOwn(out, key, target[key]);
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete out[key];
    } else {
      const current = Object.hasOwn(out, key) ? out[key] : undefined;
      setOwn(out, key, mergePatch(current, value));
    }
  }
  return out;
}

/**
 * RFC 7386 MergePatch(target, patch): objects merge key by key, `null` deletes, anything else
 * (arrays included) replaces. Neither input is mutated and the result shares nothing with them.
 * A patch that is not JSON data (undefined, functions, NaN) is BadRequest.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === undefined) throw new StatusError(StatusReason.BadRequest, 'merge patch document is empty');
  assertJson(patch, 'merge patch document');
  // mergePatch shares untouched subtrees with both inputs; one clone cuts them loose.
  return structuredClone(mergePatch(target, patch));
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Structural checks of an RFC 6902 document; each problem is BadRequest naming the operation. */
function validateOperations(operations: unknown): Operation[] {
  if (!Array.isArray(operations)) throw new StatusError(StatusReason.BadRequest, 'json patch document must be an array of operations');
  operations.forEach((op: unknown, i) => {
    const bad = (why: string): StatusError => new StatusError(StatusReason.BadRequest, `json patch operation ${i}: ${why}`);
    if (!isJsonObject(op)) throw bad('must be an object');
    if (typeof op['op'] !== 'string' || !OPS.has(op['op'])) {
      throw bad(`"op" must be one of add, remove, replace, move, copy, test (found ${JSON.stringify(op['op']) ?? 'nothing'})`);
    }
    if (typeof op['path'] !== 'string') throw bad('"path" must be a string');
    if (op['path'] !== '' && !op['path'].startsWith('/')) throw bad(`"path" must be empty or start with "/" (found ${JSON.stringify(op['path'])})`);
    if (op['op'] === 'move' || op['op'] === 'copy') {
      if (typeof op['from'] !== 'string') throw bad(`"from" is required for ${op['op']}`);
      if (op['from'] !== '' && !op['from'].startsWith('/')) throw bad(`"from" must be empty or start with "/" (found ${JSON.stringify(op['from'])})`);
    }
    if (op['op'] === 'add' || op['op'] === 'replace' || op['op'] === 'test') {
      if (!Object.hasOwn(op, 'value') || op['value'] === undefined) throw bad(`"value" is required for ${op['op']}`);
      assertJson(op['value'], `json patch operation ${i} value`);
    }
  });
  return operations as Operation[];
}

function describeOperation(index: number, operation: unknown): string {
  if (!isJsonObject(operation)) return `operation ${index}`;
  return `operation ${index} (${String(operation['op'])} ${JSON.stringify(operation['path'])})`;
}

/**
 * RFC 6902: applies `operations` in order to a copy of `target`. A malformed document is
 * BadRequest; an operation that cannot apply (failed `test`, missing path, bad array index)
 * is Invalid (422), and no partial result escapes. Neither input is mutated.
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  const ops = structuredClone(validateOperations(operations));
  const doc = structuredClone(target);
  try {
    // validate=true makes fast-json-patch check each path against the document as it goes.
    return jsonpatch.applyPatch(doc, ops, true, true).newDocument;
  } catch (err) {
    if (err instanceof jsonpatch.JsonPatchError) {
      const where = describeOperation(err.index ?? 0, err.operation);
      const why =
        err.name === 'TEST_OPERATION_FAILED'
          ? 'test failed: the value at the path is not equal to the expected value'
          : err.message.split('\n')[0];
      throw new StatusError(StatusReason.Invalid, `the json patch cannot be applied: ${where}: ${why}`, {}, { cause: err });
    }
    if (err instanceof TypeError) {
      // fast-json-patch refuses `__proto__`, `constructor/prototype` paths with a TypeError.
      throw new StatusError(StatusReason.Invalid, `the json patch cannot be applied: ${err.message}`, {}, { cause: err });
    }
    throw err;
  }
}
