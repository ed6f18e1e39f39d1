/**
 * Label selectors, ported from k8s.io/apimachinery/pkg/labels/selector.go (the string
 * syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`,
 * comma-joined) and metav1's structured `{matchLabels, matchExpressions}` form
 * (`LabelSelectorAsSelector`, `ValidateLabelSelector`).
 *
 * The nil-vs-empty rule of Kubernetes holds: a missing (null/undefined) structured selector
 * selects NOTHING, an empty one `{}` selects EVERYTHING; an empty string selects everything.
 */
import { StatusError, StatusReason, type StatusCause } from './errors.js';
import { childPath, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, indexPath } from './field-causes.js';
import { isQualifiedName, isValidLabelValue, validateLabels } from './names.js';

/** selection.Operator values, spelled as Kubernetes spells them. */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One term of a selector: a key, an operator and its values (sorted, distinct). */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A parsed label selector; immutable. */
export interface LabelSelector {
  /** True when every requirement holds for `labels` (missing labels count as an empty map). */
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector has no requirements and selects everything. */
  isEmpty(): boolean;
  /** The canonical string form (requirements sorted by key), parseable again. */
  toString(): string;
  readonly requirements: readonly Requirement[];
}

/** metav1.LabelSelectorRequirement's operators. */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** metav1.LabelSelector, the structured form found in specs. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: LabelSelectorOperator; values?: string[] }[];
}

const STRUCTURED_OPERATORS: readonly LabelSelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function hasValue(r: Requirement, value: string): boolean {
  return r.values.includes(value);
}

/** Requirement.Matches of Kubernetes, operator by operator. */
function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && hasValue(r, labels[r.key]!);
    case 'notin':
    case '!=':
      return !has || !hasValue(r, labels[r.key]!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const actual = parseInt64(labels[r.key]!);
      const bound = parseInt64(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** strconv.ParseInt(s, 10, 64): an optionally signed decimal integer, or undefined. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
      return `${r.key} in (${r.values.join(',')})`;
    case 'notin':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${r.values[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

class RequirementsSelector implements LabelSelector {
  readonly requirements: readonly Requirement[];

  constructor(requirements: Requirement[]) {
    // Sorted by key like Kubernetes' internalSelector, so toString is canonical.
    this.requirements = Object.freeze([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  matches(labels: Record<string, string> | undefined): boolean {
    const set = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, set));
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** labels.Nothing(): what a missing structured selector means. Its string form is '' as in Kubernetes. */
class NothingSelector implements LabelSelector {
  readonly requirements: readonly Requirement[] = Object.freeze([]);
  matches(): boolean {
    return false;
  }
  isEmpty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

/** Selects every object (labels.Everything()). */
export const everythingSelector: LabelSelector = new RequirementsSelector([]);
/** Selects no object (labels.Nothing()): a nil structured selector. */
export const nothingSelector: LabelSelector = new NothingSelector();

/**
 * labels.NewRequirement: validates key, operator and values and returns the requirement,
 * or the causes why it is invalid. Values are made distinct and sorted (Kubernetes keeps a set).
 */
function newRequirement(
  key: string,
  operator: SelectorOperator,
  values: readonly string[],
  path = '',
): { requirement: Requirement; causes: StatusCause[] } {
  const causes: StatusCause[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) causes.push(fieldInvalid(childPath(path, 'key'), key, keyErrs.join('; ')));
  const valuesPath = childPath(path, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) causes.push(fieldInvalid(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) causes.push(fieldInvalid(valuesPath, values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) causes.push(fieldInvalid(valuesPath, values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) causes.push(fieldInvalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          causes.push(fieldInvalid(indexPath(valuesPath, i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length > 0) causes.push(fieldInvalid(indexPath(valuesPath, i), v, errs.join('; ')));
  });
  const distinct = [...new Set(values)].sort();
  return { requirement: Object.freeze({ key, operator, values: Object.freeze(distinct) }), causes };
}

function causesText(causes: readonly StatusCause[]): string {
  return causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
}

// ---------------------------------------------------------------- string syntax

type Token =
  | 'error'
  | 'eos'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

const STRING_TO_TOKEN: ReadonlyMap<string, Token> = new Map([
  [')', 'closedPar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

interface Scanned {
  tok: Token;
  lit: string;
}

/** The lexer of selector.go: whitespace separates, special symbols are longest-matched. */
function lex(input: string): Scanned[] {
  const out: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos]!)) pos++;
    if (pos >= input.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    const start = pos;
    if (isSpecialSymbol(input[pos]!)) {
      let lastTok: Token | undefined;
      let lastEnd = pos;
      while (pos < input.length && isSpecialSymbol(input[pos]!)) {
        const candidate = STRING_TO_TOKEN.get(input.slice(start, pos + 1));
        if (candidate === undefined) break;
        lastTok = candidate;
        lastEnd = pos + 1;
        pos++;
      }
      if (lastTok === undefined) {
        const lit = input.slice(start, start + 1);
        out.push({ tok: 'error', lit: `error expected: keyword found '${lit}'` });
        return out;
      }
      pos = lastEnd;
      out.push({ tok: lastTok, lit: input.slice(start, lastEnd) });
      continue;
    }
    while (pos < input.length && !isWhitespace(input[pos]!) && !isSpecialSymbol(input[pos]!)) pos++;
    const word = input.slice(start, pos);
    const keyword = STRING_TO_TOKEN.get(word);
    out.push({ tok: keyword ?? 'identifier', lit: word });
  }
}

/** Recursive-descent parser of selector.go; `in`/`notin` read as identifiers in value position. */
class Parser {
  private position = 0;
  private readonly items: Scanned[];

  constructor(input: string) {
    this.items = lex(input);
  }

  private lookahead(values: boolean): Scanned {
    const item = this.items[Math.min(this.position, this.items.length - 1)]!;
    if (values && (item.tok === 'in' || item.tok === 'notIn')) return { tok: 'identifier', lit: item.lit };
    return item;
  }

  private consume(values: boolean): Scanned {
    const item = this.lookahead(values);
    if (this.position < this.items.length - 1) this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case 'identifier':
        case 'doesNotExist': {
          requirements.push(this.parseRequirement());
          const next = this.consume(true);
          if (next.tok === 'eos') return requirements;
          if (next.tok === 'comma') {
            const after = this.lookahead(true);
            if (after.tok !== 'identifier' && after.tok !== 'doesNotExist') {
              throw new Error(`found '${after.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new Error(`found '${next.lit}', expected: ',' or 'end of string'`);
        }
        case 'eos':
          return requirements;
        default:
          throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let operator: SelectorOperator | undefined;
    let item = this.consume(true);
    if (item.tok === 'doesNotExist') {
      operator = '!';
      item = this.consume(true);
    }
    if (item.tok !== 'identifier') throw new Error(`unable to parse requirement: found '${item.lit}', expected: identifier`);
    const key = item.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length > 0) throw new Error(`unable to parse requirement: ${causesText([fieldInvalid('key', key, keyErrs.join('; '))])}`);
    const next = this.lookahead(true).tok;
    if (next === 'eos' || next === 'comma') operator ??= 'exists';
    if (operator === undefined) {
      operator = this.parseOperator();
    } else if (operator === '!' && next !== 'eos' && next !== 'comma') {
      // `!a=b` and friends: '!' is unary and takes no values.
      throw new Error(`unable to parse requirement: found '${this.lookahead(true).lit}', expected: ',' or 'end of string'`);
    }
    let values: string[] = [];
    if (operator === 'in' || operator === 'notin') values = this.parseValues();
    else if (operator !== 'exists' && operator !== '!') values = this.parseExactValue();
    const { requirement, causes } = newRequirement(key, operator, values);
    if (causes.length > 0) throw new Error(`unable to parse requirement: ${causesText(causes)}`);
    return requirement;
  }

  private parseOperator(): SelectorOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case 'equals':
        return '=';
      case 'doubleEquals':
        return '==';
      case 'greaterThan':
        return 'gt';
      case 'lessThan':
        return 'lt';
      case 'notIn':
        return 'notin';
      case 'notEquals':
        return '!=';
      default:
        throw new Error(`unable to parse requirement: found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** `(x,y,z)`; `()` is the set of the empty string, as in Kubernetes. */
  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.tok !== 'openPar') throw new Error(`unable to parse requirement: found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === 'identifier' || tok === 'comma') {
      const values = this.parseIdentifiersList();
      const close = this.consume(true);
      if (close.tok !== 'closedPar') throw new Error(`unable to parse requirement: found '${close.lit}', expected: ')'`);
      return values;
    }
    if (tok === 'closedPar') {
      this.consume(true);
      return [''];
    }
    throw new Error(`unable to parse requirement: found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'identifier') {
        values.add(lit);
        const next = this.lookahead(true);
        if (next.tok === 'comma') continue;
        if (next.tok === 'closedPar') return [...values];
        throw new Error(`unable to parse requirement: found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === 'comma') {
        // `(,a`, `a,)` and `a,,b` all contribute the empty value.
        if (values.size === 0) values.add('');
        const next = this.lookahead(true);
        if (next.tok === 'closedPar') {
          values.add('');
          return [...values];
        }
        if (next.tok === 'comma') {
          this.consume(true);
          values.add('');
        }
        continue;
      }
      throw new Error(`unable to parse requirement: found '${lit}', expected: ',', or identifier`);
    }
  }

  /** The single value after `=`, `==`, `!=`, `>`, `<`; nothing before ',' or the end is ''. */
  private parseExactValue(): string[] {
    const next = this.lookahead(true);
    if (next.tok === 'eos' || next.tok === 'comma') return [''];
    const { tok, lit } = this.consume(true);
    if (tok === 'identifier') return [lit];
    throw new Error(`unable to parse requirement: found '${lit}', expected: identifier`);
  }
}

/**
 * Parses the string syntax of `?labelSelector=`. The empty string selects everything.
 * Bad syntax or invalid keys/values throw a StatusError BadRequest naming the problem.
 */
export function parseLabelSelector(s: string): LabelSelector {
  let requirements: Requirement[];
  try {
    requirements = new Parser(s).parse();
  } catch (err) {
    throw new StatusError(StatusReason.BadRequest, `unable to parse label selector ${JSON.stringify(s)}: ${(err as Error).message}`);
  }
  return new RequirementsSelector(requirements);
}

/** A selector requiring every `key=value` of `set` (labels.SelectorFromSet); `{}` selects everything. */
export function selectorFromSet(set: Record<string, string> | undefined): LabelSelector {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(set ?? {})) {
    const { requirement, causes } = newRequirement(key, '=', [value]);
    if (causes.length > 0) throw new StatusError(StatusReason.BadRequest, `invalid label selector: ${causesText(causes)}`, { causes });
    requirements.push(requirement);
  }
  return new RequirementsSelector(requirements);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Causes of a structured selector at `fieldPath` (metav1validation.ValidateLabelSelector):
 * valid matchLabels; each expression has a valid key, a known operator, values for
 * In/NotIn and none for Exists/DoesNotExist. A missing selector is valid (it selects nothing).
 */
export function validateLabelSelectorObject(sel: unknown, fieldPath: string): StatusCause[] {
  if (sel === undefined || sel === null) return [];
  if (!isPlainObject(sel)) return [fieldInvalid(fieldPath, sel, 'must be an object with matchLabels and/or matchExpressions')];
  const causes = validateLabels(sel['matchLabels'], childPath(fieldPath, 'matchLabels'));
  const exprs = sel['matchExpressions'];
  const exprsPath = childPath(fieldPath, 'matchExpressions');
  if (exprs === undefined || exprs === null) return causes;
  if (!Array.isArray(exprs)) return [...causes, fieldInvalid(exprsPath, exprs, 'must be a list')];
  exprs.forEach((expr: unknown, i) => {
    const at = indexPath(exprsPath, i);
    if (!isPlainObject(expr)) {
      causes.push(fieldInvalid(at, expr, 'must be an object'));
      return;
    }
    const { key, operator, values } = expr;
    const valuesPath = childPath(at, 'values');
    const valueList = values === undefined || values === null ? [] : values;
    if (!Array.isArray(valueList)) {
      causes.push(fieldInvalid(valuesPath, values, 'must be a list of strings'));
    } else if (operator === 'In' || operator === 'NotIn') {
      if (valueList.length === 0) causes.push(fieldRequired(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (valueList.length > 0) causes.push(fieldForbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (operator === undefined || operator === '') {
      causes.push(fieldRequired(childPath(at, 'operator'), ''));
    } else {
      causes.push(fieldNotSupported(childPath(at, 'operator'), operator, STRUCTURED_OPERATORS));
    }
    if (typeof key !== 'string' || key === '') {
      causes.push(key === undefined || key === '' ? fieldRequired(childPath(at, 'key'), '') : fieldInvalid(childPath(at, 'key'), key, 'must be a string'));
    } else {
      for (const msg of isQualifiedName(key)) causes.push(fieldInvalid(childPath(at, 'key'), key, msg));
    }
    if (Array.isArray(valueList)) {
      valueList.forEach((v: unknown, j) => {
        if (typeof v !== 'string') causes.push(fieldInvalid(indexPath(valuesPath, j), v, 'must be a string'));
        else for (const msg of isValidLabelValue(v)) causes.push(fieldInvalid(indexPath(valuesPath, j), v, msg));
      });
    }
  });
  return causes;
}

const STRUCTURED_TO_OPERATOR: Readonly<Record<LabelSelectorOperator, SelectorOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects NOTHING (a missing selector must not
 * match every object), `{}` (no matchLabels, no matchExpressions) selects EVERYTHING.
 * An invalid selector throws a StatusError BadRequest whose details carry the field causes.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | undefined | null): LabelSelector {
  if (sel === undefined || sel === null) return nothingSelector;
  const causes = validateLabelSelectorObject(sel, '');
  if (causes.length > 0) throw new StatusError(StatusReason.BadRequest, `invalid label selector: ${causesText(causes)}`, { causes });
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) requirements.push(newRequirement(key, '=', [value]).requirement);
  for (const expr of sel.matchExpressions ?? []) {
    requirements.push(newRequirement(expr.key, STRUCTURED_TO_OPERATOR[expr.operator], expr.values ?? []).requirement);
  }
  return new RequirementsSelector(requirements);
}
