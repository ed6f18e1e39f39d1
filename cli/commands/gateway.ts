/** `fedgate gateway`: the federation API server on a store chosen by URL. */
import type { Logger } from 'pino';
import type { ResourceRegistry } from '../../apimachinery/index.js';
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

/** Where and how to run an API server (the gateway's, or a member's local one). */
export interface ApiServerOptions {
  storeUrl: string;
  listen: HostPort;
  logger: Logger;
  /** Kinds served; the gateway's by default. */
  registry?: ResourceRegistry;
  /** Names the server in its "listening" log line: `gateway listening`, `member listening`. */
  role: string;
}

/** Opens the store and starts an API server on it; errors carry a user-facing message. */
export async function startApiServer(o: ApiServerOptions): Promise<RunningGateway> {
  let store: Store;
  try {
    store = await openStore(o.storeUrl);
  } catch (err) {
    throw new Error(`cannot open store ${o.storeUrl}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const gateway = new Gateway({ store, listen: o.listen, logger: o.logger, registry: o.registry });
  try {
    await gateway.start();
  } catch (err) {
    await store.close();
    throw new Error(`cannot listen on ${o.listen.host}:${o.listen.port}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  o.logger.info({ url: gateway.url, store: o.storeUrl }, `${o.role} listening`);
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
  const logger = createLogger(flags.logLevel, 'gateway');
  const running = await startApiServer({ storeUrl: flags.store, listen, logger, role: 'gateway' });
  stopOnSignals(logger, running.stop);
}
