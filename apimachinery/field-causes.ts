/**
 * Field-level causes of an Invalid error, after k8s.io/apimachinery/pkg/util/validation/field:
 * each cause carries the field path (`spec.template.spec.containers[0].image`), a reason
 * (`FieldValueRequired`, ...) and the message body Kubernetes prints after the path
 * (`Invalid value: "ABC": ...`), so `invalid()` renders the same text kubectl users know.
 */
import type { StatusCause } from './errors.js';

/** The `reason` of a StatusCause, as field.ErrorType names them on the wire. */
export const CauseReason = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Duplicate: 'FieldValueDuplicate',
  NotFound: 'FieldValueNotFound',
} as const;

/** Longest rendering of a value inside a message; long values are cut like field.Invalid does. */
const MAX_VALUE_CHARS = 256;

/** A value as field errors print it: strings quoted, objects as JSON, long values truncated. */
export function formatFieldValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'null';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...(truncated)` : text;
}

function cause(reason: string, field: string, message: string): StatusCause {
  return field === '' ? { reason, message } : { reason, message, field };
}

/** `field: Required value[: detail]`. */
export function fieldRequired(field: string, detail = ''): StatusCause {
  return cause(CauseReason.Required, field, detail ? `Required value: ${detail}` : 'Required value');
}

/** `field: Invalid value: <value>: detail`. */
export function fieldInvalid(field: string, value: unknown, detail: string): StatusCause {
  const body = `Invalid value: ${formatFieldValue(value)}`;
  return cause(CauseReason.Invalid, field, detail ? `${body}: ${detail}` : body);
}

/** `field: Unsupported value: <value>: supported values: "a", "b"`. */
export function fieldNotSupported(field: string, value: unknown, supported: readonly unknown[]): StatusCause {
  const list = supported.map((v) => formatFieldValue(v)).join(', ');
  return cause(CauseReason.NotSupported, field, `Unsupported value: ${formatFieldValue(value)}: supported values: ${list}`);
}

/** `field: Forbidden: detail`. */
export function fieldForbidden(field: string, detail: string): StatusCause {
  return cause(CauseReason.Forbidden, field, `Forbidden: ${detail}`);
}

/** `field: Too long: may not be more than <max> bytes`. */
export function fieldTooLong(field: string, maxBytes: number): StatusCause {
  return cause(CauseReason.TooLong, field, `Too long: may not be more than ${maxBytes} bytes`);
}

/** `field: Duplicate value: <value>`. */
export function fieldDuplicate(field: string, value: unknown): StatusCause {
  return cause(CauseReason.Duplicate, field, `Duplicate value: ${formatFieldValue(value)}`);
}

/** Appends `.name` to a field path (`metadata` + `name`); an empty base gives just the name. */
export function childPath(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

/** Appends `[i]` (list index) or `[key]` (map key) to a field path, as field.Path.Index/Key do. */
export function indexPath(base: string, indexOrKey: number | string): string {
  return `${base}[${indexOrKey}]`;
}
