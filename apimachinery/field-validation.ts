/**
 * Server-side field validation (`fieldValidation=Strict|Warn|Ignore`, KEP-2885): fields an
 * object carries that its kind's schema does not declare. Objects whose schema lists its
 * fields are checked; maps, open objects (`status`, `x-kubernetes-preserve-unknown-fields`)
 * and kinds without a schema keep whatever they get, as a CRD with preserved unknown fields.
 */
import { StatusError, StatusReason } from './errors.js';
import { childPath, indexPath } from './field-causes.js';
import { fieldSchema, isClosedObject, itemSchema, propertiesOf, type SchemaNode } from './schema-walk.js';

/** The field validation directives; the default (parameter absent) is `Warn`, as kube-apiserver's. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The directive of a `fieldValidation` query value; BadRequest for anything else. */
export function parseFieldValidation(value: string | undefined): FieldValidation {
  if (value === undefined || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw new StatusError(StatusReason.BadRequest, `fieldValidation ${JSON.stringify(value)} is invalid; valid values are: Ignore, Warn, Strict`);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(value: unknown, schema: SchemaNode, path: string, out: string[]): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    value.forEach((v, i) => walk(v, items, indexPath(path, i), out));
    return;
  }
  if (!isMap(value)) return;
  const closed = isClosedObject(schema);
  const props = propertiesOf(schema);
  for (const key of Object.keys(value)) {
    if (closed && !(props && Object.hasOwn(props, key))) {
      out.push(childPath(path, key));
      continue;
    }
    walk(value[key], fieldSchema(schema, key), props && Object.hasOwn(props, key) ? childPath(path, key) : indexPath(path, key), out);
  }
}

/**
 * Paths of the fields of `obj` its schema does not declare, as Kubernetes prints them
 * (`spec.replica`, `spec.template.spec.containers[0].imagePullPolcy`).
 */
export function unknownFields(obj: unknown, schema: SchemaNode): string[] {
  const out: string[] = [];
  walk(obj, schema, '', out);
  return out;
}

/**
 * The 400 of strict field validation, worded as kube-apiserver's strict decoding error:
 * `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`.
 */
export function strictDecodingError(kind: string, version: string, fields: readonly string[]): StatusError {
  const list = fields.map((f) => `unknown field ${JSON.stringify(f)}`).join(', ');
  return new StatusError(StatusReason.BadRequest, `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${list}`);
}
