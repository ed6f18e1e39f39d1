/**
 * The member cluster's service proxy: cluster IPs from the service range, the external
 * address for LoadBalancer Services, and TCP listeners that round-robin connections over
 * each Service's ready endpoints.
 *
 * ```ts
 * const proxy = new ServiceProxy({ store, informers, registry, config, logger, clock });
 * proxy.start();
 * // ...
 * await proxy.stop(); // closes every listener and connection
 * ```
 */
export { CLUSTER_IP_NONE, ClusterIps, type Assignment } from './cluster-ips.js';
export { readyTargets, type Target } from './endpoint-targets.js';
export { PROXY_ERROR_ANNOTATION, ServiceProxy, type ListenerInfo, type ServiceProxyOptions } from './service-proxy.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, TcpProxyListener, type TcpProxyListenerOptions } from './tcp-proxy.js';
