/**
 * Applies the gateway's work to the member's store: `Apply` creates or updates one object,
 * `Delete` removes (or, orphaning, releases) one, and `SyncStart`/`SyncEnd` bracket a full
 * resync after which every managed object not applied in between is pruned.
 *
 * Invariants:
 * - Objects without the managed mark are never changed, unless an Apply says `overwrite`
 *   (conflictResolution: Overwrite); they are never pruned.
 * - Every write is compare-and-swap on the stored revision and writes nothing when the
 *   result equals what is stored, so the same Apply twice leaves the store's revision alone.
 * - Pruning happens only at a `SyncEnd` whose epoch matches the open `SyncStart`: a resync
 *   that breaks off or ends with another epoch prunes nothing, because an incomplete set of
 *   Applies says nothing about what should go.
 * - The caller runs one message at a time, in stream order.
 */
import {
  asStatusError,
  isAlreadyExists,
  namespacePrefix,
  resourcePrefix,
  StatusError,
  StatusReason,
  storeKey,
  validateObject,
  invalid,
  type KubeObject,
  type ResourceInfo,
  type ResourceRegistry,
} from '../../apimachinery/index.js';
import type { Clock, Logger } from '../../controller/index.js';
import type { fedgate } from '../../proto/index.js';
import type { Store } from '../../store/index.js';
import { ObjectWriter } from '../controllers/object-writer.js';
import { desiredObject, isDerivedKind, isManaged, isOwnManaged, mergeIntoStored, objectForCreate, releaseObject } from './managed-object.js';

/** Rounds of create-or-update when the object keeps appearing and vanishing underneath. */
const CREATE_OR_UPDATE_ATTEMPTS = 10;

/** An Ack as the member sends it. */
export type AckMessage = fedgate.v1.Ack.$Properties;
/** An object reference on the wire. */
export type ObjectRef = fedgate.v1.ObjectRef.$Properties;

/** Options of an Applier. */
export interface ApplierOptions {
  store: Store;
  registry: ResourceRegistry;
  clock: Clock;
  logger: Logger;
  /** Told about every resource an object was applied to (the status reporter watches it). */
  onApplied?: (resource: ResourceInfo) => void;
}

/** What one prune pass did. */
export interface PruneResult {
  /** References of the objects deleted (or marked for deletion, when finalizers remain). */
  deleted: ObjectRef[];
}

/** Identity of an object in the applied set of a resync. */
function refKey(r: Pick<ResourceInfo, 'group' | 'plural'>, namespace: string | undefined, name: string): string {
  return `${r.group}/${r.plural}/${namespace ?? ''}/${name}`;
}

function refOf(r: ResourceInfo, namespace: string | undefined, name: string): ObjectRef {
  return { apiVersion: r.group === '' ? r.version : `${r.group}/${r.version}`, kind: r.kind, namespace: namespace ?? '', name };
}

function qualifiedResource(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function failure(reason: StatusError['reason'], message: string): StatusError {
  return new StatusError(reason, message);
}

/** A resync in progress: its epoch and every object applied since its SyncStart. */
interface Resync {
  epoch: number;
  applied: Set<string>;
}

/** Applies Apply/Delete/SyncStart/SyncEnd to the member's store; see the module doc. */
export class Applier {
  private readonly writer: ObjectWriter;
  private resync: Resync | undefined;
  private lastSeq = 0;

  constructor(private readonly options: ApplierOptions) {
    this.writer = new ObjectWriter(options.store, options.registry, options.clock);
  }

  /** The epoch of the resync in progress, if any. */
  get syncEpoch(): number | undefined {
    return this.resync?.epoch;
  }

  /** The sequence number of the last Apply or Delete handled. */
  get lastAppliedSeq(): number {
    return this.lastSeq;
  }

  /** A resync begins: from now on every applied object is remembered until its SyncEnd. */
  syncStart(epoch: number): void {
    if (this.resync) this.options.logger.warn({ open: this.resync.epoch, epoch }, 'resync restarted before its end; the earlier one prunes nothing');
    this.resync = { epoch, applied: new Set() };
  }

  /** The stream that carried the resync is gone: forget it, prune nothing. */
  abortSync(): void {
    this.resync = undefined;
  }

  /**
   * The resync is complete: prunes every managed object not applied since the matching
   * SyncStart. Undefined (and nothing pruned) when the epoch is not the open resync's.
   */
  async syncEnd(epoch: number): Promise<PruneResult | undefined> {
    const resync = this.resync;
    if (!resync || resync.epoch !== epoch) {
      this.options.logger.warn({ open: resync?.epoch, epoch }, 'SyncEnd without a matching SyncStart; nothing pruned');
      return undefined;
    }
    this.resync = undefined;
    return this.prune(resync.applied);
  }

  /** Creates or updates the object of an Apply; the Ack says how it went. */
  async apply(msg: fedgate.v1.Apply.$Properties): Promise<AckMessage> {
    const seq = msg.seq ?? 0;
    this.lastSeq = seq;
    let ref: ObjectRef = {};
    try {
      let rendered: KubeObject;
      try {
        rendered = JSON.parse(Buffer.from(msg.object ?? new Uint8Array()).toString('utf8')) as KubeObject;
      } catch (err) {
        throw failure(StatusReason.BadRequest, `the object is not valid JSON: ${(err as Error).message}`);
      }
      if (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered)) throw failure(StatusReason.BadRequest, 'the object must be a JSON object');
      const meta = typeof rendered.metadata === 'object' && rendered.metadata !== null ? rendered.metadata : {};
      ref = { apiVersion: String(rendered.apiVersion ?? ''), kind: String(rendered.kind ?? ''), namespace: meta.namespace ?? '', name: meta.name ?? '' };
      const r = this.options.registry.byKind(ref.apiVersion ?? '', ref.kind ?? '');
      if (!r) throw failure(StatusReason.NotFound, `the member serves no kind ${ref.kind} in ${ref.apiVersion}`);
      const namespace = r.namespaced ? meta.namespace : undefined;
      const name = meta.name ?? '';
      // Remembered before anything can fail: an object the gateway wants is never pruned
      // because this one Apply was refused.
      this.resync?.applied.add(refKey(r, namespace, name));

      const desired = desiredObject(rendered);
      const causes = validateObject(r, desired);
      if (causes.length > 0) throw invalid(r.kind, name, causes, r.group);
      const stored = await this.createOrUpdate(r, desired, msg.overwrite === true);
      this.options.onApplied?.(r);
      return { seq, ref, observedGeneration: stored.metadata.generation ?? 0, error: '', reason: '' };
    } catch (err) {
      return this.failedAck(seq, ref, err);
    }
  }

  /** Deletes (or, with `orphan`, releases) the managed object of a Delete; absent objects ack fine. */
  async delete(msg: fedgate.v1.Delete.$Properties): Promise<AckMessage> {
    const seq = msg.seq ?? 0;
    this.lastSeq = seq;
    const ref: ObjectRef = { apiVersion: msg.ref?.apiVersion ?? '', kind: msg.ref?.kind ?? '', namespace: msg.ref?.namespace ?? '', name: msg.ref?.name ?? '' };
    try {
      const r = this.options.registry.byKind(ref.apiVersion ?? '', ref.kind ?? '');
      if (!r) throw failure(StatusReason.NotFound, `the member serves no kind ${ref.kind} in ${ref.apiVersion}`);
      const namespace = r.namespaced ? ref.namespace || undefined : undefined;
      const name = ref.name ?? '';
      this.resync?.applied.delete(refKey(r, namespace, name));
      const kv = await this.options.store.get(storeKey(r, namespace, name));
      if (!kv) return { seq, ref, observedGeneration: 0, error: '', reason: '' };
      const current = JSON.parse(kv.value) as KubeObject;
      // Not ours (never taken over, or released before): nothing of fedgate's to delete.
      if (!isManaged(current)) return { seq, ref, observedGeneration: 0, error: '', reason: '' };
      if (msg.orphan) {
        const out = await this.writer.mutate<KubeObject>(r, namespace, name, (obj) => (isManaged(obj) ? releaseObject(obj) : false), { uid: current.metadata.uid });
        return { seq, ref, observedGeneration: out?.object.metadata.generation ?? 0, error: '', reason: '' };
      }
      await this.writer.delete(r, namespace, name, { uid: current.metadata.uid });
      return { seq, ref, observedGeneration: 0, error: '', reason: '' };
    } catch (err) {
      return this.failedAck(seq, ref, err);
    }
  }

  private failedAck(seq: number, ref: ObjectRef, err: unknown): AckMessage {
    const status = asStatusError(err);
    if (status.reason === StatusReason.InternalError) this.options.logger.error({ seq, ref, err }, 'apply failed');
    return { seq, ref, observedGeneration: 0, error: status.message, reason: status.reason };
  }

  /** The namespace of an applied object must exist: a missing one is created, marked managed. */
  private async ensureNamespace(namespace: string): Promise<void> {
    const r = this.options.registry.byKind('v1', 'Namespace');
    if (!r) return;
    const kv = await this.options.store.get(storeKey(r, undefined, namespace));
    if (kv) {
      const ns = JSON.parse(kv.value) as KubeObject;
      if (ns.metadata.deletionTimestamp) {
        throw failure(StatusReason.Forbidden, `unable to create new content in namespace ${namespace} because it is being terminated`);
      }
      return;
    }
    const desired = desiredObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    try {
      await this.writer.create(objectForCreate(r, desired));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  /** Create, or merge into the stored object with CAS; the stored result. */
  private async createOrUpdate(r: ResourceInfo, desired: KubeObject, overwrite: boolean): Promise<KubeObject> {
    const namespace = r.namespaced ? desired.metadata.namespace : undefined;
    const name = desired.metadata.name ?? '';
    for (let attempt = 0; attempt < CREATE_OR_UPDATE_ATTEMPTS; attempt++) {
      const kv = await this.options.store.get(storeKey(r, namespace, name));
      if (!kv) {
        // Only a create needs the namespace: a refused Apply leaves no namespace behind.
        if (namespace) await this.ensureNamespace(namespace);
        try {
          return (await this.writer.create(objectForCreate(r, desired))).object;
        } catch (err) {
          if (isAlreadyExists(err)) continue; // created meanwhile: update it instead
          throw err;
        }
      }
      let refused: StatusError | undefined;
      const out = await this.writer.mutate<KubeObject>(r, namespace, name, (obj) => {
        refused = undefined;
        if (!isManaged(obj) && !overwrite) {
          refused = failure(
            StatusReason.AlreadyExists,
            `${qualifiedResource(r)} "${name}" exists in the member and is not managed by fedgate; set conflictResolution: Overwrite to take it over`,
          );
          return false;
        }
        if (obj.metadata.deletionTimestamp) {
          refused = failure(StatusReason.Conflict, `${qualifiedResource(r)} "${name}" is being deleted in the member; it is created again once gone`);
          return false;
        }
        mergeIntoStored(r, obj, desired);
      });
      if (!out) continue; // deleted meanwhile: create it
      if (refused) throw refused;
      return out.object;
    }
    throw failure(StatusReason.Conflict, `${qualifiedResource(r)} "${name}" kept being created and deleted meanwhile; try again`);
  }

  /**
   * Deletes every object of fedgate's own (see `isOwnManaged`) not in `applied`, through
   * the finalizer-aware delete; then the managed namespaces that hold nothing but what is
   * on its way out.
   */
  private async prune(applied: ReadonlySet<string>): Promise<PruneResult> {
    const deleted: ObjectRef[] = [];
    const registry = this.options.registry;
    const namespaces: ResourceInfo[] = [];
    for (const r of registry.list()) {
      if (r.group === '' && r.kind === 'Namespace') {
        namespaces.push(r);
        continue;
      }
      const { items } = await this.options.store.list(resourcePrefix(r));
      for (const kv of items) {
        const obj = JSON.parse(kv.value) as KubeObject;
        const namespace = r.namespaced ? obj.metadata.namespace : undefined;
        const name = obj.metadata.name ?? '';
        if (!isOwnManaged(r, obj) || obj.metadata.deletionTimestamp || applied.has(refKey(r, namespace, name))) continue;
        if (await this.writer.delete(r, namespace, name, { uid: obj.metadata.uid })) deleted.push(refOf(r, namespace, name));
      }
    }
    for (const r of namespaces) {
      const { items } = await this.options.store.list(resourcePrefix(r));
      for (const kv of items) {
        const ns = JSON.parse(kv.value) as KubeObject;
        const name = ns.metadata.name ?? '';
        if (!isOwnManaged(r, ns) || ns.metadata.deletionTimestamp || applied.has(refKey(r, undefined, name))) continue;
        if (!(await this.holdsOnlyLeavingObjects(name))) continue;
        if (await this.writer.delete(r, undefined, name, { uid: ns.metadata.uid })) deleted.push(refOf(r, undefined, name));
      }
    }
    if (deleted.length > 0) this.options.logger.info({ count: deleted.length, deleted: deleted.map((d) => `${d.kind} ${d.namespace}/${d.name}`) }, 'pruned objects no longer placed here');
    return { deleted };
  }

  /**
   * True when everything in the namespace is already being deleted, depends on an owner
   * (the garbage collector follows its owner), or is derived by the member: deleting the
   * namespace then takes nothing anyone else put there.
   */
  private async holdsOnlyLeavingObjects(namespace: string): Promise<boolean> {
    for (const r of this.options.registry.list()) {
      if (!r.namespaced) continue;
      const { items } = await this.options.store.list(namespacePrefix(r, namespace));
      for (const kv of items) {
        const obj = JSON.parse(kv.value) as KubeObject;
        if (obj.metadata.deletionTimestamp || (obj.metadata.ownerReferences?.length ?? 0) > 0 || isDerivedKind(r)) continue;
        return false;
      }
    }
    return true;
  }
}
