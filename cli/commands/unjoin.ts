/**
 * `fedgate unjoin NAME`: removes a member cluster from the federation. By default its
 * workloads keep running in the member, unmanaged; `--purge` deletes them first. It only
 * talks to the gateway, so it never hangs on an unreachable member.
 */
import { UNJOIN_PURGE_ANNOTATION } from '../../replicator/index.js';
import { gatewayRequest } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';

/** Flags of `fedgate unjoin`. */
export interface UnjoinFlags extends TargetFlags {
  purge?: boolean;
}

/** The action of `fedgate unjoin`. */
export async function unjoinCommand(name: string, flags: UnjoinFlags): Promise<void> {
  const path = `/apis/cluster.fedgate.io/v1alpha1/clusters/${encodeURIComponent(name)}`;
  const target = resolveTarget(flags);
  if (flags.purge) {
    await gatewayRequest(target, 'PATCH', path, { metadata: { annotations: { [UNJOIN_PURGE_ANNOTATION]: 'true' } } }, 'application/merge-patch+json');
  }
  await gatewayRequest(target, 'DELETE', path);
  process.stdout.write(
    flags.purge
      ? `cluster ${name} unjoined; its federated workloads are being deleted in the member\n`
      : `cluster ${name} unjoined; its workloads keep running in the member, no longer managed\n`,
  );
}
