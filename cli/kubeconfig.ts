/**
 * Kubeconfig files: what `fedgate up` and `fedgate kubeconfig` write so kubectl reaches the
 * gateway, and where every CLI command that talks to a gateway finds it.
 *
 * Resolution order of the gateway a command talks to (first that is set wins):
 * `--gateway URL` → `--kubeconfig FILE` → `$KUBECONFIG` (first file of the list that exists)
 * → `http://127.0.0.1:6443`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { parse, stringify } from 'yaml';

/** Default REST API base when nothing says otherwise. */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:6443';

/** Name of the kubeconfig `fedgate up` writes in its data directory. */
export const KUBECONFIG_FILE = 'fedgate.kubeconfig';

/** How to reach one API server: the URL and the credentials to present. */
export interface GatewayTarget {
  /** REST API base, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM of the CA that signed the server's certificate (https only). */
  caPem?: string;
  /** Bearer token. */
  token?: string;
  /** PEM client certificate and key (mutual TLS). */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** Default namespace of the kubeconfig context (commands fall back to `default`). */
  namespace?: string;
}

/** The subset of a kubeconfig file fedgate reads and writes (kubectl's `Config`, v1). */
export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users: { name: string; user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  'current-context': string;
  preferences?: Record<string, unknown>;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

/** A one-context kubeconfig for `target`, context named `name` (default `fedgate`). */
export function kubeconfigFor(target: GatewayTarget, name = 'fedgate', namespace?: string): Kubeconfig {
  const user = `${name}-admin`;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: target.server, ...(target.caPem ? { 'certificate-authority-data': b64(target.caPem) } : {}) } }],
    users: [
      {
        name: user,
        user: {
          ...(target.token ? { token: target.token } : {}),
          ...(target.clientCertPem ? { 'client-certificate-data': b64(target.clientCertPem) } : {}),
          ...(target.clientKeyPem ? { 'client-key-data': b64(target.clientKeyPem) } : {}),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user, ...(namespace ? { namespace } : {}) } }],
    'current-context': name,
    preferences: {},
  };
}

/** The kubeconfig as YAML text. */
export function formatKubeconfig(config: Kubeconfig): string {
  return stringify(config);
}

/** Writes `config` to `path` (mode 0600, atomically: a reader never sees half a file). */
export function writeKubeconfig(path: string, config: Kubeconfig): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, formatKubeconfig(config), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Reads a kubeconfig file; throws with the path in the message when it is missing or not a kubeconfig. */
export function readKubeconfig(path: string): Kubeconfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`kubeconfig ${path} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!doc || typeof doc !== 'object' || (doc as { kind?: unknown }).kind !== 'Config') {
    throw new Error(`${path} is not a kubeconfig (expected kind: Config)`);
  }
  const config = doc as Partial<Kubeconfig>;
  for (const field of ['clusters', 'users', 'contexts'] as const) {
    const list = config[field];
    if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((e) => !e || typeof e !== 'object' || typeof e.name !== 'string'))) {
      throw new Error(`kubeconfig ${path}: ${field} must be a list of entries with a name`);
    }
  }
  return { apiVersion: 'v1', kind: 'Config', clusters: config.clusters ?? [], users: config.users ?? [], contexts: config.contexts ?? [], 'current-context': config['current-context'] ?? '' };
}

/** The target of `context` (default: the current context) in `config`. */
export function targetOf(config: Kubeconfig, context?: string, source = 'kubeconfig'): GatewayTarget {
  const contextName = context ?? config['current-context'];
  if (!contextName) throw new Error(`${source}: no current-context (pass --context NAME)`);
  const ctx = config.contexts.find((c) => c.name === contextName);
  if (!ctx?.context) throw new Error(`${source}: context "${contextName}" not found`);
  const cluster = config.clusters.find((c) => c.name === ctx.context.cluster);
  if (!cluster?.cluster) throw new Error(`${source}: cluster "${ctx.context.cluster}" of context "${contextName}" not found`);
  if (typeof cluster.cluster.server !== 'string' || !cluster.cluster.server) throw new Error(`${source}: cluster "${cluster.name}" has no server`);
  const user = config.users.find((u) => u.name === ctx.context.user)?.user ?? {};
  // kubectl also accepts file references instead of inline data; relative paths are relative to the kubeconfig.
  const pem = (data: unknown, file: unknown, what: string): string | undefined => {
    if (typeof data === 'string' && data) return unb64(data);
    if (typeof file !== 'string' || !file) return undefined;
    const path = source === 'kubeconfig' || isAbsolute(file) ? file : resolvePath(dirname(source), file);
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`${source}: cannot read the ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };
  const c = cluster.cluster as Kubeconfig['clusters'][number]['cluster'] & { 'certificate-authority'?: unknown };
  const u = user as Kubeconfig['users'][number]['user'] & { 'client-certificate'?: unknown; 'client-key'?: unknown };
  const caPem = pem(c['certificate-authority-data'], c['certificate-authority'], 'certificate authority');
  const clientCertPem = pem(u['client-certificate-data'], u['client-certificate'], 'client certificate');
  const clientKeyPem = pem(u['client-key-data'], u['client-key'], 'client key');
  return {
    server: c.server,
    ...(caPem ? { caPem } : {}),
    ...(typeof u.token === 'string' && u.token ? { token: u.token } : {}),
    ...(clientCertPem ? { clientCertPem } : {}),
    ...(clientKeyPem ? { clientKeyPem } : {}),
    ...(ctx.context.namespace ? { namespace: ctx.context.namespace } : {}),
  };
}

/** Flags every gateway-talking command accepts. */
export interface TargetFlags {
  gateway?: string;
  kubeconfig?: string;
  context?: string;
}

/** The gateway a command talks to, in the resolution order of this module's comment. */
export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): GatewayTarget {
  if (flags.gateway) return { server: flags.gateway };
  if (flags.kubeconfig) return targetOf(readKubeconfig(flags.kubeconfig), flags.context, flags.kubeconfig);
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p && existsSync(p));
  if (fromEnv) return targetOf(readKubeconfig(fromEnv), flags.context, fromEnv);
  if (flags.context) throw new Error(`--context ${flags.context}: no kubeconfig to look it up in (pass --kubeconfig FILE or set $KUBECONFIG)`);
  return { server: DEFAULT_GATEWAY_URL };
}
