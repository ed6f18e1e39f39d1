/**
 * What every controller of the member's control plane is started with: the one local
 * store, the shared informers over it, the member's resource registry and settings, a
 * logger and the clock (injected so tests drive time by hand).
 */
import type { ResourceRegistry } from '../../apimachinery/index.js';
import type { Clock, Logger, SharedInformerFactory } from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import type { MemberConfig } from '../member-config.js';

/** Dependencies of every member controller. */
export interface ControllerContext {
  store: Store;
  informers: SharedInformerFactory;
  registry: ResourceRegistry;
  config: MemberConfig;
  logger: Logger;
  clock: Clock;
}

/** A running controller: its runner and handlers, stopped together. */
export interface RunningController {
  stop(): Promise<void>;
}
