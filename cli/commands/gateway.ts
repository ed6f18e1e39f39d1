/**
 * `fedgate gateway`: the federation API server on a store chosen by URL. Secure by default:
 * HTTPS with the gateway CA's serving certificate, authentication (client certificates, user
 * tokens, service account tokens) and RBAC, Secrets encrypted at rest, per-user rate limits,
 * an admin token and a kubeconfig in the data directory. `--insecure-http` (tests only)
 * serves plain HTTP where every request acts as `system:masters`. Either way it serves
 * `clusters/{name}/proxy/...` to member APIs, presenting a client certificate of its CA that
 * lives only in memory (ADR 015).
 */
import type { Logger } from 'pino';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { ResourceRegistry, type KubeObject } from '../../apimachinery/index.js';
import { ensureAdminToken, GatewayAuth, loadOrCreateServiceAccountKey } from '../../auth/index.js';
import {
  DEFAULT_RATE_LIMIT_BURST,
  DEFAULT_RATE_LIMIT_QPS,
  Gateway,
  type GatewayOptions,
} from '../../gateway/index.js';
import { DnsServer, ZoneView } from '../../dns/index.js';
import {
  GATEWAY_PROXY_GROUP,
  GATEWAY_PROXY_USER,
  GatewayPki,
  MemberServer,
  readCertificateAuthority,
  readServingCertificate,
  RenewingClientIdentity,
  Replicator,
} from '../../replicator/index.js';
import { loadOrCreateEncryptionKeys, openStore, type Store } from '../../store/index.js';
import { KUBECONFIG_FILE, kubeconfigFor, writeKubeconfig } from '../kubeconfig.js';
import { DEFAULT_DNS_LISTEN, parseHostPort, type HostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';

export { DEFAULT_DNS_LISTEN, DEFAULT_JOIN_LISTEN, DEFAULT_LISTEN, DEFAULT_MEMBER_LISTEN } from '../listen-address.js';
/** Key file of Secrets at rest, in the data directory unless `--encryption-key-file` says otherwise. */
export const ENCRYPTION_KEY_FILE = 'encryption-keys.yaml';

/** Flags of `fedgate gateway`, as commander hands them over. */
export interface GatewayFlags {
  store?: string;
  listen: string;
  data: string;
  joinListen: string;
  memberListen: string;
  advertiseMemberAddress?: string;
  /** DNS address; `false` (`--no-dns`) runs no DNS server. */
  dns?: boolean;
  dnsListen?: string;
  dnsZone?: string;
  logLevel: string;
  /** Plain HTTP, no authentication or authorization (tests only). */
  insecureHttp?: boolean;
  /** Audit log file (JSON lines). */
  auditLog?: string;
  /** Encryption keys of Secrets at rest; default `<data>/encryption-keys.yaml`. */
  encryptionKeyFile?: string;
  /** Objects one namespace may hold (a positive integer). */
  maxObjectsPerNamespace?: string | number;
  /** Requests per second per user (burst: twice that). */
  rateLimit?: string | number;
  /** The REST API's serving certificate (chain, PEM) and key, instead of one from the gateway CA. */
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** The gateway CA (certificate and ECDSA P-256 key, PEM) instead of one created in `<data>/pki`. */
  caCertFile?: string;
  caKeyFile?: string;
}

/** Both or neither of two flags. */
function pairOf(a: string | undefined, b: string | undefined, flagA: string, flagB: string): [string, string] | undefined {
  if ((a === undefined) !== (b === undefined)) throw new Error(`${a === undefined ? flagA : flagB} is needed with ${a === undefined ? flagB : flagA}`);
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

/**
 * The REST API's serving certificate and the CA its clients should trust: the operator's
 * (`--tls-cert-file`) when given — trusted through the gateway CA if that signed it, else
 * through the self-signed root at the end of the chain file, else the system's roots — or
 * the one of the gateway CA.
 */
function restServing(flags: GatewayFlags, pki: GatewayPki): { certPem: string; keyPem: string; clientTrustPem?: string } {
  const files = pairOf(flags.tlsCertFile, flags.tlsPrivateKeyFile, '--tls-cert-file', '--tls-private-key-file');
  if (!files) return { certPem: pki.serverChainPem, keyPem: pki.serverKeyPem, clientTrustPem: pki.caPem };
  const serving = readServingCertificate(files[0], files[1]);
  const ca = new X509Certificate(pki.caPem);
  const byGatewayCa = serving.leaf.checkIssued(ca) && serving.leaf.verify(ca.publicKey);
  const clientTrustPem = byGatewayCa ? pki.caPem : serving.trustAnchorPem;
  return { certPem: serving.certPem, keyPem: serving.keyPem, ...(clientTrustPem ? { clientTrustPem } : {}) };
}

/** A running gateway and the store under it. */
export interface RunningGateway {
  gateway: Gateway;
  store: Store;
  stop(): Promise<void>;
}

/** The gateway options a caller passes through unchanged. */
type PassedGatewayOptions = 'registry' | 'dryRunPreview' | 'podLogs' | 'tls' | 'auth' | 'rateLimit' | 'maxObjectsPerNamespace' | 'audit' | 'clusterProxy';

/** Where and how to run an API server (the gateway's, or a member's local one). */
export interface ApiServerOptions extends Pick<GatewayOptions, PassedGatewayOptions> {
  storeUrl: string;
  listen: HostPort;
  logger: Logger;
  /** Secrets at rest are encrypted with the keys of this file (created with one key when missing). */
  encryptionKeyFile?: string;
}

/** Opens the store and starts an API server on it; errors carry a user-facing message. */
export async function startApiServer(o: ApiServerOptions): Promise<RunningGateway> {
  let store: Store;
  try {
    if (o.encryptionKeyFile !== undefined) {
      const loaded = loadOrCreateEncryptionKeys(o.encryptionKeyFile);
      for (const warning of loaded.warnings) o.logger.warn({ file: loaded.path }, warning);
      if (loaded.created) o.logger.info({ file: loaded.path }, 'created the encryption key of Secrets at rest: back it up apart from the data');
      store = await openStore(o.storeUrl, { encryption: { keys: loaded.keys } });
    } else {
      store = await openStore(o.storeUrl);
    }
  } catch (err) {
    throw new Error(`cannot open store ${o.storeUrl}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const gateway = new Gateway({
    store,
    listen: o.listen,
    logger: o.logger,
    registry: o.registry,
    dryRunPreview: o.dryRunPreview,
    podLogs: o.podLogs,
    tls: o.tls,
    auth: o.auth,
    rateLimit: o.rateLimit,
    maxObjectsPerNamespace: o.maxObjectsPerNamespace,
    audit: o.audit,
    clusterProxy: o.clusterProxy,
  });
  try {
    await gateway.start();
  } catch (err) {
    await store.close();
    throw new Error(`cannot listen on ${o.listen.host}:${o.listen.port}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return {
    gateway,
    store,
    async stop() {
      await gateway.stop();
      await store.close();
    },
  };
}

/** A running federation gateway: API server, replicator and member server. */
export interface RunningFederationGateway extends RunningGateway {
  joinAddress: string;
  memberAddress: string;
  caHash: string;
  /** `host:port` of the DNS server (UDP and TCP), when it runs. */
  dnsAddress?: string;
  dnsZone?: string;
  /** `<data>/fedgate.kubeconfig`: the admin's kubeconfig (server, CA, admin token); absent with `--insecure-http`. */
  kubeconfigPath?: string;
  /** The gateway CA (PEM): what clients of the HTTPS API and members trust. */
  caPem: string;
  /** The admin token (`<data>/admin.token`); absent with `--insecure-http`. */
  adminToken?: string;
}

/** A positive integer flag, or a clear error. */
function positiveInteger(value: string | number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: "${value}" is not a positive integer`);
  return n;
}

/** A positive number flag (may be fractional), or a clear error. */
function positiveNumber(value: string | number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${flag}: "${value}" is not a positive number`);
  return n;
}

/** The URL clients use: a wildcard listen address is reached on `host` (loopback by default; the certificate names it). */
export function clientUrl(url: string, host = '127.0.0.1'): string {
  const u = new URL(url);
  if (u.hostname === '0.0.0.0' || u.hostname === '[::]') u.hostname = host;
  return u.origin;
}

/**
 * Starts the federation gateway: the API server on the store, the gateway CA (created in
 * the data directory at first start), the replicator reading through the API server's watch
 * cache, and the join and member gRPC ports.
 */
export async function startFederationGateway(flags: GatewayFlags, logger: Logger): Promise<RunningFederationGateway> {
  const listen = parseHostPort(flags.listen, '--listen');
  const joinListen = parseHostPort(flags.joinListen, '--join-listen');
  const memberListen = parseHostPort(flags.memberListen, '--member-listen');
  const maxObjectsPerNamespace = positiveInteger(flags.maxObjectsPerNamespace, '--max-objects-per-namespace');
  const qps = positiveNumber(flags.rateLimit, '--rate-limit');
  const storeUrl = flags.store ?? `sqlite:${join(flags.data, 'fedgate.db')}`;
  const secure = !flags.insecureHttp;
  const caFiles = pairOf(flags.caCertFile, flags.caKeyFile, '--ca-cert-file', '--ca-key-file');
  const pki = await GatewayPki.loadOrCreate(flags.data, {
    hosts: [...new Set(['127.0.0.1', 'localhost', listen.host, joinListen.host, memberListen.host])],
    ...(caFiles ? { ca: readCertificateAuthority(caFiles[0], caFiles[1]) } : {}),
  });
  const serving = restServing(flags, pki);
  if (!secure) {
    logger.warn(
      { listen: flags.listen },
      'INSECURE: --insecure-http serves the API over plain HTTP with NO authentication and NO authorization: every request acts as system:masters. It exists only for tests; never use it on a network',
    );
  }
  const serviceAccountKey = secure ? await loadOrCreateServiceAccountKey(flags.data) : undefined;
  // The proxy's identity towards member APIs: issued in memory, never written, renewed before expiry.
  const proxyIdentity = new RenewingClientIdentity({
    issue: (subject, lifetimeMs) => pki.issueClientCertificate(subject, lifetimeMs),
    subject: { commonName: GATEWAY_PROXY_USER, organizations: [GATEWAY_PROXY_GROUP] },
    logger,
  });
  await proxyIdentity.start();
  let replicator: Replicator | undefined;
  const api = await startApiServer({
    storeUrl,
    listen,
    logger,
    clusterProxy: { clientCertificate: () => proxyIdentity.current() },
    dryRunPreview: async (obj) => (replicator ? withPlacementPreview(replicator, obj, logger) : obj),
    encryptionKeyFile: flags.encryptionKeyFile ?? join(flags.data, ENCRYPTION_KEY_FILE),
    ...(serviceAccountKey
      ? {
          tls: { certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: pki.caPem },
          auth: (cache: Store) => new GatewayAuth({ store: cache, serviceAccountKey }),
          rateLimit: qps !== undefined ? { qps, burst: Math.max(1, Math.ceil(qps * 2)) } : { qps: DEFAULT_RATE_LIMIT_QPS, burst: DEFAULT_RATE_LIMIT_BURST },
        }
      : qps !== undefined
        ? { rateLimit: { qps, burst: Math.max(1, Math.ceil(qps * 2)) } }
        : {}),
    ...(maxObjectsPerNamespace !== undefined ? { maxObjectsPerNamespace } : {}),
    ...(flags.auditLog ? { audit: { path: flags.auditLog } } : {}),
  }).catch((err: unknown) => {
    proxyIdentity.stop();
    throw err;
  });
  // Each started part pushes its stop; stopping runs them in reverse, also after a failed start.
  const stops: (() => Promise<void>)[] = [async () => proxyIdentity.stop(), () => api.stop()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
  };
  try {
    let kubeconfigPath: string | undefined;
    let adminToken: string | undefined;
    if (secure) {
      adminToken = await ensureAdminToken(api.gateway.store, flags.data);
      kubeconfigPath = join(flags.data, KUBECONFIG_FILE);
      writeKubeconfig(kubeconfigPath, kubeconfigFor({ server: clientUrl(api.gateway.url), ...(serving.clientTrustPem ? { caPem: serving.clientTrustPem } : {}), token: adminToken }));
    }
    const federation = new Replicator({ store: api.gateway.store, registry: new ResourceRegistry(), logger });
    await federation.start();
    replicator = federation;
    stops.push(() => federation.stop());
    const server = new MemberServer({
      pki,
      store: api.gateway.store,
      handler: federation.streamHandler,
      joinListen,
      memberListen,
      logger,
      advertiseMemberAddress: flags.advertiseMemberAddress,
    });
    await server.start();
    stops.push(() => server.stop());
    let dnsAddress: string | undefined;
    let dnsZone: string | undefined;
    if (flags.dns !== false) {
      const dnsListen = parseHostPort(flags.dnsListen ?? DEFAULT_DNS_LISTEN, '--dns-listen');
      const zone = new ZoneView({ store: api.gateway.store, registry: new ResourceRegistry(), zone: flags.dnsZone, nameserverAddress: dnsListen.host, logger });
      zone.start();
      stops.push(() => zone.stop());
      await zone.waitForSync();
      const dns = new DnsServer({ zone, udp: dnsListen, tcp: dnsListen, logger });
      const bound = await dns.start();
      stops.push(() => dns.stop());
      dnsAddress = `${bound.udp.address}:${bound.udp.port}`;
      dnsZone = zone.zones[0];
    }
    return {
      ...api,
      joinAddress: server.joinAddress,
      memberAddress: server.memberAddress,
      caHash: pki.caHash,
      caPem: pki.caPem,
      dnsAddress,
      dnsZone,
      ...(kubeconfigPath ? { kubeconfigPath } : {}),
      ...(adminToken ? { adminToken } : {}),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A dry run of a template answers with the placement it would get, in `status.placement`. */
async function withPlacementPreview(replicator: Replicator, obj: KubeObject, logger: Logger): Promise<KubeObject> {
  try {
    const placement = await replicator.explain(obj);
    return { ...obj, status: { ...(obj.status as object | undefined), placement } };
  } catch (err) {
    logger.debug({ err }, 'no placement preview');
    return obj;
  }
}

/** The action of `fedgate gateway`. */
export async function gatewayCommand(flags: GatewayFlags): Promise<void> {
  const logger = createLogger(flags.logLevel, 'gateway');
  const running = await startFederationGateway(flags, logger);
  logger.info(
    {
      url: running.gateway.url,
      joinAddress: running.joinAddress,
      memberAddress: running.memberAddress,
      dnsAddress: running.dnsAddress,
      dnsZone: running.dnsZone,
      caHash: running.caHash,
      store: flags.store ?? 'sqlite',
      kubeconfig: running.kubeconfigPath,
      secure: !flags.insecureHttp,
    },
    'gateway listening',
  );
  stopOnSignals(logger, running.stop);
  // SIGHUP reopens the audit log, for log rotation that moves the file (logrotate without copytruncate).
  process.on('SIGHUP', () => {
    running.gateway.reopenAuditLog().then(
      (reopened) => logger.info({ auditLog: flags.auditLog ?? null, reopened }, reopened ? 'reopened the audit log' : 'SIGHUP: no audit log to reopen'),
      (err: unknown) => logger.error({ err, auditLog: flags.auditLog }, 'cannot reopen the audit log; still writing to the old file'),
    );
  });
}
