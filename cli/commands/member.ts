/**
 * `fedgate member`: one member cluster — its compact control plane (controllers,
 * scheduler, kubelets, service proxy) and a local Kubernetes-style API over one SQLite store
 * in the data directory; with `--join` it also joins a gateway (first start, with a bootstrap
 * token) and keeps a mutual-TLS stream to it, applying what the gateway sends.
 *
 * The local API is secure by default, as the gateway's: HTTPS with a serving certificate of
 * the member's own CA (`<data>/api-pki/`, created at first start), authentication and RBAC
 * with the bootstrap roles, an admin token (`<data>/admin.token`) and a kubeconfig
 * (`<data>/member.kubeconfig`). Client certificates of the member's CA authenticate, and once
 * joined those of the gateway CA too — except member certificates — so the gateway's
 * `clusters/{name}/proxy` reaches it. `--insecure-http` (tests only) serves plain HTTP where
 * every request acts as `system:masters`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResourceList } from '../../apimachinery/index.js';
import { ensureAdminToken, GatewayAuth, loadOrCreateServiceAccountKey } from '../../auth/index.js';
import { memberApiCommonName } from '../../gateway/index.js';
import {
  GatewayConnection,
  hasMemberCredentials,
  joinGateway,
  loadMemberCredentials,
  MemberAgent,
  MemberCluster,
  memberPkiPaths,
  PodLogReader,
  resolveMemberConfig,
  type RuntimeName,
} from '../../member-cluster/index.js';
import { GatewayPki } from '../../replicator/index.js';
import type { Store } from '../../store/index.js';
import { kubeconfigFor, writeKubeconfig } from '../kubeconfig.js';
import { parseHostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';
import { clientUrl, ENCRYPTION_KEY_FILE, startApiServer } from './gateway.js';
import { parseLabels } from './join.js';

/** Port of a member's local API on its external address, unless `--listen` says otherwise. */
export const DEFAULT_MEMBER_API_PORT = 10443;
/** Directory (in the member's data directory) of its local API's CA and serving certificate; `pki/` holds its join credentials. */
export const MEMBER_API_PKI_DIR = 'api-pki';
/** Base name of the local API's serving certificate files in `api-pki/`. */
export const MEMBER_API_SERVER_FILE = 'apiserver';
/** The kubeconfig of a member's local API (server, the member's CA, its admin token), in its data directory. */
export const MEMBER_KUBECONFIG_FILE = 'member.kubeconfig';

/** CN of a member's local CA. */
export function memberCaCommonName(cluster: string): string {
  return `fedgate-member-ca:${cluster}`;
}

/** The member's local CA followed by the gateway CA it joined (if any): whose client certificates its API takes. */
function clientCaBundle(localCaPem: string, gatewayCaPem: string | undefined): string {
  return [localCaPem, gatewayCaPem].filter((p): p is string => Boolean(p)).map((p) => p.trimEnd()).join('\n') + '\n';
}

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
  /** Plain HTTP, no authentication or authorization (tests only). */
  insecureHttp?: boolean;
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
  const secure = !flags.insecureHttp;
  if (!secure) {
    logger.warn(
      { listen: `${listen.host}:${listen.port}` },
      "INSECURE: --insecure-http serves the member's API over plain HTTP with NO authentication and NO authorization: anyone who can reach it acts as system:masters and can run processes on this machine. It exists only for tests; never use it where others can reach the port",
    );
  }
  const localPki = secure
    ? await GatewayPki.loadOrCreate(dataDir, {
        dir: join(dataDir, MEMBER_API_PKI_DIR),
        hosts: [listen.host, config.externalIP],
        caCommonName: memberCaCommonName(config.name),
        serverCommonName: memberApiCommonName(config.name),
        serverFileName: MEMBER_API_SERVER_FILE,
      })
    : undefined;
  const serviceAccountKey = secure ? await loadOrCreateServiceAccountKey(dataDir) : undefined;
  // A member that joined already trusts the gateway CA's client certificates (the gateway's proxy) from the start.
  const joinedCaPath = memberPkiPaths(dataDir).ca;
  const gatewayCaPem = hasMemberCredentials(dataDir) && existsSync(joinedCaPath) ? readFileSync(joinedCaPath, 'utf8') : undefined;
  const api = await startApiServer({
    storeUrl: `sqlite:${join(dataDir, 'member.db')}`,
    encryptionKeyFile: flags.encryptionKeyFile ?? join(dataDir, ENCRYPTION_KEY_FILE),
    listen,
    logger,
    registry: MemberCluster.registry(),
    podLogs: new PodLogReader(config.dataDir),
    ...(localPki && serviceAccountKey
      ? {
          tls: { certPem: localPki.serverChainPem, keyPem: localPki.serverKeyPem, clientCaPem: clientCaBundle(localPki.caPem, gatewayCaPem) },
          auth: (cache: Store) => new GatewayAuth({ store: cache, serviceAccountKey, registry: MemberCluster.registry() }),
        }
      : {}),
  });
  // What the gateway is told: a wildcard listen address is reached on the external address (the certificate names it).
  const apiEndpoint = clientUrl(api.gateway.url, config.externalIP);
  const member = new MemberCluster({
    store: api.store,
    config,
    logger,
    controllers: flags.controllers.split(',').map((c) => c.trim()).filter(Boolean),
  });
  let connection: GatewayConnection | undefined;
  let agent: MemberAgent | undefined;
  let kubeconfigPath: string | undefined;
  try {
    if (localPki) {
      const adminToken = await ensureAdminToken(api.gateway.store, dataDir);
      kubeconfigPath = join(dataDir, MEMBER_KUBECONFIG_FILE);
      writeKubeconfig(kubeconfigPath, kubeconfigFor({ server: clientUrl(api.gateway.url), caPem: localPki.caPem, token: adminToken }, config.name));
    }
    await member.start();
    if (flags.join || flags.gatewayAddress) {
      if (!hasMemberCredentials(dataDir)) {
        if (!flags.join || !flags.token) throw new Error('this member has not joined yet: pass --join HOST:PORT and --token (with --ca-hash or --ca-file)');
        const joined = await joinGateway({
          gatewayJoinAddress: flags.join,
          token: flags.token,
          clusterName: config.name,
          region: flags.region,
          zone: flags.zone,
          labels: parseLabels(flags.labels),
          externalAddresses: [config.externalIP],
          apiEndpoint,
          ...(localPki ? { apiCaBundle: localPki.caPem } : {}),
          dataDir,
          caHash: flags.caHash,
          caPem: flags.caFile ? readFileSync(flags.caFile, 'utf8') : undefined,
        });
        // From now on the gateway's proxy (a client certificate of the gateway CA) gets in.
        if (localPki) api.gateway.setTlsCredentials({ certPem: localPki.serverChainPem, keyPem: localPki.serverKeyPem, clientCaPem: clientCaBundle(localPki.caPem, joined.caPem) });
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
        api: { endpoint: apiEndpoint, ...(localPki ? { caBundle: localPki.caPem } : {}) },
        logger,
      });
      connection.start();
    }
  } catch (err) {
    await member.stop();
    await api.stop();
    throw err;
  }
  logger.info(
    { url: api.gateway.url, cluster: config.name, externalIP: config.externalIP, joined: Boolean(connection), secure, kubeconfig: kubeconfigPath },
    'member listening',
  );
  stopOnSignals(logger, async () => {
    await connection?.stop();
    await agent?.stop();
    await member.stop({ stopPods: true });
    await api.stop();
  });
}
