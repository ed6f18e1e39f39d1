/**
 * `fedgate join`: register this member cluster with a gateway using a bootstrap token, and
 * keep the credentials it gets (`<data>/pki/member.key`, `member.crt`, `ca.crt`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinGateway } from '../../member-cluster/index.js';
import { parseDuration } from './token.js';
import { parseHostPort } from '../listen-address.js';

/** Flags of `fedgate join`. */
export interface JoinFlags {
  gateway: string;
  token: string;
  caHash?: string;
  caFile?: string;
  name: string;
  region?: string;
  zone?: string;
  labels?: string;
  externalIp?: string[];
  apiEndpoint?: string;
  data?: string;
  timeout: string;
}

/** Parses `k=v,k2=v2`. */
export function parseLabels(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const pair of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--labels: "${pair}" is not key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** The action of `fedgate join`. */
export async function joinCommand(flags: JoinFlags): Promise<void> {
  const gateway = parseHostPort(flags.gateway, '--gateway');
  if (!flags.caHash && !flags.caFile) throw new Error('pass --ca-hash sha256:<hex> (printed by fedgate token create) or --ca-file <gateway ca.crt>');
  let caPem: string | undefined;
  if (flags.caFile) {
    try {
      caPem = readFileSync(flags.caFile, 'utf8');
    } catch (err) {
      throw new Error(`--ca-file: cannot read ${flags.caFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const dataDir = flags.data ?? join('data', 'members', flags.name);
  const address = gateway.host.includes(':') ? `[${gateway.host}]:${gateway.port}` : `${gateway.host}:${gateway.port}`;
  const result = await joinGateway({
    gatewayJoinAddress: address,
    token: flags.token,
    clusterName: flags.name,
    region: flags.region,
    zone: flags.zone,
    labels: parseLabels(flags.labels),
    externalAddresses: flags.externalIp ?? [],
    apiEndpoint: flags.apiEndpoint,
    dataDir,
    caPem,
    caHash: flags.caHash,
    timeoutMs: parseDuration(flags.timeout, '--timeout') * 1000,
  });
  process.stdout.write(
    [
      `joined the gateway at ${address} as cluster ${result.clusterName}`,
      `  certificate  ${result.paths.cert}`,
      `  key          ${result.paths.key} (mode 0600)`,
      `  gateway CA   ${result.paths.ca}`,
      '',
    ].join('\n'),
  );
}
