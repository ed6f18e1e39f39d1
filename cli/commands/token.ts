/**
 * `fedgate token create`: a single-use bootstrap token, created through the gateway's REST
 * API as the same Secret the gateway's own `createToken` stores, and the exact `fedgate
 * join` line to use it. The CA hash in that line comes from the gateway's data directory
 * (`<data>/pki/ca.crt`): the member pins the CA by it before it sends the token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_NAMESPACE } from '../../apimachinery/index.js';
import { bootstrapTokenSecret, generateToken, systemNamespaceObject, type BootstrapToken } from '../../replicator/index.js';
import { gatewayRequest, GatewayRequestError, type TargetLike } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { caCertHash } from '../../proto/index.js';
import { parseHostPort } from '../listen-address.js';

/** Default join address printed in the join line (the gateway's join port on loopback). */
export const DEFAULT_JOIN_ADDRESS = '127.0.0.1:7443';

/** Flags of `fedgate token create`. */
export interface TokenCreateFlags extends TargetFlags {
  ttl: string;
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

/** The action of `fedgate token create`. */
export async function tokenCreateCommand(flags: TokenCreateFlags): Promise<void> {
  const ttlSeconds = parseDuration(flags.ttl, '--ttl');
  const joinAddress = parseHostPort(flags.joinAddress, '--join-address');
  const caFile = join(flags.data, 'pki', 'ca.crt');
  let caHash: string;
  try {
    caHash = caCertHash(readFileSync(caFile));
  } catch (err) {
    throw new Error(`cannot read the gateway CA ${caFile} (pass the gateway's data directory with --data): ${err instanceof Error ? err.message : String(err)}`);
  }
  const token = await createBootstrapToken(resolveTarget(flags), ttlSeconds, flags.description);
  const name = flags.name ?? '<cluster-name>';
  const address = joinAddress.host.includes(':') ? `[${joinAddress.host}]:${joinAddress.port}` : `${joinAddress.host}:${joinAddress.port}`;
  process.stdout.write(
    [
      `token:    ${token.token}`,
      `expires:  ${token.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')} (single use)`,
      `ca hash:  ${caHash}`,
      '',
      'join a cluster with:',
      `  fedgate join --gateway ${address} --token ${token.token} --ca-hash ${caHash} --name ${name}`,
      '',
    ].join('\n'),
  );
}
