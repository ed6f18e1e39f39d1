/**
 * `fedgate up --demo`: applies `examples/demo.yaml` through the gateway's REST API (create,
 * or replace what exists), waits until the federated Deployment is ready, its DNS name
 * answers and (with the process runtime) an answered address serves HTTP, and says how to
 * reach it.
 */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { apiVersionOf, ResourceRegistry, type KubeObject } from '../../apimachinery/index.js';
import { gatewayRequest, GatewayRequestError, type TargetLike } from '../gateway-client.js';

/** The manifests `--demo` applies. */
export const DEMO_MANIFEST_FILE = resolve(import.meta.dirname, '..', '..', 'examples', 'demo.yaml');

/** How long `--demo` waits for the demo to answer before it says so and keeps running. */
export const DEMO_TIMEOUT_MS = 90_000;

const POLL_MS = 200;
const PROBE_TIMEOUT_MS = 2_000;
const REPLACE_ATTEMPTS = 5;

/** Parses a multi-document YAML file of Kubernetes objects; throws with the file and document on bad input. */
export function parseManifests(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${source}: document ${i + 1}: ${doc.errors[0]!.message}`);
    const obj = doc.toJS() as unknown;
    if (obj === null || obj === undefined) return;
    const o = obj as Partial<KubeObject>;
    if (typeof obj !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      throw new Error(`${source}: document ${i + 1} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
    }
    out.push(obj as KubeObject);
  });
  return out;
}

/** The REST paths of an object: its collection (for create) and itself. */
export function objectPaths(registry: ResourceRegistry, obj: KubeObject): { collection: string; item: string } {
  const r = registry.byKind(obj.apiVersion, obj.kind);
  if (!r) throw new Error(`${obj.kind} (${obj.apiVersion}) is not served by the gateway`);
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${apiVersionOf(r)}`;
  const ns = r.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
  const collection = `${base}${ns}/${r.plural}`;
  return { collection, item: `${collection}/${obj.metadata.name}` };
}

/** Creates each object, or replaces it when it exists; returns `kind/name created|configured` lines. */
export async function applyManifests(target: TargetLike, objects: readonly KubeObject[], registry = new ResourceRegistry()): Promise<string[]> {
  const done: string[] = [];
  for (const obj of objects) {
    const paths = objectPaths(registry, obj);
    const what = `${obj.kind.toLowerCase()}/${obj.metadata.name}`;
    try {
      await gatewayRequest(target, 'POST', paths.collection, obj);
      done.push(`${what} created`);
      continue;
    } catch (err) {
      if (!(err instanceof GatewayRequestError && err.status === 409)) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
    }
    for (let attempt = 1; ; attempt++) {
      const current = await gatewayRequest<KubeObject>(target, 'GET', paths.item);
      const replacement = { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } };
      try {
        await gatewayRequest(target, 'PUT', paths.item, replacement);
        done.push(`${what} configured`);
        break;
      } catch (err) {
        // Conflict: someone (a status writer) changed it in between; read again.
        if (!(err instanceof GatewayRequestError && err.status === 409) || attempt >= REPLACE_ATTEMPTS) {
          throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
        }
      }
    }
  }
  return done;
}

/** The Service the demo exposes, and its DNS name. */
export interface DemoService {
  namespace: string;
  name: string;
  port: number;
  dnsName: string;
}

/** The first LoadBalancer Service of the manifests and its name under `zone`. */
export function demoService(objects: readonly KubeObject[], zone: string): DemoService {
  const svc = objects.find((o) => o.kind === 'Service' && (o['spec'] as { type?: string } | undefined)?.type === 'LoadBalancer');
  const port = (svc?.['spec'] as { ports?: { port?: number }[] } | undefined)?.ports?.[0]?.port;
  if (!svc || typeof port !== 'number') throw new Error('the demo manifests have no LoadBalancer Service with a port');
  const namespace = svc.metadata.namespace ?? 'default';
  return { namespace, name: svc.metadata.name!, port, dnsName: `${svc.metadata.name}.${namespace}.svc.${zone}` };
}

/** What the demo answered. */
export interface DemoAnswer {
  /** Addresses the DNS name answered with while waiting. */
  addresses: string[];
  /** An address that answered HTTP 200 (process runtime only). */
  servedBy?: string;
  /** The HTTP body it answered. */
  body?: string;
  /** Replicas per member, from the federated Deployment's status. */
  replicas: { cluster: string; replicas: number }[];
  /** Expected share of DNS answers per member (percent), from the TrafficPolicy's status. */
  shares: { cluster: string; share: number }[];
}

/** Options of `waitForDemo`. */
export interface WaitForDemoOptions {
  /** The gateway's REST API (URL, CA, credentials). */
  api: TargetLike;
  /** `host:port` of the gateway's DNS server. */
  dnsAddress: string;
  service: DemoService;
  /** The federated Deployment to wait for. */
  deployment: { namespace: string; name: string };
  /** The TrafficPolicy of the Service: its status must show every member with replicas serving. */
  trafficPolicy?: { namespace: string; name: string };
  /** Also wait for an HTTP 200 (pods run real processes). */
  http: boolean;
  timeoutMs?: number;
  /** Stops the wait early (Ctrl-C). */
  signal?: AbortSignal;
}

async function httpOk(address: string, port: number): Promise<string | undefined> {
  const res = await fetch(`http://${address}:${port}/`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  const body = await res.text();
  return res.status === 200 ? body : undefined;
}

interface TrafficAnswer {
  cluster: string;
  share?: number;
  serving?: boolean;
  readyEndpoints?: number;
}

/**
 * Waits until every replica of the federated Deployment is ready, the TrafficPolicy (when
 * given) shows every member with replicas serving, the Service's DNS name answers, and (with
 * `http`) an answered address serves HTTP 200. Throws on timeout with what was still missing.
 */
export async function waitForDemo(o: WaitForDemoOptions): Promise<DemoAnswer> {
  const deadline = Date.now() + (o.timeoutMs ?? DEMO_TIMEOUT_MS);
  const resolver = new Resolver({ timeout: PROBE_TIMEOUT_MS, tries: 1 });
  resolver.setServers([o.dnsAddress]);
  const addresses = new Set<string>();
  const depPath = `/apis/apps/v1/namespaces/${o.deployment.namespace}/deployments/${o.deployment.name}`;
  let missing = 'the Deployment to be ready';
  const tpPath = o.trafficPolicy
    ? `/apis/networking.fedgate.io/v1alpha1/namespaces/${o.trafficPolicy.namespace}/trafficpolicies/${o.trafficPolicy.name}`
    : undefined;
  let replicas: DemoAnswer['replicas'] = [];
  let shares: DemoAnswer['shares'] = [];
  for (;;) {
    if (o.signal?.aborted) throw new Error('stopped');
    try {
      const dep = await gatewayRequest<KubeObject>(o.api, 'GET', depPath);
      const spec = dep['spec'] as { replicas?: number } | undefined;
      const status = dep['status'] as { readyReplicas?: number; clusters?: { cluster: string; replicas?: number }[] } | undefined;
      replicas = (status?.clusters ?? []).map((c) => ({ cluster: c.cluster, replicas: c.replicas ?? 0 }));
      let serving = (status?.readyReplicas ?? 0) >= (spec?.replicas ?? 1);
      if (serving && tpPath) {
        missing = 'every member with replicas to serve DNS answers with all of them';
        const tp = await gatewayRequest<KubeObject>(o.api, 'GET', tpPath);
        const answers = ((tp['status'] as { answers?: TrafficAnswer[] } | undefined)?.answers ?? []);
        shares = answers.map((a) => ({ cluster: a.cluster, share: a.share ?? 0 }));
        // Caught up: every member with replicas serves, with all of them as ready endpoints
        // (then the shares printed are the ones DNS answers with).
        serving = replicas
          .filter((r) => r.replicas > 0)
          .every((r) => answers.some((a) => a.cluster === r.cluster && a.serving === true && a.readyEndpoints === r.replicas));
      }
      if (serving) {
        missing = `${o.service.dnsName} to answer`;
        const answered = await resolver.resolve4(o.service.dnsName).catch(() => [] as string[]);
        for (const a of answered) addresses.add(a);
        if (answered.length > 0) {
          if (!o.http) return { addresses: [...addresses], replicas, shares };
          missing = `http://${answered[0]}:${o.service.port}/ to answer 200`;
          const body = await httpOk(answered[0]!, o.service.port).catch(() => undefined);
          if (body !== undefined) return { addresses: [...addresses], servedBy: answered[0]!, body, replicas, shares };
        }
      }
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${missing}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Reads and parses the demo manifests. */
export function loadDemoManifests(file = DEMO_MANIFEST_FILE): KubeObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the demo manifests ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseManifests(text, file);
}

/** The lines that tell how to reach the demo (dig and curl). */
export function demoInstructions(service: DemoService, deploymentName: string, dnsAddress: string, answer: DemoAnswer, http: boolean): string[] {
  const at = dnsAddress.lastIndexOf(':');
  const host = dnsAddress.slice(0, at).replace(/^\[|\]$/g, '');
  const port = dnsAddress.slice(at + 1);
  const split = answer.replicas.filter((r) => r.replicas > 0).map((r) => `${r.cluster} ${r.replicas}`).join(', ');
  const shares = answer.shares.filter((s) => s.share > 0).map((s) => `${s.cluster} ${s.share}%`).join(', ');
  const lines = [`demo: Deployment ${service.namespace}/${deploymentName}${split ? ` (replicas: ${split})` : ''} answers at ${service.dnsName}${shares ? ` (DNS shares: ${shares})` : ''}`];
  lines.push(`  dig @${host} -p ${port} ${service.dnsName}`);
  if (http && answer.servedBy) {
    lines.push(`  curl http://${answer.servedBy}:${service.port}/`);
    lines.push(`  curl http://$(dig +short @${host} -p ${port} ${service.dnsName}):${service.port}/`);
  } else if (!http) {
    lines.push('  (--runtime simulated: the pods run no processes, so nothing answers HTTP)');
  }
  return lines;
}
