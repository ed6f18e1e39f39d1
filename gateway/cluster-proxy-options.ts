/** Options of the `clusters/{name}/proxy` subresource (`GatewayOptions.clusterProxy`); the proxy is in cluster-proxy.ts. */

/** How long a member may take to answer with its response headers. */
export const DEFAULT_PROXY_RESPONSE_TIMEOUT_MS = 30_000;

/** A certificate and key, PEM. */
export interface ProxyClientCertificate {
  certPem: string;
  keyPem: string;
}

/** Options of the cluster proxy. */
export interface ClusterProxyOptions {
  /**
   * The client certificate presented to member APIs, read per request (it is renewed);
   * absent: none is presented (members with authentication then answer 401).
   */
  clientCertificate?: () => ProxyClientCertificate;
  /** Default 30 s. */
  responseTimeoutMs?: number;
}
