/**
 * One watch response: newline-delimited JSON `{type, object}` events from a store watch,
 * with kube-apiserver's selector semantics (an object that stops matching is sent as
 * DELETED, one that starts matching as ADDED). Backpressure: the store handler's promise
 * settles only when the HTTP response drained, so a slow client slows its own watch
 * until the store cuts it off, which ends the stream (the client re-watches from its
 * last resourceVersion).
 */
import { PassThrough } from 'node:stream';
import {
  apiVersionOf,
  asStatusError,
  internalError,
  isExpired,
  StatusError,
  StatusReason,
  type KubeObject,
  type ResourceInfo,
  type WatchEvent,
} from '../apimachinery/index.js';
import type { Store, StoreEvent, Unsubscribe } from '../store/index.js';
import { decodeObject } from './object-codec.js';

/** How to start and shape one watch. */
export interface WatchStreamOptions {
  store: Store;
  resource: ResourceInfo;
  /** Store prefix of the watched collection. */
  prefix: string;
  /** Watch only this key (a watch on a named object). */
  key?: string;
  /** Send events after this revision; undefined: ADDED for the current objects, then live events. */
  afterRevision?: number;
  /** Label and field selectors; absent: every object. */
  filter?: (obj: KubeObject) => boolean;
  /** The stream ends after this long (`timeoutSeconds`). */
  timeoutMs: number;
  /** Send BOOKMARK events this often (`allowWatchBookmarks`); absent: never. */
  bookmarkIntervalMs?: number;
  /** Called for every event written (metrics). */
  onEventSent?: (type: WatchEvent['type']) => void;
  /** Reshapes the object of ADDED, MODIFIED and DELETED events (Tables); BOOKMARK and ERROR go as they are. */
  transform?: (obj: KubeObject) => unknown;
}

/**
 * The watch event a store event becomes for a client with `filter`, or undefined when
 * the client does not see it. Updates compare the old and new object against the filter.
 */
export function toWatchEvent(ev: StoreEvent, filter?: (obj: KubeObject) => boolean): WatchEvent | undefined {
  const obj = decodeObject(ev.kv);
  const matches = (o: KubeObject): boolean => !filter || filter(o);
  switch (ev.type) {
    case 'create':
      return matches(obj) ? { type: 'ADDED', object: obj } : undefined;
    case 'delete':
      return matches(obj) ? { type: 'DELETED', object: obj } : undefined;
    case 'update': {
      const now = matches(obj);
      const before = filter && ev.prevKv ? matches(decodeObject(ev.prevKv)) : now;
      if (now && before) return { type: 'MODIFIED', object: obj };
      if (now) return { type: 'ADDED', object: obj };
      if (before) return { type: 'DELETED', object: obj };
      return undefined;
    }
  }
}

/** A running watch; `body` is the HTTP response body. */
export class WatchStream {
  /** Newline-delimited JSON events; ends when the watch ends. */
  readonly body = new PassThrough();
  private readonly opts: WatchStreamOptions;
  private unsubscribe: Unsubscribe | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lastRevision = 0;
  private ended = false;
  private receivedAny = false;

  constructor(opts: WatchStreamOptions) {
    this.opts = opts;
    this.body.once('close', () => this.cleanup());
  }

  /** Sends the initial events (when asked for) and subscribes; never throws: failures end the stream. */
  async run(): Promise<void> {
    const o = this.opts;
    this.timers.push(setTimeout(() => this.end(), o.timeoutMs));
    if (o.bookmarkIntervalMs !== undefined) {
      this.timers.push(setInterval(() => this.bookmark(), o.bookmarkIntervalMs));
    }
    try {
      let after = o.afterRevision;
      if (after === undefined) {
        const list = await o.store.list(o.key ?? o.prefix);
        for (const kv of list.items) {
          if (this.ended) return;
          if (o.key !== undefined && kv.key !== o.key) continue;
          const obj = decodeObject(kv);
          if (o.filter && !o.filter(obj)) continue;
          await this.send({ type: 'ADDED', object: obj });
        }
        after = list.revision;
      }
      this.lastRevision = after;
      if (this.ended) return;
      this.unsubscribe = o.store.watch(
        o.key ?? o.prefix,
        after,
        (ev) => this.onStoreEvent(ev),
        (err) => this.fail(err),
      );
    } catch (err) {
      this.fail(err);
    }
  }

  private onStoreEvent(ev: StoreEvent): Promise<void> | undefined {
    if (this.ended) return undefined;
    this.receivedAny = true;
    if (this.opts.key !== undefined && ev.kv.key !== this.opts.key) {
      this.lastRevision = ev.revision;
      return undefined;
    }
    let out: WatchEvent | undefined;
    try {
      out = toWatchEvent(ev, this.opts.filter);
    } catch (err) {
      this.fail(err);
      return undefined;
    }
    this.lastRevision = ev.revision;
    return out ? this.send(out) : undefined;
  }

  /** Writes one event; the promise settles when the response can take more. */
  private send(ev: WatchEvent): Promise<void> | undefined {
    if (this.ended) return undefined;
    this.opts.onEventSent?.(ev.type);
    const transform = this.opts.transform;
    const out = transform && ev.type !== 'BOOKMARK' && ev.type !== 'ERROR' ? { type: ev.type, object: transform(ev.object) } : ev;
    if (this.body.write(`${JSON.stringify(out)}\n`)) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        this.body.off('drain', done);
        this.body.off('close', done);
        resolve();
      };
      this.body.on('drain', done);
      this.body.on('close', done);
    });
  }

  private bookmark(): void {
    if (this.ended || this.lastRevision === 0) return;
    void this.send({
      type: 'BOOKMARK',
      object: { apiVersion: apiVersionOf(this.opts.resource), kind: this.opts.resource.kind, metadata: { resourceVersion: String(this.lastRevision) } },
    });
  }

  /**
   * Expired before any event arrived means the start revision was compacted: an ERROR
   * event with the 410 Status, as kube-apiserver sends once streaming. Expired later is
   * the store cutting off a slow consumer: the stream just ends and the client re-watches
   * from the last resourceVersion it saw.
   */
  private fail(err: unknown): void {
    if (this.ended) return;
    if (isExpired(err)) {
      if (!this.receivedAny) void this.send({ type: 'ERROR', object: asStatusError(err).toStatus() as unknown as KubeObject });
    } else if (!isStoreClosed(err)) {
      const status = internalError('watch failed').toStatus();
      void this.send({ type: 'ERROR', object: status as unknown as KubeObject });
    }
    this.end();
  }

  /** Ends the stream (timeout, gateway stop); idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.cleanup();
    this.body.end();
  }

  private cleanup(): void {
    this.ended = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

/** A closed store (the gateway stopping) just ends the stream. */
function isStoreClosed(err: unknown): boolean {
  return err instanceof StatusError && err.reason === StatusReason.ServiceUnavailable;
}
