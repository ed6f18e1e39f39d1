/**
 * `fedgate logs POD --cluster NAME`: a pod's container log, read through the gateway's
 * `clusters/NAME/proxy` subresource: the gateway holds templates, the pods live in the
 * members, and the gateway forwards to the member's API (verifying it, with its own client
 * certificate), so gateway credentials are all a user needs.
 */
import { notFound, type KubeObject } from '../../apimachinery/index.js';
import { clusterResource } from '../../replicator/index.js';
import { gatewayRequest, GatewayRequestError, GatewayUnreachableError, isNotFoundAnswer, openStream, type TargetLike } from '../gateway-client.js';
import { resolveTarget, type GatewayTarget, type TargetFlags } from '../kubeconfig.js';
import { listQuery } from '../resource-args.js';
import { namespaceOf } from '../target-flags.js';
import { CLUSTERS_PATH } from './clusters.js';

/** The annotation naming a pod's default container for logs and exec (kubectl's). */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** Flags of `fedgate logs`. */
export interface LogsFlags extends TargetFlags {
  cluster: string;
  container?: string;
  namespace?: string;
  tail?: string;
  follow?: boolean;
  timestamps?: boolean;
  previous?: boolean;
}

/** kube-apiserver's 404 for a path it does not serve. */
const UNKNOWN_PATH = 'the server could not find the requested resource';

/** The gateway path that forwards to `cluster`'s API (`clusters/NAME/proxy`). */
export function clusterProxyPath(cluster: string): string {
  return `${CLUSTERS_PATH}/${encodeURIComponent(cluster)}/proxy`;
}

/** `gateway` with its base moved to `cluster`'s proxy: every path of the member's API, through the gateway. */
export function memberThroughGateway(gateway: GatewayTarget, cluster: string): GatewayTarget {
  return { ...gateway, server: `${gateway.server.replace(/\/$/, '')}${clusterProxyPath(cluster)}` };
}

/** True when `err` is the gateway's 404 for a cluster it does not know (not the member's 404 for a pod). */
function isUnknownCluster(err: unknown, cluster: string): boolean {
  return isNotFoundAnswer(err) && err.message === notFound({ group: clusterResource.group, resource: clusterResource.plural, name: cluster }).message;
}

/** Rewords what the proxy answered: an unknown cluster and an unreachable gateway say so plainly. */
function proxyErrors<T>(gateway: GatewayTarget, cluster: string, p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    if (err instanceof GatewayUnreachableError) throw new Error(`cannot reach the gateway at ${gateway.server}: ${err.why}`, { cause: err });
    if (isUnknownCluster(err, cluster)) throw new Error(`cluster "${cluster}" is not a member of the federation (fedgate clusters lists the members)`, { cause: err });
    throw err;
  });
}

/** The container whose log to read: `-c`, else the default-container annotation, else the only or first one. */
function containerOf(pod: KubeObject, wanted: string | undefined, cluster: string): { name: string; note?: string } {
  const spec = (pod.spec ?? {}) as { containers?: { name?: string }[] };
  const names = (spec.containers ?? []).map((c) => c.name ?? '').filter(Boolean);
  const where = `pod "${pod.metadata.name}" in cluster "${cluster}"`;
  if (wanted) {
    if (names.length > 0 && !names.includes(wanted)) throw new Error(`container "${wanted}" is not in ${where}; choose one of: ${names.join(', ')}`);
    return { name: wanted };
  }
  if (names.length === 0) throw new Error(`${where} has no containers`);
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && names.includes(annotated)) return { name: annotated };
  if (names.length === 1) return { name: names[0]! };
  return { name: names[0]!, note: `Defaulted container "${names[0]}" out of: ${names.join(', ')}` };
}

/** The action of `fedgate logs`. */
export async function logsCommand(pod: string, flags: LogsFlags): Promise<void> {
  let tailLines: string | undefined;
  if (flags.tail !== undefined && flags.tail !== '-1') {
    if (!/^\d+$/.test(flags.tail)) throw new Error(`--tail: "${flags.tail}" is not a number of lines`);
    tailLines = flags.tail;
  }
  const gateway = resolveTarget(flags);
  const namespace = namespaceOf(flags.namespace, gateway);
  const member: TargetLike = memberThroughGateway(gateway, flags.cluster);
  const podPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;
  let podObject: KubeObject;
  try {
    podObject = await proxyErrors(gateway, flags.cluster, gatewayRequest<KubeObject>(member, 'GET', podPath));
  } catch (err) {
    if (isNotFoundAnswer(err) && err.message === UNKNOWN_PATH) throw new Error(`the gateway at ${gateway.server} does not serve clusters/proxy: it cannot reach member APIs for you`);
    if (isNotFoundAnswer(err)) throw new Error(`pod "${pod}" not found in namespace "${namespace}" of cluster "${flags.cluster}"`);
    throw err;
  }
  const container = containerOf(podObject, flags.container, flags.cluster);
  if (container.note) process.stderr.write(`${container.note}\n`);
  const query = listQuery({
    container: container.name,
    tailLines,
    follow: flags.follow ? 'true' : undefined,
    timestamps: flags.timestamps ? 'true' : undefined,
    previous: flags.previous ? 'true' : undefined,
  });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let res;
    try {
      res = await proxyErrors(gateway, flags.cluster, openStream(member, `${podPath}/log${query}`, { accept: '*/*', signal: stop.signal }));
    } catch (err) {
      if (stop.signal.aborted) return;
      if (err instanceof GatewayRequestError && err.status === 404 && err.message === UNKNOWN_PATH) {
        throw new Error(`the API of cluster "${flags.cluster}" does not serve pod logs`);
      }
      throw err;
    }
    try {
      for await (const chunk of res) {
        if (!process.stdout.write(chunk as Buffer)) await new Promise((r) => process.stdout.once('drain', r));
      }
    } catch (err) {
      // Ctrl-C ends the stream on purpose; anything else cut it off.
      if (!stop.signal.aborted) throw new Error(`the log stream of cluster "${flags.cluster}" broke off: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
