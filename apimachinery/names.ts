/**
 * Name and label rules, ported from k8s.io/apimachinery/pkg/util/validation/validation.go
 * (messages and regexes kept word for word, so errors read as kube-apiserver's do), and
 * ObjectMeta validation after k8s.io/apimachinery/pkg/api/validation/objectmeta.go.
 */
import type { StatusCause } from './errors.js';
import {
  childPath,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  fieldTooLong,
  indexPath,
} from './field-causes.js';

/** Longest DNS-1123 label (a Namespace or Service name, a label-key name part). */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** Longest DNS-1123 subdomain (most object names, a label-key prefix). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** Longest label value and qualified-name name part. */
export const LABEL_VALUE_MAX_LENGTH = 63;
/** Total bytes of all annotation keys and values of one object (256 KiB, as Kubernetes). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`;
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const dns1123LabelRegexp = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRegexp = new RegExp(`^${dns1123SubdomainFmt}$`);
const qualifiedNameRegexp = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

/** `must be no more than N characters`. */
function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.RegexError: the message, examples and the regex used. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** Messages why `value` is not a DNS-1123 label; empty when it is one. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label (length was checked above) has dots.
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** Messages why `value` is not a DNS-1123 subdomain; empty when it is one. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

/**
 * Messages why `value` is not a qualified name (`name` or `prefix/name`, the prefix a DNS
 * subdomain, the name ≤ 63 alphanumerics, '-', '_', '.'): label keys, annotation keys, finalizers.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    errs.push(
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return errs;
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > LABEL_VALUE_MAX_LENGTH) errs.push(`name part ${maxLenError(LABEL_VALUE_MAX_LENGTH)}`);
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** Messages why `value` is not a label value (empty, or ≤ 63 alphanumerics, '-', '_', '.'). */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRegexp = new RegExp(`^${configMapKeyFmt}$`);

/** Messages why `value` is not a ConfigMap/Secret key (alphanumerics, '-', '_', '.', ≤ 253, not '.', '..' or '..'-prefixed). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRegexp.test(value)) errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/**
 * Messages why `value` cannot be one segment of a URL path (path.IsValidPathSegmentName):
 * not `.` or `..`, no `/` or `%`. With `prefix` (a generateName) only the characters count.
 */
export function isValidPathSegmentName(value: string, prefix = false): string[] {
  if (!prefix && (value === '.' || value === '..')) return [`may not be '${value}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** Which rule an object name follows: a DNS label, a DNS subdomain, or any path segment (RBAC kinds). */
export type NameRule = 'subdomain' | 'label' | 'path-segment';

/** Kinds whose names must be DNS-1123 labels: they become one DNS label (`<svc>.<ns>.svc...`). */
const LABEL_NAMED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'Service']);

/** RBAC kinds, named like `system:basic-user` (ValidateRBACName accepts any path segment). */
const PATH_SEGMENT_NAMED_KINDS: ReadonlySet<string> = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The name rule of a kind: Namespace and Service names are DNS labels, RBAC names path segments, the others subdomains. */
export function nameRuleFor(kind: string): NameRule {
  if (LABEL_NAMED_KINDS.has(kind)) return 'label';
  return PATH_SEGMENT_NAMED_KINDS.has(kind) ? 'path-segment' : 'subdomain';
}

/**
 * Messages why `name` is not a valid object name under `rule`. With `prefix` (a generateName)
 * the trailing '-' is masked exactly as Kubernetes' maskTrailingDash does.
 */
export function validateName(name: string, rule: NameRule, prefix = false): string[] {
  if (rule === 'path-segment') return isValidPathSegmentName(name, prefix);
  const value = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  return rule === 'label' ? isDNS1123Label(value) : isDNS1123Subdomain(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Causes of a label map (`metadata.labels`, `spec.selector.matchLabels`): qualified keys, valid values. */
export function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isPlainObject(labels)) return [fieldInvalid(field, labels, 'must be a map of string keys to string values')];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const msg of isQualifiedName(key)) causes.push(fieldInvalid(field, key, msg));
    if (typeof value !== 'string') {
      causes.push(fieldInvalid(indexPath(field, key), value, 'must be a string'));
      continue;
    }
    for (const msg of isValidLabelValue(value)) causes.push(fieldInvalid(field, value, msg));
  }
  return causes;
}

/** Causes of an annotation map: qualified keys (case-insensitive), string values, total size ≤ 256 KiB. */
export function validateAnnotations(annotations: unknown, field: string): StatusCause[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isPlainObject(annotations)) return [fieldInvalid(field, annotations, 'must be a map of string keys to string values')];
  const causes: StatusCause[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(key.toLowerCase())) causes.push(fieldInvalid(field, key, msg));
    if (typeof value !== 'string') {
      causes.push(fieldInvalid(indexPath(field, key), value, 'must be a string'));
      continue;
    }
    total += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) causes.push(fieldTooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return causes;
}

function validateOwnerReferences(refs: unknown, field: string): StatusCause[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [fieldInvalid(field, refs, 'must be a list of owner references')];
  const causes: StatusCause[] = [];
  let controllers = 0;
  refs.forEach((ref: unknown, i) => {
    const at = indexPath(field, i);
    if (!isPlainObject(ref)) {
      causes.push(fieldInvalid(at, ref, 'must be an object'));
      return;
    }
    for (const key of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      const v = ref[key];
      if (v === undefined || v === '') causes.push(fieldRequired(childPath(at, key), ''));
      else if (typeof v !== 'string') causes.push(fieldInvalid(childPath(at, key), v, 'must be a string'));
    }
    if (ref['controller'] === true) controllers++;
  });
  if (controllers > 1) causes.push(fieldInvalid(field, refs, 'Only one reference can have Controller set to true'));
  return causes;
}

function validateFinalizers(finalizers: unknown, field: string): StatusCause[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [fieldInvalid(field, finalizers, 'must be a list of strings')];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  finalizers.forEach((f: unknown, i) => {
    if (typeof f !== 'string') {
      causes.push(fieldInvalid(indexPath(field, i), f, 'must be a string'));
      return;
    }
    for (const msg of isQualifiedName(f)) causes.push(fieldInvalid(field, f, msg));
    if (seen.has(f)) causes.push(fieldDuplicate(indexPath(field, i), f));
    seen.add(f);
  });
  return causes;
}

/**
 * Causes of an object's `metadata`: a name (unless generateName is set) valid under
 * `nameRule`, a namespace exactly when `namespaced` (itself a DNS label), valid labels,
 * annotations, finalizers and owner references. Empty when valid.
 */
export function validateObjectMeta(meta: unknown, namespaced: boolean, nameRule: NameRule = 'subdomain'): StatusCause[] {
  if (meta === undefined || meta === null) return [fieldRequired('metadata', '')];
  if (!isPlainObject(meta)) return [fieldInvalid('metadata', meta, 'must be an object')];
  const causes: StatusCause[] = [];
  const { name, generateName, namespace } = meta;

  if (generateName !== undefined && generateName !== '') {
    if (typeof generateName !== 'string') causes.push(fieldInvalid('metadata.generateName', generateName, 'must be a string'));
    else for (const msg of validateName(generateName, nameRule, true)) causes.push(fieldInvalid('metadata.generateName', generateName, msg));
  }
  if (name === undefined || name === '') {
    if (generateName === undefined || generateName === '') causes.push(fieldRequired('metadata.name', 'name or generateName is required'));
  } else if (typeof name !== 'string') {
    causes.push(fieldInvalid('metadata.name', name, 'must be a string'));
  } else {
    for (const msg of validateName(name, nameRule)) causes.push(fieldInvalid('metadata.name', name, msg));
  }

  const hasNamespace = namespace !== undefined && namespace !== null && namespace !== '';
  if (namespaced) {
    if (!hasNamespace) causes.push(fieldRequired('metadata.namespace', ''));
    else if (typeof namespace !== 'string') causes.push(fieldInvalid('metadata.namespace', namespace, 'must be a string'));
    else for (const msg of isDNS1123Label(namespace)) causes.push(fieldInvalid('metadata.namespace', namespace, msg));
  } else if (hasNamespace) {
    causes.push(fieldForbidden('metadata.namespace', 'not allowed on this type'));
  }

  const generation = meta['generation'];
  if (generation !== undefined && (typeof generation !== 'number' || !Number.isInteger(generation) || generation < 0)) {
    causes.push(fieldInvalid('metadata.generation', generation, 'must be a non-negative integer'));
  }
  causes.push(...validateLabels(meta['labels'], 'metadata.labels'));
  causes.push(...validateAnnotations(meta['annotations'], 'metadata.annotations'));
  causes.push(...validateFinalizers(meta['finalizers'], 'metadata.finalizers'));
  causes.push(...validateOwnerReferences(meta['ownerReferences'], 'metadata.ownerReferences'));
  return causes;
}
