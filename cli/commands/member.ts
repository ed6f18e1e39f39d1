/**
 * `fedgate member`: one member cluster — its compact control plane (controllers,
 * scheduler, kubelets, service proxy) and a local Kubernetes-style API, over one SQLite
 * store in the data directory.
 */
import { join } from 'node:path';
import { parseResourceList } from '../../apimachinery/index.js';
import { MemberCluster, resolveMemberConfig, type RuntimeName } from '../../member-cluster/index.js';
import { parseHostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';
import { startApiServer } from './gateway.js';

/** Port of a member's local API on its external address, unless `--listen` says otherwise. */
export const DEFAULT_MEMBER_API_PORT = 10443;

/** Flags of `fedgate member`, as commander hands them over. */
export interface MemberFlags {
  name: string;
  data?: string;
  podCidr: string;
  externalIp?: string;
  serviceCidr?: string;
  nodes: string;
  nodeCapacity: string;
  runtime: RuntimeName;
  listen?: string;
  controllers: string;
  logLevel: string;
}

/** The action of `fedgate member`. */
export async function memberCommand(flags: MemberFlags): Promise<void> {
  const dataDir = flags.data ?? join('data', 'members', flags.name);
  const config = resolveMemberConfig({
    name: flags.name,
    dataDir,
    podCIDR: flags.podCidr,
    externalIP: flags.externalIp,
    serviceCIDR: flags.serviceCidr,
    nodes: Number(flags.nodes),
    nodeCapacity: parseResourceList(flags.nodeCapacity),
    runtime: flags.runtime,
  });
  const listen = parseHostPort(flags.listen ?? `${config.externalIP}:${DEFAULT_MEMBER_API_PORT}`, '--listen');
  const logger = createLogger(flags.logLevel, `member/${config.name}`);
  const api = await startApiServer({
    storeUrl: `sqlite:${join(dataDir, 'member.db')}`,
    listen,
    logger,
    registry: MemberCluster.registry(),
    role: 'member',
  });
  const member = new MemberCluster({
    store: api.store,
    config,
    logger,
    controllers: flags.controllers.split(',').map((c) => c.trim()).filter(Boolean),
  });
  try {
    await member.start();
  } catch (err) {
    await api.stop();
    throw err;
  }
  stopOnSignals(logger, async () => {
    await member.stop({ stopPods: true });
    await api.stop();
  });
}
