/**
 * The runtime registry: pod runtimes are chosen by name (`--runtime process|simulated`),
 * like store backends by URL scheme.
 */
import type { Clock } from '../../controller/index.js';
import type { RuntimeName } from '../member-config.js';
import { ProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.js';
import type { PodRuntime } from './runtime-types.js';
import { SimulatedRuntime } from './simulated-runtime.js';

/** Options of every runtime; each reads its own. */
export interface RuntimeOptions extends ProcessRuntimeOptions {
  clock?: Clock;
}

/** Names of the runtimes `createRuntime` knows. */
export const runtimeNames: readonly RuntimeName[] = ['process', 'simulated'];

/** A new runtime by name; throws an Error naming the known runtimes for an unknown one. */
export function createRuntime(name: RuntimeName, options: RuntimeOptions = {}): PodRuntime {
  switch (name) {
    case 'process':
      return new ProcessRuntime(options);
    case 'simulated':
      return new SimulatedRuntime({ clock: options.clock });
    default:
      throw new Error(`unknown pod runtime "${String(name)}" (known: ${runtimeNames.join(', ')})`);
  }
}
