/** Graceful shutdown on SIGINT/SIGTERM: stop the parts in order, then exit. */
import type { Logger } from 'pino';

/** How long a graceful stop may take before the process exits anyway. */
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/**
 * Runs `stop` on the first SIGINT or SIGTERM and exits 0 when it finishes (1 if it fails or
 * takes longer than the timeout). A second signal exits at once.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>, timeoutMs = DEFAULT_STOP_TIMEOUT_MS): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
