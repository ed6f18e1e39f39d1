/** `fedgate gateway`: the federation API server on a store chosen by URL. */
import { Gateway } from '../../gateway/index.js';
import { openStore, type Store } from '../../store/index.js';
import { parseHostPort, type HostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';

/** Default embedded store: one SQLite file in the data directory. */
export const DEFAULT_STORE_URL = 'sqlite:./data/fedgate.db';
/** Default API address (loopback only). */
export const DEFAULT_LISTEN = '127.0.0.1:6443';

/** Flags of `fedgate gateway`, as commander hands them over. */
export interface GatewayFlags {
  store: string;
  listen: string;
  logLevel: string;
}

/** A running gateway and the store under it. */
export interface RunningGateway {
  gateway: Gateway;
  store: Store;
  stop(): Promise<void>;
}

/** Opens the store and starts a gateway on it; errors carry a user-facing message. */
export async function startGateway(storeUrl: string, listen: HostPort, logLevel: string, logFd: 1 | 2 = 1): Promise<RunningGateway> {
  const logger = createLogger(logLevel, 'gateway', logFd);
  let store: Store;
  try {
    store = await openStore(storeUrl);
  } catch (err) {
    throw new Error(`cannot open store ${storeUrl}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const gateway = new Gateway({ store, listen, logger });
  try {
    await gateway.start();
  } catch (err) {
    await store.close();
    throw new Error(`cannot start gateway on ${listen.host}:${listen.port}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  logger.info({ url: gateway.url, store: storeUrl }, 'gateway listening');
  return {
    gateway,
    store,
    async stop() {
      await gateway.stop();
      await store.close();
    },
  };
}

/** The action of `fedgate gateway`. */
export async function gatewayCommand(flags: GatewayFlags): Promise<void> {
  const listen = parseHostPort(flags.listen, '--listen');
  const running = await startGateway(flags.store, listen, flags.logLevel);
  stopOnSignals(createLogger(flags.logLevel, 'gateway'), running.stop);
}
