/**
 * `GET .../pods/{name}/log` (`kubectl logs`), served only by an API server that has a pod
 * log source (a member cluster's, over its container runtime's log files). Query parameters
 * as kube-apiserver's PodLogOptions: `container` (optional for a one-container pod),
 * `previous`, `tailLines`, `limitBytes`, `follow` (stream until the container stops, the pod
 * goes, or the client hangs up), `timestamps` (accepted; the logs carry no timestamps).
 */
import { PassThrough, type Readable } from 'node:stream';
import type { Context } from 'koa';
import { badRequest, isNotFound, StatusError, StatusReason, type KubeObject } from '../apimachinery/index.js';
import type { ApiServices, ResourceRequest } from './request-context.js';
import { integerParam, queryParam } from './request-options.js';

/** How often a followed log checks whether its pod is gone or its container stopped. */
export const LOG_FOLLOW_CHECK_MS = 500;

function boolParam(ctx: Context, name: string): boolean {
  const v = queryParam(ctx, name);
  if (v === undefined || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be true or false`);
}

function containerNames(pod: KubeObject): string[] {
  const spec = (pod.spec ?? {}) as { containers?: { name?: unknown }[]; initContainers?: { name?: unknown }[] };
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name).filter((n): n is string => typeof n === 'string');
}

/** The container to read, as kube-apiserver picks it: the named one, or the only one. */
function containerOf(pod: KubeObject, wanted: string | undefined): string {
  const names = containerNames(pod);
  const podName = pod.metadata.name ?? '';
  if (wanted) {
    if (!names.includes(wanted)) throw badRequest(`container ${wanted} is not valid for pod ${podName}`);
    return wanted;
  }
  const main = ((pod.spec ?? {}) as { containers?: { name?: unknown }[] }).containers ?? [];
  if (main.length === 1 && typeof main[0]!.name === 'string') return main[0]!.name;
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
}

/** True once the container's current run ended (terminated state) or the pod is gone. */
function runEnded(pod: KubeObject | undefined, container: string, restartCount: number | undefined): boolean {
  if (!pod || pod.metadata.deletionTimestamp) return true;
  const statuses = ((pod.status ?? {}) as { containerStatuses?: { name?: string; restartCount?: number; state?: { terminated?: unknown } }[] }).containerStatuses ?? [];
  const s = statuses.find((x) => x.name === container);
  if (!s) return false;
  if (restartCount !== undefined && s.restartCount !== undefined && s.restartCount !== restartCount) return true;
  return s.state?.terminated !== undefined;
}

function restartCountOf(pod: KubeObject, container: string): number | undefined {
  const statuses = ((pod.status ?? {}) as { containerStatuses?: { name?: string; restartCount?: number }[] }).containerStatuses ?? [];
  return statuses.find((x) => x.name === container)?.restartCount;
}

/** Caps a stream at `limit` bytes. */
function limited(source: Readable, limit: number, onDone: () => void): Readable {
  let left = limit;
  const out = new PassThrough();
  source.on('data', (chunk: Buffer) => {
    if (left <= 0) return;
    const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= part.length;
    if (!out.write(part)) source.pause();
    if (left <= 0) {
      onDone();
      out.end();
    }
  });
  out.on('drain', () => source.resume());
  out.once('close', () => source.destroy());
  source.once('end', () => out.end());
  source.once('error', (err) => out.destroy(err));
  return out;
}

/** GET `pods/{name}/log`: the log as text/plain, streamed when following. */
export async function handlePodLog(ctx: Context, api: ApiServices, req: ResourceRequest): Promise<void> {
  const source = api.podLogs;
  if (!source) throw new StatusError(StatusReason.NotFound, 'the server could not find the requested resource');
  const follow = boolParam(ctx, 'follow');
  const previous = boolParam(ctx, 'previous');
  boolParam(ctx, 'timestamps');
  const tailLines = integerParam(ctx, 'tailLines');
  const limitBytes = integerParam(ctx, 'limitBytes');
  if (limitBytes === 0) throw badRequest('limitBytes: Invalid value: 0: must be greater than 0');
  const ref = { resource: req.resource, namespace: req.namespace, name: req.name! };
  const pod = await api.storage.get(ref);
  const container = containerOf(pod, queryParam(ctx, 'container'));
  const abort = new AbortController();
  let stream: Readable;
  try {
    stream = await source.open(pod, container, { previous, follow: follow && !previous, signal: abort.signal, ...(tailLines !== undefined ? { tailLines } : {}) });
  } catch (err) {
    if (isNotFound(err)) throw badRequest((err as Error).message);
    throw err;
  }
  const body = limitBytes !== undefined ? limited(stream, limitBytes, () => abort.abort()) : stream;
  const timers: NodeJS.Timeout[] = [];
  const stop = (): void => {
    for (const t of timers) clearInterval(t);
    abort.abort();
  };
  body.once('close', stop);
  body.once('end', stop);
  ctx.res.once('close', stop);
  if (follow && !previous) {
    const restarts = restartCountOf(pod, container);
    timers.push(
      setInterval(() => {
        api.storage.get(ref).then(
          (p) => {
            if (runEnded(p, container, restarts)) stop();
          },
          (err: unknown) => {
            if (isNotFound(err)) stop();
          },
        );
      }, LOG_FOLLOW_CHECK_MS),
    );
  }
  ctx.status = 200;
  ctx.type = 'text/plain';
  ctx.set('Cache-Control', 'no-cache, private');
  ctx.body = body;
  if (follow) ctx.flushHeaders();
}
