/**
 * `fedgate encryption-key`: rotation of the keys that encrypt Secrets at rest
 * (docs/security/secrets-at-rest.md), acting on a data directory's key file and store:
 *
 *   fedgate encryption-key list      keys in order (the first encrypts), values per key
 *   fedgate encryption-key rotate    a new key first; every old key still decrypts
 *                                    (--second: decrypt only, for several gateways)
 *   fedgate encryption-key promote ID  an existing key first
 *   fedgate encryption-key reencrypt every value written again with the first key
 *   fedgate encryption-key prune     drop the old keys, once no value needs them
 *
 * A running gateway reads its key file at start only, so the order is: rotate, restart
 * every process that uses the store, reencrypt, prune, restart. `reencrypt` refuses nothing
 * by itself (it cannot see other processes' keys), hence the printed steps; `prune` checks
 * the whole store first and keeps the file unchanged when any value still needs an old key.
 */
import { encryptionKeyFileOf, openGatewayStore, type GatewayStoreFlags } from '../gateway-store.js';
import { formatColumns } from '../printers.js';
import { generateEncryptionKey, KEY_ID_PATTERN, loadEncryptionKeys, reencryptAll, writeEncryptionKeys, type ReencryptResult } from '../../store/index.js';

/** Flags shared by the subcommands. */
export type EncryptionKeyFlags = GatewayStoreFlags;

/** Flags of `rotate`. */
export interface RotateFlags extends EncryptionKeyFlags {
  /** Id of the new key (default `key-<date>-<hex>`). */
  id?: string;
  /** Add it second (decrypt only): the first step with several gateways on one store. */
  second?: boolean;
}

/** Flags of `list`. */
export interface ListFlags extends EncryptionKeyFlags {
  /** Skip the store scan (`--no-usage`). */
  usage?: boolean;
}

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Scans (or rewrites) the store's encrypted values with the key file's current keys. */
async function scan(flags: EncryptionKeyFlags, dryRun: boolean): Promise<ReencryptResult> {
  const { store } = await openGatewayStore(flags);
  try {
    return await reencryptAll(store, store.prefixes, { dryRun });
  } finally {
    await store.close();
  }
}

/** `fedgate encryption-key list`. */
export async function listCommand(flags: ListFlags): Promise<void> {
  const file = encryptionKeyFileOf(flags);
  const loaded = loadEncryptionKeys(file);
  for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
  const usage = flags.usage === false ? undefined : (await scan(flags, true)).byKey;
  const rows = loaded.keys.map((k, i) => [k.id, i === 0 ? 'encrypts and decrypts' : 'decrypts', ...(usage ? [String(usage[k.id] ?? 0)] : [])]);
  const others = usage ? Object.entries(usage).filter(([id]) => !loaded.keys.some((k) => k.id === id)) : [];
  // Values in plaintext (written before encryption was on) or sealed with a key not in the file.
  for (const [id, n] of others) rows.push([id === 'plaintext' ? '(plaintext)' : `${id} (not in the file)`, id === 'plaintext' ? 'rewritten by reencrypt' : 'cannot be read', String(n)]);
  print([`key file: ${loaded.path}`]);
  process.stdout.write(formatColumns([['KEY', 'ROLE', ...(usage ? ['VALUES'] : [])], ...rows]));
}

/** `fedgate encryption-key rotate`. */
export async function rotateCommand(flags: RotateFlags): Promise<void> {
  const file = encryptionKeyFileOf(flags);
  const loaded = loadEncryptionKeys(file);
  if (flags.id !== undefined && !KEY_ID_PATTERN.test(flags.id)) {
    throw new Error(`--id "${flags.id}" is not a key id: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63`);
  }
  if (flags.id !== undefined && loaded.keys.some((k) => k.id === flags.id)) throw new Error(`--id "${flags.id}" is already in ${loaded.path}`);
  const key = generateEncryptionKey(flags.id);
  const rest = loaded.keys.map((k) => k.id).join(', ');
  const also = (cmd: string): string =>
    `fedgate encryption-key ${cmd} --data ${flags.data}${flags.store ? ` --store ${flags.store}` : ''}${flags.encryptionKeyFile ? ` --encryption-key-file ${flags.encryptionKeyFile}` : ''}`;
  if (flags.second) {
    writeEncryptionKeys(loaded.path, [loaded.keys[0]!, key, ...loaded.keys.slice(1)]);
    print([
      `added key ${key.id} second in ${loaded.path}: it decrypts from the next start; ${loaded.keys[0]!.id} still encrypts.`,
      'Next (several gateways on one store):',
      `  1. put the same key second in every gateway's key file (copy this file's entry) and restart each;`,
      `  2. ${also(`promote ${key.id}`)} in every key file, and restart each;`,
      `  3. ${also('reencrypt')} once; 4. ${also('prune')} in every key file, and restart each.`,
    ]);
    return;
  }
  writeEncryptionKeys(loaded.path, [key, ...loaded.keys]);
  print([
    `added key ${key.id} first in ${loaded.path}; it encrypts from the next start, and ${rest} still decrypt${loaded.keys.length === 1 ? 's' : ''}.`,
    'Next:',
    '  1. restart every gateway (and member) that uses this store, so each knows the new key;',
    `  2. ${also('reencrypt')}`,
    `  3. ${also('prune')}, then restart again.`,
    'Back up the key file apart from the data: without it the encrypted values cannot be read.',
  ]);
}

/** `fedgate encryption-key promote ID`: an existing key becomes the one that encrypts. */
export async function promoteCommand(id: string, flags: EncryptionKeyFlags): Promise<void> {
  const loaded = loadEncryptionKeys(encryptionKeyFileOf(flags));
  const key = loaded.keys.find((k) => k.id === id);
  if (key === undefined) throw new Error(`no key "${id}" in ${loaded.path}; it holds ${loaded.keys.map((k) => k.id).join(', ')}`);
  if (loaded.keys[0] === key) {
    print([`${id} already encrypts in ${loaded.path}.`]);
    return;
  }
  writeEncryptionKeys(loaded.path, [key, ...loaded.keys.filter((k) => k !== key)]);
  print([`${id} now encrypts in ${loaded.path} (from the next start); the others still decrypt.`]);
}

/** `fedgate encryption-key reencrypt`. */
export async function reencryptCommand(flags: EncryptionKeyFlags): Promise<void> {
  const primary = loadEncryptionKeys(encryptionKeyFileOf(flags)).keys[0]!;
  const result = await scan(flags, false);
  print([
    `scanned ${result.scanned} values: rewrote ${result.rewritten} with key ${primary.id}, ${result.current} already current, ${result.vanished} deleted meanwhile, ${result.failed.length} failed.`,
    ...result.failed.map((f) => `  failed ${f.key}: ${f.message}`),
  ]);
  if (result.failed.length > 0) throw new Error(`${result.failed.length} values could not be rewritten; keep every key until they are (see the lines above)`);
}

/** `fedgate encryption-key prune`. */
export async function pruneCommand(flags: EncryptionKeyFlags): Promise<void> {
  const loaded = loadEncryptionKeys(encryptionKeyFileOf(flags));
  const [primary, ...old] = loaded.keys;
  if (old.length === 0) {
    print([`${loaded.path} holds one key (${primary!.id}): nothing to prune.`]);
    return;
  }
  const check = await scan(flags, true);
  const stale = check.rewritten + check.failed.length;
  if (stale > 0) {
    const held = Object.entries(check.byKey)
      .filter(([id]) => id !== primary!.id)
      .map(([id, n]) => `${n} ${id === 'plaintext' ? 'in plaintext' : `with ${id}`}`)
      .join(', ');
    throw new Error(`${stale} values are not yet sealed with ${primary!.id} (${held}); run fedgate encryption-key reencrypt first. ${loaded.path} is unchanged`);
  }
  writeEncryptionKeys(loaded.path, [primary!]);
  print([
    `removed ${old.map((k) => k.id).join(', ')} from ${loaded.path}: all ${check.scanned} values are sealed with ${primary!.id}.`,
    'Restart the processes that use this store so they drop the old keys too.',
  ]);
}
