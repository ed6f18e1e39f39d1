/**
 * `fedgate member`: one member cluster — its compact control plane (controllers,
 * scheduler, kubelets, service proxy) and a local Kubernetes-style API over one SQLite store
 * in the data directory; with `--join` it also joins a gateway (first start, with a bootstrap
 * token) and keeps a mutual-TLS stream to it, applying what the gateway sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResourceList } from '../../apimachinery/index.js';
import {
  GatewayConnection,
  hasMemberCredentials,
  joinGateway,
  loadMemberCredentials,
  MemberAgent,
  MemberCluster,
  PodLogReader,
  resolveMemberConfig,
  type RuntimeName,
} from '../../member-cluster/index.js';
import { parseHostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';
import { ENCRYPTION_KEY_FILE, startApiServer } from './gateway.js';
import { parseLabels } from './join.js';

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
  region?: string;
  zone?: string;
  labels?: string;
  join?: string;
  token?: string;
  caHash?: string;
  caFile?: string;
  gatewayAddress?: string;
  /** Encryption keys of Secrets at rest; default `<data>/encryption-keys.yaml`. */
  encryptionKeyFile?: string;
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
    encryptionKeyFile: flags.encryptionKeyFile ?? join(dataDir, ENCRYPTION_KEY_FILE),
    listen,
    logger,
    registry: MemberCluster.registry(),
    podLogs: new PodLogReader(config.dataDir),
  });
  const member = new MemberCluster({
    store: api.store,
    config,
    logger,
    controllers: flags.controllers.split(',').map((c) => c.trim()).filter(Boolean),
  });
  let connection: GatewayConnection | undefined;
  let agent: MemberAgent | undefined;
  try {
    await member.start();
    if (flags.join || flags.gatewayAddress) {
      if (!hasMemberCredentials(dataDir)) {
        if (!flags.join || !flags.token) throw new Error('this member has not joined yet: pass --join HOST:PORT and --token (with --ca-hash or --ca-file)');
        await joinGateway({
          gatewayJoinAddress: flags.join,
          token: flags.token,
          clusterName: config.name,
          region: flags.region,
          zone: flags.zone,
          labels: parseLabels(flags.labels),
          externalAddresses: [config.externalIP],
          apiEndpoint: api.gateway.url,
          dataDir,
          caHash: flags.caHash,
          caPem: flags.caFile ? readFileSync(flags.caFile, 'utf8') : undefined,
        });
        logger.info({ cluster: config.name, gateway: flags.join }, 'joined the federation');
      }
      const credentials = loadMemberCredentials(dataDir);
      const memberAddress = flags.gatewayAddress ?? credentials.gatewayAddress;
      if (!memberAddress) throw new Error('the gateway did not say where to connect: pass --gateway-address HOST:PORT (its member port)');
      const running = new MemberAgent({ store: api.store, registry: member.registry, clusterName: config.name, capacity: () => member.capacity(), logger });
      agent = running;
      connection = new GatewayConnection({
        memberAddress,
        clusterName: credentials.clusterName,
        credentials,
        onStream: (stream) => running.attach(stream),
        lastAppliedSeq: () => running.lastAppliedSeq,
        logger,
      });
      connection.start();
    }
  } catch (err) {
    await member.stop();
    await api.stop();
    throw err;
  }
  logger.info({ url: api.gateway.url, cluster: config.name, externalIP: config.externalIP, joined: Boolean(connection) }, 'member listening');
  stopOnSignals(logger, async () => {
    await connection?.stop();
    await agent?.stop();
    await member.stop({ stopPods: true });
    await api.stop();
  });
}
