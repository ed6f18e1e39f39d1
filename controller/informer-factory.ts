/**
 * Shared informers (client-go's `SharedInformerFactory`): one list + watch per resource,
 * however many controllers read it. Controllers ask for informers while they are set up;
 * `start()` starts them all and `waitForSync()` waits until every cache is filled.
 */
import type { KubeObject, ResourceInfo, ResourceRegistry } from '../apimachinery/index.js';
import type { Store } from '../store/index.js';
import type { Clock } from './clock.js';
import { BY_NAMESPACE, BY_OWNER_UID, Informer, namespaceIndex, ownerUidIndex, type Indexers } from './informer.js';
import type { Logger } from './logger.js';

/** Options of a SharedInformerFactory. */
export interface SharedInformerFactoryOptions {
  resyncMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** One informer per resource over one store. */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {}

  /**
   * The informer of a resource (by ResourceInfo or by what a user would type: `pods`,
   * `deployments.apps`), created on first use with the `byNamespace` and `byOwnerUid`
   * indexes plus `indexers`. Informers asked for after `start()` start at once.
   */
  informerFor<T extends KubeObject>(resource: ResourceInfo | string, indexers: Indexers<T> = {}): Informer<T> {
    const info = typeof resource === 'string' ? this.registry.resolve(resource) : resource;
    if (!info) throw new Error(`no resource ${String(resource)} in the registry`);
    const id = `${info.group}/${info.plural}`;
    let informer = this.informers.get(id) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>(this.store, info, {
        indexers: { [BY_NAMESPACE]: namespaceIndex, [BY_OWNER_UID]: ownerUidIndex },
        resyncMs: this.options.resyncMs,
        clock: this.options.clock,
        logger: this.options.logger,
      });
      this.informers.set(id, informer as unknown as Informer<KubeObject>);
      if (this.started) informer.start();
    }
    informer.addIndexers(indexers);
    return informer;
  }

  /** Starts every informer asked for so far (and later ones as they are asked for). */
  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Resolves when every informer has listed once. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  /** Stops every informer. */
  stop(): void {
    this.started = false;
    for (const informer of this.informers.values()) informer.stop();
  }
}
