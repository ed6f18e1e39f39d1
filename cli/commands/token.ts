/**
 * `fedgate token create`: a single-use bootstrap token, created through the gateway's REST
 * API as the same Secret the gateway's own `createToken` stores, and the exact `fedgate
 * join` line to use it. The CA hash in that line comes from the gateway's data directory
 * (`<data>/pki/ca.crt`): the member pins the CA by it before it sends the token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_NAMESPACE, type KubeObject } from '../../apimachinery/index.js';
import { bootstrapTokenSecret, generateToken, systemNamespaceObject } from '../../replicator/index.js';
import { caCertHash } from '../../proto/index.js';
import { parseHostPort } from '../listen-address.js';

/** Default join address printed in the join line (the gateway's join port on loopback). */
export const DEFAULT_JOIN_ADDRESS = '127.0.0.1:7443';

/** Flags of `fedgate token create`. */
export interface TokenCreateFlags {
  gateway: string;
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

async function post(base: string, path: string, body: KubeObject): Promise<{ status: number; message: string }> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`cannot reach the gateway API at ${base}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
  }
  const text = await res.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not a Status body; keep the text
  }
  return { status: res.status, message };
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
  const base = flags.gateway.replace(/\/+$/, '');
  const token = generateToken(ttlSeconds, new Date(), flags.description);
  const secretsPath = `/api/v1/namespaces/${SYSTEM_NAMESPACE}/secrets`;
  let res = await post(base, secretsPath, bootstrapTokenSecret(token));
  if (res.status === 404) {
    const ns = systemNamespaceObject();
    const created = await post(base, '/api/v1/namespaces', { apiVersion: ns.apiVersion, kind: ns.kind, metadata: ns.metadata });
    if (created.status >= 300 && created.status !== 409) throw new Error(`cannot create namespace ${SYSTEM_NAMESPACE}: ${created.message}`);
    res = await post(base, secretsPath, bootstrapTokenSecret(token));
  }
  if (res.status >= 300) throw new Error(`the gateway refused the token (HTTP ${res.status}): ${res.message}`);
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
