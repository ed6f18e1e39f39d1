/**
 * The generic registry of the API server (after k8s.io/apiserver's
 * `registry/generic/registry.Store`): get, list, create, update, patch, delete and
 * deletecollection of any served resource over the `Store`, with optimistic concurrency,
 * finalizers, dry runs and the namespace lifecycle rule. HTTP-free: handlers call it.
 */
import {
  alreadyExists,
  badRequest,
  conflict,
  deepCopy,
  expired,
  invalid,
  isAlreadyExists,
  isConflict,
  isExpired,
  isNotFound,
  namespacePrefix,
  notFound,
  resourcePrefix,
  storeKey,
  StatusError,
  StatusReason,
  validateObject,
  validateObjectUpdate,
  apiVersionOf,
  apiSchemaFor,
  managedFieldsOnCreate,
  managedFieldsOnUpdate,
  strictDecodingError,
  unknownFields,
  type FieldManagerContext,
  type FieldValidation,
  type KubeList,
  type KubeObject,
  type ResourceInfo,
  type ResourceRegistry,
  type StatusCause,
} from '../apimachinery/index.js';
import type { KV, Store } from '../store/index.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { decodeObject, encodeObject, parseResourceVersion } from './object-codec.js';
import {
  formatTimestamp,
  hasPendingFinalizers,
  isTerminating,
  markDeleting,
  prepareForCreate,
  prepareForUpdate,
  sameStoredObject,
  validateUpdate,
  type WriteTarget,
} from './object-strategy.js';

/** The message kube-apiserver sends with a stale resourceVersion. */
export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** kube-apiserver's wording when a continue token's revision was compacted away. */
export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/**
 * Attempts of a write whose compare-and-swap another writer won, when the client gave no
 * resourceVersion. Every lost attempt means someone else's write landed, so the system
 * progresses; the bound only stops a pathological loop (kube-apiserver retries without one).
 */
const MAX_WRITE_ATTEMPTS = 100;
/** Suffixes tried for a `generateName` before giving up with AlreadyExists. */
const MAX_GENERATE_ATTEMPTS = 8;

/** Characters of a `generateName` suffix, as Kubernetes picks them (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const NAME_SUFFIX_LENGTH = 5;

/** Dependencies of a RestStorage. */
export interface RestStorageOptions {
  store: Store;
  registry: ResourceRegistry;
  now: () => Date;
  newUid: () => string;
  /** Random integer in [0, n): the `generateName` suffix. */
  random?: (n: number) => number;
}

/** A list request after parsing. */
export interface ListQuery {
  /** Keeps an object (label and field selectors); absent: every object. */
  filter?: (obj: KubeObject) => boolean;
  limit?: number;
  continueToken?: string;
  /** Read at exactly this revision (`resourceVersionMatch=Exact`). */
  revision?: number;
}

/** Options of create, update and patch. */
export interface WriteOptions {
  dryRun: boolean;
  /**
   * The field manager of the write, recorded in `metadata.managedFields`. Absent (the
   * server's own writes): the stored managedFields stay as they are.
   */
  fieldManager?: string;
  /** The object was computed by server-side apply, managedFields included: store them as they are. */
  serverSideApply?: boolean;
  /** Fields the schema does not declare: refused (Strict), reported in `warnings` (Warn, the default) or kept silently (Ignore). */
  fieldValidation?: FieldValidation;
  /** Collects warnings for the client (the `Warning` header). */
  warnings?: Set<string>;
}

/** Options of delete (metav1.DeleteOptions, the parts fedgate honours). */
export interface DeleteOptions {
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** A namespaced object's location; `namespace` is undefined for cluster-scoped resources. */
export interface ObjectRef {
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
}

function subject(r: ResourceInfo, name?: string): { group?: string; resource: string; name?: string } {
  return { group: r.group === '' ? undefined : r.group, resource: r.plural, name };
}

function stamp(obj: KubeObject, revision: number): KubeObject {
  const out = deepCopy(obj);
  out.metadata.resourceVersion = String(revision);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Generic storage of every served resource over one Store. */
export class RestStorage {
  private readonly store: Store;
  private readonly registry: ResourceRegistry;
  private readonly now: () => Date;
  private readonly newUid: () => string;
  private readonly random: (n: number) => number;

  constructor(opts: RestStorageOptions) {
    this.store = opts.store;
    this.registry = opts.registry;
    this.now = opts.now;
    this.newUid = opts.newUid;
    this.random = opts.random ?? ((n) => Math.floor(Math.random() * n));
  }

  /** The object, or 404 NotFound. */
  async get(ref: ObjectRef): Promise<KubeObject> {
    const kv = await this.store.get(storeKey(ref.resource, ref.namespace, ref.name));
    if (!kv) throw notFound(subject(ref.resource, ref.name));
    return decodeObject(kv);
  }

  /**
   * One page of a collection (all namespaces when `namespace` is undefined). Pages after
   * the first read at the first page's revision; with a filter a page may hold fewer than
   * `limit` items even when more follow, as with kube-apiserver.
   */
  async list(r: ResourceInfo, namespace: string | undefined, q: ListQuery): Promise<KubeList> {
    const prefix = r.namespaced && namespace !== undefined ? namespacePrefix(r, namespace) : resourcePrefix(r);
    let revision = q.revision ?? 0;
    let cursor: string | undefined;
    if (q.continueToken) {
      const pos = decodeContinue(q.continueToken, prefix);
      revision = pos.rev;
      cursor = pos.key;
    }
    const limit = q.limit ?? 0;
    const items: KubeObject[] = [];
    let nextKey: string | undefined;
    let remaining: number | undefined;
    for (;;) {
      const need = limit > 0 ? limit - items.length : 0;
      let page;
      try {
        page = await this.store.list(prefix, {
          limit: need,
          ...(cursor !== undefined ? { continueKey: cursor } : {}),
          ...(revision > 0 ? { revision } : {}),
        });
      } catch (err) {
        if (isExpired(err) && q.continueToken) throw expired(CONTINUE_EXPIRED);
        throw err;
      }
      revision = page.revision;
      for (const kv of page.items) {
        const obj = decodeObject(kv);
        if (!q.filter || q.filter(obj)) items.push(obj);
      }
      nextKey = page.nextKey;
      remaining = page.remaining;
      if (limit === 0 || nextKey === undefined || items.length >= limit) break;
      cursor = nextKey;
    }
    const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
    if (limit > 0 && nextKey !== undefined) {
      metadata.continue = encodeContinue({ rev: revision, key: nextKey });
      // Counting the rest is only right without a filter, so kube-apiserver omits it then too.
      if (!q.filter && remaining !== undefined) metadata.remainingItemCount = remaining;
    }
    return { apiVersion: apiVersionOf(r), kind: r.listKind, metadata, items };
  }

  /**
   * Checks a request body against the URL and fills what the URL implies: apiVersion and
   * kind (when absent), namespace and (for writes to a named path) name.
   */
  checkBody(r: ResourceInfo, namespace: string | undefined, name: string | undefined, body: unknown): KubeObject {
    if (!isObject(body)) throw badRequest('the body of the request was not a JSON object');
    const obj = deepCopy(body) as KubeObject;
    const expectedVersion = apiVersionOf(r);
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = expectedVersion;
    else if (obj.apiVersion !== expectedVersion) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedVersion})`);
    }
    if (obj.kind === undefined || obj.kind === '') obj.kind = r.kind;
    else if (obj.kind !== r.kind) {
      throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${r.kind})`);
    }
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (!isObject(obj.metadata)) throw badRequest('metadata must be an object');
    const meta = obj.metadata;
    if (r.namespaced) {
      if (meta.namespace === undefined || meta.namespace === '') {
        if (namespace !== undefined) meta.namespace = namespace;
      } else if (namespace !== undefined && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
    } else {
      delete meta.namespace;
    }
    if (name !== undefined) {
      if (meta.name === undefined || meta.name === '') meta.name = name;
      else if (meta.name !== name) {
        throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
      }
    }
    // Kubernetes writes apiVersion and kind first; keep that order for readers of raw JSON.
    const { apiVersion, kind, metadata, ...rest } = obj;
    return { apiVersion, kind, metadata, ...rest };
  }

  /** 404 when the namespace is missing, 403 Forbidden while it terminates. */
  private async admitNamespace(r: ResourceInfo, namespace: string | undefined, name: string): Promise<void> {
    if (!r.namespaced) return;
    if (namespace === undefined || namespace === '') throw badRequest('the namespace of the object is required');
    const namespaces = this.namespaces();
    const kv = await this.store.get(storeKey(namespaces, undefined, namespace));
    if (!kv) throw notFound(subject(namespaces, namespace));
    const ns = decodeObject(kv);
    const phase = isObject(ns.status) ? ns.status['phase'] : undefined;
    if (isTerminating(ns) || phase === 'Terminating') {
      const s = subject(r, name);
      throw new StatusError(
        StatusReason.Forbidden,
        `${s.group ? `${s.resource}.${s.group}` : s.resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, group: s.group, kind: r.plural },
      );
    }
  }

  private namespaces(): ResourceInfo {
    const r = this.registry.byResource('', 'v1', 'namespaces');
    if (!r) throw new Error('namespaces are not registered');
    return r;
  }

  private generatedName(prefix: string): string {
    let suffix = '';
    for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) suffix += NAME_ALPHABET[this.random(NAME_ALPHABET.length)];
    return prefix + suffix;
  }

  private validate(r: ResourceInfo, obj: KubeObject, extra: StatusCause[] = []): void {
    const causes = [...extra, ...validateObject(r, obj)];
    if (!obj.metadata.name && !causes.some((c) => c.field === 'metadata.name')) {
      causes.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
    }
    if (causes.length > 0) throw invalid(r.kind, obj.metadata.name, causes, r.group === '' ? undefined : r.group);
  }

  /** Who writes: the managedFields context of a write to `r` (or its `/status`) by `manager`. */
  fieldManagerContext(r: ResourceInfo, manager: string, target: WriteTarget): FieldManagerContext {
    return {
      manager,
      apiVersion: apiVersionOf(r),
      time: formatTimestamp(this.now()),
      schema: apiSchemaFor(r),
      hasStatus: r.hasStatus,
      ...(target === 'status' ? { subresource: 'status' as const } : {}),
    };
  }

  /** Strict field validation of a written object (see WriteOptions.fieldValidation). */
  checkFields(r: ResourceInfo, obj: KubeObject, opts: WriteOptions): void {
    const mode = opts.fieldValidation ?? 'Ignore';
    if (mode === 'Ignore') return;
    const unknown = unknownFields(obj, apiSchemaFor(r));
    if (unknown.length === 0) return;
    if (mode === 'Strict') throw strictDecodingError(r.kind, r.version, unknown);
    for (const f of unknown) opts.warnings?.add(`unknown field ${JSON.stringify(f)}`);
  }

  /** POST: 201 with the stored object; AlreadyExists when the name is taken. */
  async create(r: ResourceInfo, namespace: string | undefined, body: unknown, opts: WriteOptions): Promise<KubeObject> {
    const obj = this.checkBody(r, namespace, undefined, body);
    if (!opts.serverSideApply) this.checkFields(r, obj, opts);
    const generate = !obj.metadata.name && typeof obj.metadata.generateName === 'string' && obj.metadata.generateName !== '';
    for (let attempt = 1; ; attempt++) {
      if (generate) obj.metadata.name = this.generatedName(obj.metadata.generateName!);
      const prepared = prepareForCreate(r, obj, { now: this.now(), uid: this.newUid() });
      if (opts.fieldManager !== undefined && !opts.serverSideApply) {
        prepared.metadata.managedFields = managedFieldsOnCreate(prepared, this.fieldManagerContext(r, opts.fieldManager, undefined));
      }
      if (prepared.metadata.managedFields?.length === 0) delete prepared.metadata.managedFields;
      this.validate(r, prepared);
      const name = prepared.metadata.name!;
      await this.admitNamespace(r, prepared.metadata.namespace, name);
      if (opts.dryRun) {
        const existing = await this.store.get(storeKey(r, prepared.metadata.namespace, name));
        if (existing) throw alreadyExists(subject(r, name));
        return prepared;
      }
      try {
        const rev = await this.store.create(storeKey(r, prepared.metadata.namespace, name), encodeObject(prepared));
        return stamp(prepared, rev);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // A generated name may collide; Kubernetes retries a few suffixes before giving up.
        if (!generate || attempt >= MAX_GENERATE_ATTEMPTS) throw alreadyExists(subject(r, name));
      }
    }
  }

  /** PUT on the object, `/status` or a namespace's `/finalize`. */
  async update(ref: ObjectRef, body: unknown, target: WriteTarget, opts: WriteOptions): Promise<KubeObject> {
    const next = this.checkBody(ref.resource, ref.namespace, ref.name, body);
    this.checkFields(ref.resource, next, opts);
    const wanted = parseResourceVersion(next.metadata.resourceVersion);
    if (Number.isNaN(wanted)) throw badRequest(`invalid resourceVersion ${JSON.stringify(next.metadata.resourceVersion)}`);
    return this.guaranteedUpdate(ref, wanted !== undefined, (current) => {
      if (wanted !== undefined && String(wanted) !== current.metadata.resourceVersion) {
        throw conflict(subject(ref.resource, ref.name), OBJECT_MODIFIED);
      }
      return next;
    }, target, opts);
  }

  /**
   * PATCH: `apply` turns the current object into the desired one. A resourceVersion the
   * patch sets is a precondition; otherwise a lost compare-and-swap re-applies the patch.
   */
  async patch(ref: ObjectRef, apply: (current: KubeObject) => unknown, target: WriteTarget, opts: WriteOptions): Promise<KubeObject> {
    // A pinned version that lost a race fails the resourceVersion check on the re-read: 409 then.
    return this.guaranteedUpdate(ref, false, (current) => {
      const next = this.checkBody(ref.resource, ref.namespace, ref.name, apply(deepCopy(current)));
      if (!opts.serverSideApply) this.checkFields(ref.resource, next, opts);
      const rv = next.metadata.resourceVersion;
      if (rv !== undefined && rv !== current.metadata.resourceVersion) {
        throw conflict(subject(ref.resource, ref.name), OBJECT_MODIFIED);
      }
      return next;
    }, target, opts);
  }

  /**
   * Reads, computes the new object and compare-and-swaps it in, retrying a lost race
   * unless the client pinned a resourceVersion (then the loss is its 409).
   */
  private async guaranteedUpdate(
    ref: ObjectRef,
    pinned: boolean,
    desired: (current: KubeObject) => KubeObject,
    target: WriteTarget,
    opts: WriteOptions,
  ): Promise<KubeObject> {
    const r = ref.resource;
    const key = storeKey(r, ref.namespace, ref.name);
    for (let attempt = 1; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(subject(r, ref.name));
      const current = decodeObject(kv);
      const next = desired(current);
      if (next.metadata.uid && next.metadata.uid !== current.metadata.uid) {
        throw conflict(
          subject(r, ref.name),
          `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
        );
      }
      try {
        return await this.writeUpdate(r, key, kv, current, next, target, opts);
      } catch (err) {
        if (!isConflict(err) || pinned || attempt >= MAX_WRITE_ATTEMPTS) {
          if (isConflict(err)) throw conflict(subject(r, ref.name), OBJECT_MODIFIED);
          if (isNotFound(err)) throw notFound(subject(r, ref.name));
          throw err;
        }
      }
    }
  }

  private async writeUpdate(
    r: ResourceInfo,
    key: string,
    kv: KV,
    current: KubeObject,
    next: KubeObject,
    target: WriteTarget,
    opts: WriteOptions,
  ): Promise<KubeObject> {
    const prepared = prepareForUpdate(r, current, next, target);
    this.recordManagedFields(r, current, prepared, target, opts);
    // What may never change after creation (a binding's roleRef) is checked against the stored object.
    this.validate(r, prepared, [...validateUpdate(current, prepared), ...validateObjectUpdate(r, current, prepared)]);
    if (isTerminating(prepared) && !hasPendingFinalizers(r, prepared)) {
      // The last finalizer is gone: the deletion that was asked for happens now.
      if (opts.dryRun) return stamp(prepared, kv.modRevision);
      const rev = await this.store.delete(key, kv.modRevision);
      return stamp(prepared, rev);
    }
    if (sameStoredObject(prepared, current)) return current;
    if (opts.dryRun) return stamp(prepared, kv.modRevision);
    const rev = await this.store.update(key, encodeObject(prepared), kv.modRevision);
    return stamp(prepared, rev);
  }

  /**
   * Sets `prepared.metadata.managedFields`: computed from the write for a field manager, as
   * server-side apply computed them, or (the server's own writes) the stored ones unchanged.
   */
  private recordManagedFields(r: ResourceInfo, current: KubeObject, prepared: KubeObject, target: WriteTarget, opts: WriteOptions): void {
    let entries = current.metadata.managedFields;
    if (opts.serverSideApply) entries = prepared.metadata.managedFields;
    else if (opts.fieldManager !== undefined && target !== 'finalize') {
      entries = managedFieldsOnUpdate(current, prepared, this.fieldManagerContext(r, opts.fieldManager, target));
    }
    if (entries && entries.length > 0) prepared.metadata.managedFields = entries;
    else delete prepared.metadata.managedFields;
  }

  /**
   * DELETE: without pending finalizers the object goes and is returned with the delete's
   * revision; with them it gets `deletionTimestamp` and stays until the last one is removed.
   */
  async delete(ref: ObjectRef, opts: DeleteOptions): Promise<KubeObject> {
    const r = ref.resource;
    const key = storeKey(r, ref.namespace, ref.name);
    const pre = opts.preconditions ?? {};
    for (let attempt = 1; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(subject(r, ref.name));
      const current = decodeObject(kv);
      if (pre.uid !== undefined && pre.uid !== current.metadata.uid) {
        throw conflict(
          subject(r, ref.name),
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
        );
      }
      if (pre.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(
          subject(r, ref.name),
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
        );
      }
      try {
        if (hasPendingFinalizers(r, current)) {
          if (isTerminating(current)) return current;
          const marked = markDeleting(r, current, this.now());
          if (opts.dryRun) return stamp(marked, kv.modRevision);
          const rev = await this.store.update(key, encodeObject(marked), kv.modRevision);
          return stamp(marked, rev);
        }
        if (opts.dryRun) return current;
        const rev = await this.store.delete(key, kv.modRevision);
        return stamp(current, rev);
      } catch (err) {
        if (isNotFound(err)) throw notFound(subject(r, ref.name));
        if (!isConflict(err)) throw err;
        if (pre.resourceVersion !== undefined || attempt >= MAX_WRITE_ATTEMPTS) throw conflict(subject(r, ref.name), OBJECT_MODIFIED);
      }
    }
  }

  /** DELETE on a collection: deletes every object the filter keeps; returns them as a list. */
  async deleteCollection(r: ResourceInfo, namespace: string | undefined, q: ListQuery, opts: DeleteOptions): Promise<KubeList> {
    const list = await this.list(r, namespace, { ...(q.filter ? { filter: q.filter } : {}) });
    const deleted: KubeObject[] = [];
    for (const item of list.items) {
      try {
        deleted.push(
          await this.delete({ resource: r, namespace: item.metadata.namespace, name: item.metadata.name ?? '' }, { dryRun: opts.dryRun }),
        );
      } catch (err) {
        // Deleted by someone else meanwhile: that is the outcome asked for.
        if (!isNotFound(err)) throw err;
      }
    }
    return { ...list, items: deleted };
  }
}
