/**
 * `fedgate apply -f FILE|DIR|-`: create or update every object of the manifests, as
 * `kubectl apply` (client-side) does. Each object is read first: missing → POST (created);
 * present → a three-way JSON merge patch from the last applied manifest, the live object and
 * the new manifest (configured), or nothing when the patch is empty (unchanged). The
 * manifest is recorded in kubectl's last-applied annotation, so fedgate and kubectl can take
 * turns. Kinds map to paths through the server's discovery documents.
 */
import type { KubeObject, ResourceInfo } from '../../apimachinery/index.js';
import { ApiResources, kindGroup, resourcePath } from '../api-discovery.js';
import { gatewayRequest, GatewayRequestError, isNotFoundAnswer, type TargetLike } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { readManifests, sourceOf, type Manifest } from '../manifests.js';
import { namespaceOf } from '../target-flags.js';
import { jsonEqual, lastAppliedOf, threeWayMergePatch, withLastApplied } from '../three-way-merge.js';

/** Flags of `fedgate apply`. */
export interface ApplyFlags extends TargetFlags {
  filename: string[];
  recursive?: boolean;
  namespace?: string;
  dryRun?: 'none' | 'server';
}

/** What applying one object did. */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** One object ready to apply: its resource, namespace and the body to send. */
interface PlannedObject {
  manifest: Manifest;
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
  desired: KubeObject;
}

/** Resolves the resource and namespace of every manifest; throws on the first that cannot be applied. */
export function planApply(manifests: readonly Manifest[], api: ApiResources, flagNamespace: string | undefined, defaultNamespace: string): PlannedObject[] {
  const planned = manifests.map((m) => {
    const where = sourceOf(m);
    let resource: ResourceInfo;
    try {
      resource = api.forKind(m.object.apiVersion, m.object.kind);
    } catch (err) {
      throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const obj = structuredClone(m.object);
    const own = obj.metadata.namespace;
    let namespace: string | undefined;
    if (resource.namespaced) {
      if (own && flagNamespace && own !== flagNamespace) {
        throw new Error(`${where}: the namespace from the provided object "${own}" does not match the namespace "${flagNamespace}": pass --namespace ${own} or remove it from the manifest`);
      }
      namespace = own || defaultNamespace;
      obj.metadata.namespace = namespace;
    } else {
      delete obj.metadata.namespace;
    }
    return { manifest: m, resource, namespace, name: obj.metadata.name!, desired: withLastApplied(obj) };
  });
  // Namespaces first, so the objects in them can be created in the same run.
  const isNamespace = (p: PlannedObject): boolean => p.resource.group === '' && p.resource.plural === 'namespaces';
  return [...planned.filter(isNamespace), ...planned.filter((p) => !isNamespace(p))];
}

function withoutVolatile(obj: KubeObject): unknown {
  const { status: _status, ...rest } = obj;
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return { ...rest, metadata };
}

/** Creates or updates one object; resolves with what happened. */
export async function applyObject(target: TargetLike, p: Pick<PlannedObject, 'resource' | 'namespace' | 'name' | 'desired'>, dryRun: boolean): Promise<ApplyOutcome> {
  const path = resourcePath(p.resource, p.namespace, p.name);
  const query = dryRun ? '?dryRun=All' : '';
  let current: KubeObject | undefined;
  try {
    current = await gatewayRequest<KubeObject>(target, 'GET', path);
  } catch (err) {
    if (!isNotFoundAnswer(err)) throw err;
  }
  if (!current) {
    try {
      await gatewayRequest(target, 'POST', `${resourcePath(p.resource, p.namespace)}${query}`, p.desired);
      return 'created';
    } catch (err) {
      // Created by someone else since the read: update it instead.
      if (!(err instanceof GatewayRequestError && err.reason === 'AlreadyExists')) throw err;
      current = await gatewayRequest<KubeObject>(target, 'GET', path);
    }
  }
  const patch = threeWayMergePatch(lastAppliedOf(current), p.desired as Record<string, unknown>, current as Record<string, unknown>);
  if (Object.keys(patch).length === 0) return 'unchanged';
  const result = await gatewayRequest<KubeObject>(target, 'PATCH', `${path}${query}`, patch, 'application/merge-patch+json');
  // The server writes nothing when the patch changes nothing it keeps (status, defaults): the version stays.
  if (dryRun) return jsonEqual(withoutVolatile(result), withoutVolatile(current)) ? 'unchanged' : 'configured';
  return result.metadata?.resourceVersion === current.metadata.resourceVersion ? 'unchanged' : 'configured';
}

/** The action of `fedgate apply`. */
export async function applyCommand(flags: ApplyFlags): Promise<void> {
  const manifests = readManifests(flags.filename ?? [], { recursive: flags.recursive ?? false });
  if (manifests.length === 0) throw new Error('no objects passed to apply');
  const target = resolveTarget(flags);
  const api = await ApiResources.discover(target);
  const planned = planApply(manifests, api, flags.namespace, namespaceOf(flags.namespace, target));
  const dryRun = flags.dryRun === 'server';
  let failed = 0;
  for (const p of planned) {
    const label = `${kindGroup(p.resource)}/${p.name}`;
    try {
      const outcome = await applyObject(target, p, dryRun);
      process.stdout.write(`${label} ${outcome}${dryRun ? ' (server dry run)' : ''}\n`);
    } catch (err) {
      failed++;
      const prefix = err instanceof GatewayRequestError ? `Error from server${err.reason ? ` (${err.reason})` : ''}` : 'error';
      process.stderr.write(`${prefix}: applying ${label} from ${sourceOf(p.manifest)}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}
