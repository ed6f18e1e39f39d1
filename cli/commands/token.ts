/**
 * `fedgate token create`: a single-use bootstrap token, created through the gateway's REST
 * API as the same Secret the gateway's own `createToken` stores, and the exact `fedgate
 * join` line to use it. The CA hash in that line comes from the gateway's data directory
 * (`<data>/pki/ca.crt`): the member pins the CA by it before it sends the token.
 *
 * With `--user NAME`, an API token for that user instead (`issueUserToken`), written straight
 * into the gateway's store (as kubeadm writes to etcd): whoever may read the data directory
 * and its keys is an administrator already, and the first token needs no token to make it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTimestamp, SYSTEM_NAMESPACE } from '../../apimachinery/index.js';
import { issueUserToken } from '../../auth/index.js';
import { bootstrapTokenSecret, generateToken, systemNamespaceObject, type BootstrapToken } from '../../replicator/index.js';
import { gatewayRequest, GatewayRequestError, type TargetLike } from '../gateway-client.js';
import { openGatewayStore } from '../gateway-store.js';
import { KUBECONFIG_FILE, resolveTarget, type GatewayTarget, type TargetFlags } from '../kubeconfig.js';
import { caCertHash } from '../../proto/index.js';
import { parseHostPort } from '../listen-address.js';

/** Default join address printed in the join line (the gateway's join port on loopback). */
export { DEFAULT_JOIN_ADDRESS } from '../listen-address.js';

/** Lifetime of a bootstrap token when `--ttl` is not given. */
const DEFAULT_BOOTSTRAP_TTL = '1h';

/** Flags of `fedgate token create`. */
export interface TokenCreateFlags extends TargetFlags {
  /** Absent: 1h for a bootstrap token, no expiry for a user token. */
  ttl?: string;
  /** Issue a user token for this user. */
  user?: string;
  /** Comma-separated groups of the user token. */
  groups?: string;
  /** Store of the gateway (user tokens); default `sqlite:<data>/fedgate.db`. */
  store?: string;
  /** Encryption keys of the store's Secrets; default `<data>/encryption-keys.yaml`. */
  encryptionKeyFile?: string;
  description?: string;
  joinAddress: string;
  data: string;
  name?: string;
}

/** Parses `90s`, `15m`, `1h`, `7d` (or plain seconds) into seconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+)(s|m|h|d)?$/.exec(value.trim());
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(m?.[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  const seconds = m ? Number(m[1]) * unit : NaN;
  if (!(seconds > 0)) throw new Error(`${flag}: "${value}" is not a duration like 30m, 1h or 2d`);
  return seconds;
}

/** Creates a bootstrap token through the gateway's REST API (and its namespace, the first time). */
export async function createBootstrapToken(gateway: TargetLike, ttlSeconds: number, description?: string): Promise<BootstrapToken> {
  const token = generateToken(ttlSeconds, new Date(), description);
  const secretsPath = `/api/v1/namespaces/${SYSTEM_NAMESPACE}/secrets`;
  try {
    await gatewayRequest(gateway, 'POST', secretsPath, bootstrapTokenSecret(token));
  } catch (err) {
    if (!(err instanceof GatewayRequestError && err.status === 404)) throw err;
    const ns = systemNamespaceObject();
    await gatewayRequest(gateway, 'POST', '/api/v1/namespaces', { apiVersion: ns.apiVersion, kind: ns.kind, metadata: ns.metadata }).catch((e: unknown) => {
      if (!(e instanceof GatewayRequestError && e.status === 409)) throw e;
    });
    await gatewayRequest(gateway, 'POST', secretsPath, bootstrapTokenSecret(token));
  }
  return token;
}

/** The gateway to create a bootstrap token through: the flags, else the data directory's admin kubeconfig. */
function bootstrapTarget(flags: TokenCreateFlags): GatewayTarget {
  const local = join(flags.data, KUBECONFIG_FILE);
  if (!flags.gateway && !flags.kubeconfig && !process.env['KUBECONFIG'] && existsSync(local)) return resolveTarget({ ...flags, kubeconfig: local });
  return resolveTarget(flags);
}

/** Parses `--groups a,b`: trimmed, no empty entries. */
export function parseGroups(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
}

/** `fedgate token create --user NAME`: issues a user token in the gateway's store and prints it. */
export async function userTokenCreateCommand(flags: TokenCreateFlags & { user: string }): Promise<void> {
  const user = flags.user.trim();
  if (user === '') throw new Error('--user: a user name is required');
  const ttlSeconds = flags.ttl === undefined ? undefined : parseDuration(flags.ttl, '--ttl');
  const groups = parseGroups(flags.groups);
  const { store } = await openGatewayStore(flags);
  try {
    const issued = await issueUserToken(store, { user, groups, ...(ttlSeconds !== undefined ? { ttlSeconds } : {}), ...(flags.description ? { description: flags.description } : {}) });
    process.stdout.write(
      [
        `token:    ${issued.token}`,
        `user:     ${issued.user}`,
        `groups:   ${issued.groups.length > 0 ? issued.groups.join(',') : '(none)'}`,
        `expires:  ${issued.expiration ? formatTimestamp(issued.expiration) : 'never'}`,
        `revoke:   kubectl delete secret -n ${SYSTEM_NAMESPACE} ${issued.secretName}`,
        '',
      ].join('\n'),
    );
  } finally {
    await store.close();
  }
}

/** The action of `fedgate token create`. */
export async function tokenCreateCommand(flags: TokenCreateFlags): Promise<void> {
  if (flags.user !== undefined) return userTokenCreateCommand({ ...flags, user: flags.user });
  if (flags.groups !== undefined) throw new Error('--groups needs --user (bootstrap tokens have no groups)');
  const ttlSeconds = parseDuration(flags.ttl ?? DEFAULT_BOOTSTRAP_TTL, '--ttl');
  const joinAddress = parseHostPort(flags.joinAddress, '--join-address');
  const caFile = join(flags.data, 'pki', 'ca.crt');
  let caHash: string;
  try {
    caHash = caCertHash(readFileSync(caFile));
  } catch (err) {
    throw new Error(`cannot read the gateway CA ${caFile} (pass the gateway's data directory with --data): ${err instanceof Error ? err.message : String(err)}`);
  }
  const token = await createBootstrapToken(bootstrapTarget(flags), ttlSeconds, flags.description);
  const name = flags.name ?? '<cluster-name>';
  const address = joinAddress.host.includes(':') ? `[${joinAddress.host}]:${joinAddress.port}` : `${joinAddress.host}:${joinAddress.port}`;
  process.stdout.write(
    [
      `token:    ${token.token}`,
      `expires:  ${formatTimestamp(token.expiration)} (single use)`,
      `ca hash:  ${caHash}`,
      '',
      'join a cluster with:',
      `  fedgate join --gateway ${address} --token ${token.token} --ca-hash ${caHash} --name ${name}`,
      '',
    ].join('\n'),
  );
}
