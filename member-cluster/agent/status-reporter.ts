/**
 * Reports the status of fedgate's objects in the member to the gateway. Shared informers
 * over the member's store watch the kinds the gateway aggregates (Deployments, Jobs,
 * Services, StatefulSets, DaemonSets) and every kind with a status that was applied; a
 * change of a managed object's status or generation marks it dirty, and dirty objects are
 * sent together at most every `coalesceMs`, each with its state at send time (the latest).
 *
 * Bounded: the dirty set holds one entry per object, however often it changes, so a stream
 * that stays full for a while costs no memory beyond it. After each completed resync a full
 * round goes out, so a gateway that just (re)connected learns every status.
 */
import { objectKey, type KubeObject, type ResourceInfo, type ResourceRegistry } from '../../apimachinery/index.js';
import type { Clock, Informer, Logger, SharedInformerFactory, TimerHandle } from '../../controller/index.js';
import { isOwnManaged } from './managed-object.js';
import type { StatusMessage, StatusSink } from './stream-sender.js';

/** Default coalescing window of status reports, ms. */
export const DEFAULT_STATUS_COALESCE_MS = 100;

/** The kinds whose status the gateway aggregates, watched from the start. */
export const DEFAULT_STATUS_RESOURCES: readonly string[] = ['deployments.apps', 'jobs.batch', 'services', 'statefulsets.apps', 'daemonsets.apps'];

/** Options of a StatusReporter. */
export interface StatusReporterOptions {
  informers: SharedInformerFactory;
  registry: ResourceRegistry;
  clock: Clock;
  logger: Logger;
  coalesceMs?: number;
  resources?: readonly string[];
}

interface Watched {
  resource: ResourceInfo;
  informer: Informer<KubeObject>;
  unhook: () => void;
}

interface Dirty {
  watched: Watched;
  key: string;
}

/** What a report says about an object; unchanged fingerprints are not sent again. */
function fingerprint(obj: Readonly<KubeObject>): string {
  return JSON.stringify([obj.status ?? null, obj.metadata.generation ?? 0]);
}

/** The Status message of one object. */
export function statusMessage(r: ResourceInfo, obj: Readonly<KubeObject>): StatusMessage {
  const status = (obj.status ?? {}) as { observedGeneration?: unknown };
  const generation = obj.metadata.generation ?? 0;
  return {
    ref: {
      apiVersion: r.group === '' ? r.version : `${r.group}/${r.version}`,
      kind: r.kind,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    },
    status: Buffer.from(JSON.stringify(obj.status ?? {})),
    generation,
    // Kinds whose status has no observedGeneration (Service, Namespace) are observed as written.
    observedGeneration: typeof status.observedGeneration === 'number' ? status.observedGeneration : generation,
  };
}

/** Watches managed objects and sends their statuses; see the module doc. */
export class StatusReporter {
  private readonly coalesceMs: number;
  private readonly watched = new Map<string, Watched>();
  private readonly dirty = new Map<string, Dirty>();
  private readonly lastSent = new Map<string, string>();
  private sink: StatusSink | undefined;
  private timer: TimerHandle | undefined;
  private started = false;

  constructor(private readonly options: StatusReporterOptions) {
    this.coalesceMs = options.coalesceMs ?? DEFAULT_STATUS_COALESCE_MS;
  }

  /** Registers the informers of the default kinds (the factory's owner starts them). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const name of this.options.resources ?? DEFAULT_STATUS_RESOURCES) {
      const r = this.options.registry.resolve(name);
      if (r) this.watch(r);
    }
  }

  /** Also watches this resource (from now on); kinds without a status are ignored. */
  watch(r: ResourceInfo): void {
    const id = `${r.group}/${r.plural}`;
    if (!this.started || !r.hasStatus || this.watched.has(id)) return;
    const informer = this.options.informers.informerFor<KubeObject>(r);
    const watched: Watched = { resource: r, informer, unhook: () => {} };
    this.watched.set(id, watched);
    watched.unhook = informer.addEventHandler({
      onAdd: (obj) => this.changed(watched, obj),
      onUpdate: (_old, obj) => this.changed(watched, obj),
      onDelete: (obj) => this.gone(watched, obj),
    });
  }

  /** Reports into `sink` from now on; what was sent before counts as unsent. */
  attach(sink: StatusSink): void {
    this.sink = sink;
    this.lastSent.clear();
  }

  /** No stream: changes collect (one entry per object) until the next `attach`. */
  detach(): void {
    this.sink = undefined;
  }

  /** Sends the status of every managed object now (after a resync). */
  fullRound(): void {
    for (const watched of this.watched.values()) {
      for (const obj of watched.informer.list()) {
        if (!isOwnManaged(watched.resource, obj)) continue;
        const key = objectKey(obj.metadata);
        this.dirty.set(this.idOf(watched, key), { watched, key });
      }
    }
    this.flush();
  }

  /** Sends every dirty object's latest status while the sink is writable. */
  flush(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const sink = this.sink;
    if (!sink) return;
    for (const [id, d] of this.dirty) {
      if (!sink.writable) return; // the rest waits for the drain
      this.dirty.delete(id);
      const obj = d.watched.informer.get(d.key);
      if (!obj || !isOwnManaged(d.watched.resource, obj)) continue;
      this.lastSent.set(id, fingerprint(obj));
      sink.sendStatus(statusMessage(d.watched.resource, obj));
    }
  }

  /** Objects waiting to be reported. */
  pending(): number {
    return this.dirty.size;
  }

  /** Unhooks from the informers and cancels the timer. */
  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.watched.values()) w.unhook();
    this.watched.clear();
    this.dirty.clear();
    this.lastSent.clear();
    this.sink = undefined;
    this.started = false;
  }

  private idOf(watched: Watched, key: string): string {
    return `${watched.resource.group}/${watched.resource.plural}/${key}`;
  }

  private changed(watched: Watched, obj: Readonly<KubeObject>): void {
    if (!isOwnManaged(watched.resource, obj)) return;
    const key = objectKey(obj.metadata);
    const id = this.idOf(watched, key);
    if (this.lastSent.get(id) === fingerprint(obj)) return;
    this.dirty.set(id, { watched, key });
    if (this.timer === undefined) this.timer = this.options.clock.setTimeout(() => this.flush(), this.coalesceMs);
  }

  private gone(watched: Watched, obj: Readonly<KubeObject>): void {
    const id = this.idOf(watched, objectKey(obj.metadata));
    this.dirty.delete(id);
    this.lastSent.delete(id);
  }
}
