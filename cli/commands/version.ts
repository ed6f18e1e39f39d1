/**
 * `fedgate version`: this client's version and, unless `--client`, the server's `/version`
 * (the Kubernetes version.Info the gateway answers kubectl with). As with kubectl, an
 * unreachable server is an error after the client version is printed.
 */
import { stringify } from 'yaml';
import { gatewayRequest } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';

/** The fedgate client's version. */
export const CLIENT_VERSION = '0.1.0';

/** Flags of `fedgate version`. */
export interface VersionFlags extends TargetFlags {
  client?: boolean;
  output?: 'json' | 'yaml';
}

/** version.Info of this client. */
export function clientVersionInfo(): Record<string, string> {
  return { gitVersion: `v${CLIENT_VERSION}`, goVersion: `node${process.versions.node}`, platform: `${process.platform}/${process.arch}` };
}

/** The action of `fedgate version`. */
export async function versionCommand(flags: VersionFlags): Promise<void> {
  const clientVersion = clientVersionInfo();
  let serverVersion: Record<string, unknown> | undefined;
  let failure: unknown;
  if (!flags.client) {
    try {
      serverVersion = await gatewayRequest<Record<string, unknown>>(resolveTarget(flags), 'GET', '/version');
    } catch (err) {
      failure = err;
    }
  }
  const doc = { clientVersion, ...(serverVersion ? { serverVersion } : {}) };
  if (flags.output === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else if (flags.output === 'yaml') process.stdout.write(stringify(doc));
  else {
    process.stdout.write(`Client Version: ${clientVersion.gitVersion}\n`);
    if (serverVersion) process.stdout.write(`Server Version: ${String(serverVersion['gitVersion'] ?? 'unknown')}\n`);
  }
  if (failure) throw failure;
}
