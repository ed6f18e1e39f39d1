/**
 * OverridePolicies: which ones apply to a template in a cluster, and what each overrider
 * does (Karmada's `pkg/util/overridemanager`). Within a rule the overriders run in
 * Karmada's order — image, command, args, labels, annotations, then plaintext JSON patches.
 * Every function returns a new object; inputs are never mutated.
 */
import {
  StatusError,
  StatusReason,
  applyJsonPatch,
  type KubeObject,
  type OverridePolicy,
  type OverrideRule,
} from '../../apimachinery/index.js';
import { clusterAffinityMatches, selectorMatches, type ClusterView } from '../placement/index.js';
import { formatImageReference, parseImageReference, type ImageReference } from './image-reference.js';
import { containersOf, podSpecOf, podSpecPointer } from './pod-template.js';

type JsonObject = Record<string, unknown>;
type Overriders = OverrideRule['overriders'];

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The id of rule `index` of `policy` in reports: `policy/rule#index`. */
export function overrideRuleId(policy: OverridePolicy, index: number): string {
  return `${policy.metadata.name ?? ''}/rule#${index}`;
}

/**
 * The OverridePolicies that apply to `template`, by name: same namespace, not being
 * deleted, and selecting it (no resourceSelectors selects every template of the namespace).
 */
export function overridePoliciesFor(template: KubeObject, policies: readonly OverridePolicy[]): OverridePolicy[] {
  return policies
    .filter((p) => !p.metadata.deletionTimestamp)
    .filter((p) => (p.metadata.namespace ?? '') === (template.metadata.namespace ?? ''))
    .filter((p) => {
      const selectors = p.spec?.resourceSelectors ?? [];
      return selectors.length === 0 || selectors.some((s) => selectorMatches(s, template));
    })
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
}

/** The rules of `policies` that target `cluster`, with their ids, in order. */
export function rulesFor(policies: readonly OverridePolicy[], cluster: ClusterView): { id: string; rule: OverrideRule }[] {
  const out: { id: string; rule: OverrideRule }[] = [];
  for (const policy of policies) {
    (policy.spec?.overrideRules ?? []).forEach((rule, i) => {
      if (clusterAffinityMatches(rule.targetCluster, cluster)) out.push({ id: overrideRuleId(policy, i), rule });
    });
  }
  return out;
}

function failure(id: string, why: string, cause?: unknown): StatusError {
  return new StatusError(StatusReason.Invalid, `override ${id} cannot be applied: ${why}`, {}, { cause });
}

/** Reads a JSON pointer (RFC 6901) or undefined when a step is missing. */
function readPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let at: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at)) at = at[Number(key)];
    else if (isObject(at) && Object.hasOwn(at, key)) at = at[key];
    else return undefined;
  }
  return at;
}

function editImage(ref: ImageReference, o: NonNullable<Overriders['imageOverrider']>[number], id: string): ImageReference {
  const out = { ...ref };
  const value = o.value ?? '';
  switch (o.component) {
    case 'Registry':
      if (o.operator === 'remove') delete out.registry;
      else if (o.operator === 'add') out.registry = `${out.registry ?? ''}${value}`;
      else out.registry = value;
      if (out.registry === '') delete out.registry;
      return out;
    case 'Repository':
      if (o.operator === 'remove') throw failure(id, 'the repository of an image cannot be removed');
      out.repository = o.operator === 'add' ? `${out.repository}${value}` : value;
      if (out.repository === '') throw failure(id, 'the repository of an image cannot be empty');
      return out;
    case 'Tag':
      delete out.tag;
      delete out.digest;
      if (o.operator === 'remove') return out;
      // A value like sha256:… pins a digest; anything else is a tag.
      if (/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(value)) out.digest = value;
      else if (value !== '') out.tag = value;
      return out;
    default:
      throw failure(id, `unknown image component ${JSON.stringify((o as { component: unknown }).component)}`);
  }
}

function overrideImages(obj: KubeObject, overriders: NonNullable<Overriders['imageOverrider']>, id: string): KubeObject {
  const ops: { op: 'replace'; path: string; value: string }[] = [];
  const current = new Map<string, string>();
  for (const o of overriders) {
    let pointers: string[];
    if (o.predicate?.path) {
      pointers = [o.predicate.path];
    } else {
      const spec = podSpecOf(obj);
      const base = podSpecPointer(obj.kind);
      pointers = spec && base ? containersOf(spec, base).map((c) => `${c.pointer}/image`) : [];
    }
    for (const pointer of pointers) {
      const image = current.get(pointer) ?? readPointer(obj, pointer);
      if (typeof image !== 'string') throw failure(id, `${pointer} is not an image`);
      let ref: ImageReference;
      try {
        ref = parseImageReference(image);
      } catch (err) {
        throw failure(id, (err as Error).message, err);
      }
      current.set(pointer, formatImageReference(editImage(ref, o, id)));
    }
  }
  for (const [path, value] of current) ops.push({ op: 'replace', path, value });
  return ops.length === 0 ? obj : (applyJsonPatch(obj, ops) as KubeObject);
}

/** add appends the values; remove drops every occurrence of them. Containers not named are left alone (Karmada does the same). */
function overrideArgs(obj: KubeObject, field: 'args' | 'command', overriders: NonNullable<Overriders['argsOverrider']>, id: string): KubeObject {
  const out = structuredClone(obj);
  const spec = podSpecOf(out);
  if (!spec) return out;
  for (const o of overriders) {
    if (!Array.isArray(o.value ?? []) || (o.value ?? []).some((v) => typeof v !== 'string')) throw failure(id, `${field} values must be strings`);
    for (const { container } of containersOf(spec, '')) {
      if (container['name'] !== o.containerName) continue;
      const existing = container[field];
      if (existing !== undefined && !Array.isArray(existing)) throw failure(id, `${field} of container ${o.containerName} is not a list`);
      const list = [...((existing as string[] | undefined) ?? [])];
      if (o.operator === 'add') container[field] = [...list, ...(o.value ?? [])];
      else if (o.operator === 'remove') container[field] = list.filter((v) => !(o.value ?? []).includes(v));
      else throw failure(id, `unknown operator ${JSON.stringify(o.operator)}`);
    }
  }
  return out;
}

/** add sets keys, replace changes only keys present, remove deletes keys (Karmada's semantics). */
function overrideMap(obj: KubeObject, field: 'labels' | 'annotations', overriders: NonNullable<Overriders['labelsOverrider']>, id: string): KubeObject {
  const out = structuredClone(obj);
  const map: Record<string, string> = { ...(out.metadata[field] ?? {}) };
  for (const o of overriders) {
    for (const [k, v] of Object.entries(o.value ?? {})) {
      if (typeof v !== 'string') throw failure(id, `${field} values must be strings (${k})`);
      if (o.operator === 'add') map[k] = v;
      else if (o.operator === 'replace') {
        if (Object.hasOwn(map, k)) map[k] = v;
      } else if (o.operator === 'remove') delete map[k];
      else throw failure(id, `unknown operator ${JSON.stringify(o.operator)}`);
    }
  }
  out.metadata[field] = map;
  return out;
}

function overridePlaintext(obj: KubeObject, overriders: NonNullable<Overriders['plaintext']>, id: string): KubeObject {
  const ops = overriders.map((o) => (o.operator === 'remove' ? { op: o.operator, path: o.path } : { op: o.operator, path: o.path, value: o.value }));
  try {
    return applyJsonPatch(obj, ops) as KubeObject;
  } catch (err) {
    throw failure(id, (err as Error).message, err);
  }
}

/** Applies one rule to `obj` and returns the result; a rule that cannot apply is Invalid, naming it. */
export function applyOverrideRule(obj: KubeObject, rule: OverrideRule, id: string): KubeObject {
  const o = rule.overriders ?? {};
  let out = obj;
  if (o.imageOverrider?.length) out = overrideImages(out, o.imageOverrider, id);
  if (o.commandOverrider?.length) out = overrideArgs(out, 'command', o.commandOverrider, id);
  if (o.argsOverrider?.length) out = overrideArgs(out, 'args', o.argsOverrider, id);
  if (o.labelsOverrider?.length) out = overrideMap(out, 'labels', o.labelsOverrider, id);
  if (o.annotationsOverrider?.length) out = overrideMap(out, 'annotations', o.annotationsOverrider, id);
  if (o.plaintext?.length) out = overridePlaintext(out, o.plaintext, id);
  return out;
}
