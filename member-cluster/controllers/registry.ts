/**
 * The one list of the member's controllers (kube-controller-manager's
 * NewControllerDescriptors; karmada's controllers map), each switchable by name.
 * `start` registers a controller's informer handlers and starts its runner; the caller
 * starts the shared informer factory after every controller has registered.
 */
import type { ControllerContext, RunningController } from './controller-context.js';
import { DaemonSetController } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { EndpointsController } from './endpoints.js';
import { GarbageCollector } from './garbage-collector.js';
import { JobController } from './job.js';
import { NamespaceController } from './namespace.js';
import { ReplicaSetController } from './replicaset.js';
import { StatefulSetController } from './statefulset.js';

export type { ControllerContext, RunningController } from './controller-context.js';

/** One controller: its name and how to start it. */
export interface ControllerDescriptor {
  name: string;
  start(ctx: ControllerContext): RunningController;
}

/** Every controller of the member's control plane, in start order. */
export const controllerDescriptors: readonly ControllerDescriptor[] = [
  { name: DeploymentController.controllerName, start: (ctx) => new DeploymentController(ctx).start() },
  { name: ReplicaSetController.controllerName, start: (ctx) => new ReplicaSetController(ctx).start() },
  { name: JobController.controllerName, start: (ctx) => new JobController(ctx).start() },
  { name: DaemonSetController.controllerName, start: (ctx) => new DaemonSetController(ctx).start() },
  { name: StatefulSetController.controllerName, start: (ctx) => new StatefulSetController(ctx).start() },
  { name: EndpointsController.controllerName, start: (ctx) => new EndpointsController(ctx).start() },
  { name: GarbageCollector.controllerName, start: (ctx) => new GarbageCollector(ctx).start() },
  { name: NamespaceController.controllerName, start: (ctx) => new NamespaceController(ctx).start() },
];

/**
 * Starts the controllers named in `enabled` (all when absent; `-name` switches one off, as
 * kube-controller-manager's `--controllers=*,-job`; `*` means all). An unknown name is an error.
 */
export function startControllers(ctx: ControllerContext, enabled?: readonly string[]): { names: string[]; stop(): Promise<void> } {
  const known = new Set(controllerDescriptors.map((d) => d.name));
  const list = enabled ?? ['*'];
  for (const entry of list) {
    const name = entry.startsWith('-') ? entry.slice(1) : entry;
    if (name !== '*' && !known.has(name)) throw new Error(`unknown controller "${name}" (known: ${[...known].join(', ')})`);
  }
  const all = list.includes('*');
  const on = (name: string): boolean => !list.includes(`-${name}`) && (all || list.includes(name));
  const started: { name: string; running: RunningController }[] = [];
  for (const d of controllerDescriptors) {
    if (on(d.name)) started.push({ name: d.name, running: d.start(ctx) });
  }
  return {
    names: started.map((s) => s.name),
    async stop() {
      await Promise.all(started.map((s) => s.running.stop()));
    },
  };
}
