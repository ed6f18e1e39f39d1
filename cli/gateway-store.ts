/**
 * A gateway's (or member's) store opened from outside it (as kubeadm writes to etcd): the
 * commands that act on the data directory directly — user tokens, encryption keys — find
 * the store and its key file the way `fedgate gateway` names them.
 *
 *   const { store } = await openGatewayStore({ data: './data' });
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEncryptionKeys, openStore, type EncryptingStore, type EncryptionKey } from '../store/index.js';

/** Key file of Secrets at rest in a data directory (as `fedgate gateway` and `fedgate member` name it). */
export const ENCRYPTION_KEY_FILE = 'encryption-keys.yaml';
/** The gateway's SQLite file in its data directory. */
export const GATEWAY_DB_FILE = 'fedgate.db';
/** A member's SQLite file in its data directory. */
export const MEMBER_DB_FILE = 'member.db';

/** Where the store and its keys are: a data directory, or explicit `--store`/`--encryption-key-file`. */
export interface GatewayStoreFlags {
  data: string;
  store?: string;
  encryptionKeyFile?: string;
}

/** The key file the flags name: `--encryption-key-file`, else `<data>/encryption-keys.yaml`. */
export function encryptionKeyFileOf(flags: GatewayStoreFlags): string {
  return flags.encryptionKeyFile ?? join(flags.data, ENCRYPTION_KEY_FILE);
}

/** Opens the store the flags name with the keys of its key file; clear errors for a missing store or file. */
export async function openGatewayStore(flags: GatewayStoreFlags, keys?: EncryptionKey[]): Promise<{ store: EncryptingStore; url: string }> {
  let url = flags.store;
  if (url === undefined) {
    // A gateway's data directory, else a member's.
    const file = [GATEWAY_DB_FILE, MEMBER_DB_FILE].map((f) => join(flags.data, f)).find((f) => existsSync(f));
    if (file === undefined) throw new Error(`no store in ${flags.data}: neither ${GATEWAY_DB_FILE} nor ${MEMBER_DB_FILE} (pass the data directory with --data, or --store URL)`);
    url = `sqlite:${file}`;
  }
  const usedKeys = keys ?? loadEncryptionKeys(encryptionKeyFileOf(flags)).keys;
  try {
    return { store: await openStore(url, { encryption: { keys: usedKeys } }), url };
  } catch (err) {
    throw new Error(`cannot open store ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
