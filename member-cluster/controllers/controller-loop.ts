/**
 * The wiring every member controller shares once its handlers are registered: one
 * `ControllerRunner` over the controller's queue, stopped together with the writes that
 * wait for the cache.
 */
import { ControllerRunner, type WorkQueue } from '../../controller/index.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import type { ObjectWriter } from './object-writer.js';

/** What `runLoop` drives. */
export interface LoopParts {
  name: string;
  queue: WorkQueue;
  writer: ObjectWriter;
  reconcile(key: string): Promise<void>;
  workers?: number;
  /** Removes the informer handlers the controller registered. */
  unregister?: (() => void)[];
}

/** Starts the runner; `stop()` unhooks handlers, drains workers and releases waiting writes. */
export function runLoop(ctx: ControllerContext, parts: LoopParts): RunningController {
  const runner = new ControllerRunner({
    name: parts.name,
    queue: parts.queue,
    workers: parts.workers ?? 1,
    maxRetries: Infinity,
    logger: ctx.logger,
    reconcile: (key) => parts.reconcile(key),
  });
  runner.start();
  return {
    async stop() {
      for (const off of parts.unregister ?? []) off();
      const stopped = runner.stop();
      parts.writer.close();
      await stopped;
    },
  };
}
