/**
 * `clusters/{name}/proxy/{path...}`: the gateway forwards a request to a member cluster's
 * local API, as kube-apiserver's `nodes/{name}/proxy` does for kubelets and Karmada's
 * `clusters/{name}/proxy` for its members — so users need gateway credentials only.
 *
 * - Authorization happened before routing: the subresource `proxy` of `clusters`, verb from
 *   the method (get, create, update, patch, delete), like any other request.
 * - The target is the Cluster's `spec.apiEndpoint`. An https endpoint is verified against the
 *   Cluster's `spec.apiCABundle` and must present the serving certificate of that very cluster
 *   (CN `fedgate-member-api:<name>`, see `memberApiCommonName`), so a member that names
 *   another member's endpoint and CA cannot borrow its proxy. The gateway presents its own
 *   client certificate (`clientCertificate`, renewed by the caller), which members trust as
 *   `system:masters`. A plain-http endpoint (a member run with `--insecure-http`) is
 *   forwarded as it is.
 * - Connections are kept alive in a pool per cluster (and per endpoint, CA bundle and
 *   client certificate): a TLS connection checked for one cluster never serves another, and
 *   a renewed client certificate or a changed Cluster starts a new pool.
 * - The caller's credentials never travel: Authorization, Cookie and impersonation headers
 *   are dropped, hop-by-hop headers are not forwarded either way, and a member's Set-Cookie
 *   does not reach the gateway's clients. The body is read with
 *   the gateway's cap; the response streams back as it comes (`pods/log?follow=true`), and
 *   hanging up ends the member's response too. Upgrades (exec, port-forward) are not served.
 *
 * Errors are Status bodies: 404 unknown cluster, 503 when the member has no endpoint or
 * cannot be reached, 502 when its certificate does not verify or it refuses the gateway's
 * (401 from the member), 504 when it does not answer.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { Context, Next } from 'koa';
import { Groups, isNotFound, StatusError, StatusReason, verbOfMethod, type Cluster, type ResourceInfo } from '../apimachinery/index.js';
import { DEFAULT_PROXY_RESPONSE_TIMEOUT_MS, type ClusterProxyOptions } from './cluster-proxy-options.js';
import { readRawBody } from './request-body.js';
import { requestFacts, type ApiServices } from './request-context.js';

/** The subresource name. */
export const CLUSTER_PROXY_SUBRESOURCE = 'proxy';

/** The CN of a member API's serving certificate: names the cluster whose API it is. */
export function memberApiCommonName(cluster: string): string {
  return `fedgate-member-api:${cluster}`;
}

/** 502: the member answered, but is not who its Cluster says it is. Kubernetes has no reason of its own for 502. */
export class BadGatewayError extends StatusError {
  override readonly code: number = 502;
  constructor(message: string, options?: { cause?: unknown }) {
    super(StatusReason.InternalError, message, {}, options);
  }
}

/** Request headers never forwarded: the caller's credentials, and hop-by-hop headers (RFC 9110 §7.6.1). */
const DROPPED_REQUEST_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'expect',
]);
/** Response headers not passed back (hop-by-hop, and what Koa sets itself). */
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'set-cookie']);

/** Methods whose request may carry a body to forward. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function forwardedRequestHeaders(headers: IncomingHttpHeaders, connectionTokens: Set<string>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || lower.startsWith('impersonate-') || connectionTokens.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/** Header names listed in Connection are hop-by-hop too. */
function connectionTokensOf(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** What a proxied request goes to. */
interface ProxyTarget {
  url: URL;
  /** PEM CA bundle (https only). */
  caPem?: string;
}

function unavailable(message: string, cause?: unknown): StatusError {
  return new StatusError(StatusReason.ServiceUnavailable, message, {}, cause === undefined ? undefined : { cause });
}

/** Where to send requests for `cluster`; throws the Status a client gets when there is nowhere. */
export function proxyTarget(cluster: Pick<Cluster, 'metadata' | 'spec'>): ProxyTarget {
  const name = cluster.metadata.name ?? '';
  const endpoint = cluster.spec?.apiEndpoint;
  if (!endpoint) throw unavailable(`cluster "${name}" has no API endpoint: its member reported none (Cluster spec.apiEndpoint)`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw unavailable(`cluster "${name}" has an API endpoint that is not a URL: "${endpoint}"`);
  }
  if (url.protocol === 'http:') return { url };
  if (url.protocol !== 'https:') throw unavailable(`cluster "${name}" has an API endpoint that is not http:// or https://: "${endpoint}"`);
  const bundle = cluster.spec?.apiCABundle;
  if (!bundle) {
    throw unavailable(`cluster "${name}" has no CA bundle to verify its API at ${url.origin} with (Cluster spec.apiCABundle); its member reports one when it connects`);
  }
  const caPem = Buffer.from(bundle, 'base64').toString('utf8');
  try {
    if (!/-----BEGIN CERTIFICATE-----/.test(caPem)) throw new Error('no PEM certificate in it');
    for (const block of caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) new X509Certificate(block);
  } catch (err) {
    throw new BadGatewayError(`cluster "${name}": spec.apiCABundle is not a base64 PEM CA bundle (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  return { url, caPem };
}

/**
 * TLS host check, then the cluster check: the certificate's CN must name `cluster`'s API.
 * Returns the error that fails the handshake, or undefined.
 */
export function checkMemberApiIdentity(cluster: string, host: string, cert: PeerCertificate): Error | undefined {
  const hostError = checkServerIdentity(host, cert);
  if (hostError) return hostError;
  const cn = cert.subject?.CN;
  const names = Array.isArray(cn) ? cn : cn === undefined ? [] : [cn];
  const wanted = memberApiCommonName(cluster);
  if (names.length !== 1 || names[0] !== wanted) {
    return new Error(`the certificate is for "${names.join(', ')}", not the API of cluster "${cluster}" (${wanted})`);
  }
  return undefined;
}

/** The proxy path of a request, when it is one: the cluster name and the path to forward. */
export function parseClusterProxyPath(path: string, clusters: Pick<ResourceInfo, 'group' | 'version' | 'plural'>): { cluster: string; path: string } | undefined {
  const prefix = `/apis/${clusters.group}/${clusters.version}/${clusters.plural}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const after = rest.slice(slash + 1);
  if (after !== CLUSTER_PROXY_SUBRESOURCE && !after.startsWith(`${CLUSTER_PROXY_SUBRESOURCE}/`)) return undefined;
  let cluster: string;
  try {
    cluster = decodeURIComponent(rest.slice(0, slash));
  } catch {
    return undefined;
  }
  const forwarded = after.slice(CLUSTER_PROXY_SUBRESOURCE.length);
  return { cluster, path: forwarded === '' ? '/' : forwarded };
}

/** The verb of a proxy request, as Kubernetes authorizes `nodes/proxy`: from the HTTP method. */
export function proxyVerbOf(method: string): string {
  return verbOfMethod(method);
}

/**
 * Idle connections to a member are closed after this long: under the 5 s after which a
 * Node API server (the member's) closes idle keep-alive connections itself, so a request
 * never goes out on a connection the member is closing.
 */
const IDLE_CONNECTION_MS = 4_000;
/** Idle connections kept per cluster. */
const MAX_IDLE_CONNECTIONS = 4;

/**
 * One keep-alive agent per cluster. Node pools connections by host, port and TLS options,
 * not by the identity check: two Clusters naming the same endpoint and CA must not share a
 * connection, so agents are never shared between clusters. An agent that no longer fits
 * (endpoint, CA bundle or client certificate changed) is dropped, not destroyed: streams
 * on it finish, its idle connections time out.
 */
export class MemberAgents {
  private readonly agents = new Map<string, { key: string; agent: http.Agent }>();

  /** The agent for requests to `cluster` with these settings. */
  agentFor(cluster: string, url: URL, caPem: string | undefined, clientCertPem: string | undefined): http.Agent {
    const key = `${url.origin}\n${caPem ?? ''}\n${clientCertPem ?? ''}`;
    const known = this.agents.get(cluster);
    if (known && known.key === key) return known.agent;
    const options = { keepAlive: true, maxFreeSockets: MAX_IDLE_CONNECTIONS, timeout: IDLE_CONNECTION_MS };
    const agent = caPem !== undefined ? new https.Agent(options) : new http.Agent(options);
    this.agents.set(cluster, { key, agent });
    return agent;
  }

  /** Forgets a cluster that is gone. */
  forget(cluster: string): void {
    this.agents.delete(cluster);
  }

  /** Number of clusters with an agent. */
  get size(): number {
    return this.agents.size;
  }
}

/** Sends the request to the member and resolves with its response (headers in), or a Status error. */
function forward(
  target: ProxyTarget,
  cluster: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  body: Buffer | undefined,
  options: ClusterProxyOptions,
  agents: MemberAgents,
  abort: AbortSignal,
): Promise<IncomingMessage> {
  const base = target.url.pathname.replace(/\/$/, '');
  const url = new URL(`${target.url.origin}${base}${path}`);
  const where = `the API of cluster "${cluster}" at ${target.url.origin}`;
  const timeoutMs = options.responseTimeoutMs ?? DEFAULT_PROXY_RESPONSE_TIMEOUT_MS;
  const outHeaders: OutgoingHttpHeaders = { ...headers, host: url.host };
  if (body !== undefined) outHeaders['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let connected = false;
    let secured = target.caPem === undefined;
    let settled = false;
    const fail = (err: StatusError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const client = target.caPem !== undefined ? options.clientCertificate?.() : undefined;
    const agent = agents.agentFor(cluster, target.url, target.caPem, client?.certPem);
    const req =
      target.caPem !== undefined
        ? https.request(url, {
            method,
            headers: outHeaders,
            agent,
            ca: target.caPem,
            ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
            checkServerIdentity: (host, cert) => checkMemberApiIdentity(cluster, host, cert),
          })
        : http.request(url, { method, headers: outHeaders, agent });
    const timer = setTimeout(() => fail(new StatusError(StatusReason.Timeout, `${where} did not answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const onAbort = (): void => fail(unavailable('the client went away'));
    abort.addEventListener('abort', onAbort, { once: true });
    req.once('socket', (socket) => {
      // A pooled connection is connected (and verified) already.
      if (!socket.connecting) {
        connected = true;
        secured = true;
        return;
      }
      socket.once('connect', () => (connected = true));
      socket.once('secureConnect', () => (secured = true));
    });
    req.once('response', (res) => {
      abort.removeEventListener('abort', onAbort);
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(res);
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      abort.removeEventListener('abort', onAbort);
      const why = err.message || err.code || 'connection failed';
      // Reached over TCP but no TLS session: the certificate was refused (or it does not speak TLS).
      if (connected && !secured) fail(new BadGatewayError(`${where} failed TLS verification: ${why}`, { cause: err }));
      else fail(unavailable(`cannot reach ${where}: ${why}`, err));
    });
    req.end(body);
  });
}

/**
 * The middleware serving `clusters/{name}/proxy/...` on a federation gateway; other paths
 * fall through to `next`.
 */
export function clusterProxyRoutes(api: ApiServices, options: ClusterProxyOptions) {
  const clusters = api.registry.byResource(Groups.cluster, 'v1alpha1', 'clusters');
  const agents = new MemberAgents();
  return async function clusterProxy(ctx: Context, next: Next): Promise<void> {
    const parsed = clusters ? parseClusterProxyPath(ctx.path, clusters) : undefined;
    if (!parsed || !clusters) return next();
    const facts = requestFacts(ctx);
    facts.resource = `${clusters.plural}/${CLUSTER_PROXY_SUBRESOURCE}`;
    facts.name = parsed.cluster;
    facts.verb = proxyVerbOf(ctx.method);
    if (ctx.get('upgrade')) throw new StatusError(StatusReason.BadRequest, 'upgrade requests (exec, attach, port-forward) are not proxied to member clusters');
    let cluster: Cluster;
    try {
      cluster = (await api.storage.get({ resource: clusters, namespace: undefined, name: parsed.cluster })) as Cluster;
    } catch (err) {
      if (isNotFound(err)) agents.forget(parsed.cluster);
      throw err;
    }
    const target = proxyTarget(cluster);
    const body = BODY_METHODS.has(ctx.method) ? await readRawBody(ctx, api.maxBodyBytes) : undefined;
    const headers = forwardedRequestHeaders(ctx.req.headers, connectionTokensOf(ctx.req.headers.connection));
    const hangUp = new AbortController();
    const onClose = (): void => hangUp.abort();
    ctx.res.once('close', onClose);
    const query = ctx.querystring ? `?${ctx.querystring}` : '';
    let res: IncomingMessage;
    try {
      res = await forward(target, parsed.cluster, ctx.method, `${parsed.path}${query}`, headers, body && body.length > 0 ? body : undefined, options, agents, hangUp.signal);
    } finally {
      ctx.res.off('close', onClose);
    }
    if (res.statusCode === 401 && target.caPem !== undefined) {
      // The member refused the gateway itself, not the caller: say so rather than hand the caller a 401 about their own credentials.
      res.destroy();
      throw new BadGatewayError(
        `the API of cluster "${parsed.cluster}" at ${target.url.origin} refused the gateway's client certificate (401): the member does not trust this gateway's CA (it trusts the CA it joined with)`,
      );
    }
    ctx.status = res.statusCode ?? 502;
    const dropped = connectionTokensOf(res.headers.connection);
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name) || dropped.has(name)) continue;
      ctx.set(name, value as string | string[]);
    }
    // The member's response streams through; Koa destroys it when the client hangs up.
    ctx.body = res;
    ctx.flushHeaders();
  };
}
