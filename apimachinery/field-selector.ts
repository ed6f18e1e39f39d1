/**
 * Field selectors, ported from k8s.io/apimachinery/pkg/fields/selector.go: comma-joined
 * terms `field=value`, `field==value`, `field!=value`; `\,`, `\=` and `\\` escape inside
 * values. Each resource supports a fixed set of fields (`metadata.name`,
 * `metadata.namespace`, plus what it declares); any other is BadRequest
 * `field label not supported: X`, as kube-apiserver answers.
 */
import { StatusError, StatusReason } from './errors.js';
import type { KubeObject } from './object.js';

/** Fields every resource can be selected by. */
export const DEFAULT_SELECTABLE_FIELDS: readonly string[] = ['metadata.name', 'metadata.namespace'];

/** One term: the field's value must (`=`) or must not (`!=`) equal `value`. */
export interface FieldTerm {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A parsed field selector; immutable. */
export interface FieldSelector {
  /** True when every term holds for `obj`; a missing field reads as ''. */
  matches(obj: KubeObject): boolean;
  /** True when there are no terms (everything is selected). */
  isEmpty(): boolean;
  /** The canonical string form (terms sorted), parseable again. */
  toString(): string;
  /** The value `field` must equal when the selector pins it (`metadata.name=web`), else undefined. */
  requiresExactMatch(field: string): string | undefined;
  readonly terms: readonly FieldTerm[];
}

/** Tried in this order at each position, so `!=` and `==` win over `=`. */
const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits on unescaped commas. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue: `\\`, `\,`, `\=` are escapes; a bare ',' or '=' or a lone '\' is an error. */
function unescapeValue(s: string): string {
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character '${c}'`);
    else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue, the inverse of unescapeValue. */
function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function badRequest(message: string): StatusError {
  return new StatusError(StatusReason.BadRequest, message);
}

/** Reads a dotted path (`spec.nodeName`) from an object; strings as is, numbers/booleans printed, else ''. */
function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, part)) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return '';
}

class TermsSelector implements FieldSelector {
  constructor(readonly terms: readonly FieldTerm[]) {}

  matches(obj: KubeObject): boolean {
    return this.terms.every((t) => (fieldValue(obj, t.field) === t.value) === (t.operator === '='));
  }

  isEmpty(): boolean {
    return this.terms.length === 0;
  }

  toString(): string {
    return this.terms.map((t) => `${t.field}${t.operator}${escapeValue(t.value)}`).join(',');
  }

  requiresExactMatch(field: string): string | undefined {
    return this.terms.find((t) => t.field === field && t.operator === '=')?.value;
  }
}

/**
 * Parses `?fieldSelector=`. `supported` adds dotted paths beyond metadata.name and
 * metadata.namespace. Empty selects everything; bad syntax or an unsupported field throws
 * StatusError BadRequest.
 */
export function parseFieldSelector(s: string, supported: readonly string[] = []): FieldSelector {
  const allowed = new Set([...DEFAULT_SELECTABLE_FIELDS, ...supported]);
  const terms: FieldTerm[] = [];
  // Sorted like Kubernetes, so the string form is canonical.
  for (const part of splitTerms(s).sort()) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (split === undefined) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    // Kubernetes keeps spaces in field names (and then rejects them); trimming only turns
    // certain failures into the evidently intended selection.
    const field = split.lhs.trim();
    if (!allowed.has(field)) throw badRequest(`field label not supported: ${field}`);
    terms.push(Object.freeze({ field, operator: split.op === '!=' ? '!=' : '=', value: unescapeValue(split.rhs) }));
  }
  return new TermsSelector(Object.freeze(terms));
}
