/**
 * `fedgate delete KIND NAME... | -f FILE | -l SELECTOR | --all`: deletes objects as
 * `kubectl delete` does, prints `deployment.apps "web" deleted` per object, and by default
 * waits until each is gone (an object with finalizers, or a namespace emptying itself, stays
 * for a while after the DELETE).
 */
import type { KubeList, KubeObject, ResourceInfo } from '../../apimachinery/index.js';
import { ApiResources, kindGroup, resourcePath } from '../api-discovery.js';
import { gatewayRequest, GatewayRequestError, isNotFoundAnswer, type TargetLike } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { readManifests } from '../manifests.js';
import { listQuery, parseResourceArgs } from '../resource-args.js';
import { namespaceOf } from '../target-flags.js';
import { parseDuration } from './token.js';

/** How often `--wait` looks whether a deleted object is gone. */
const WAIT_POLL_MS = 200;

/** `--cascade` values and the propagationPolicy each sends. */
import { CASCADE_POLICIES } from '../cascade.js';
export { CASCADE_POLICIES };

/** Flags of `fedgate delete`. */
export interface DeleteFlags extends TargetFlags {
  filename?: string[];
  recursive?: boolean;
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  all?: boolean;
  cascade: keyof typeof CASCADE_POLICIES;
  wait: boolean;
  timeout: string;
  ignoreNotFound?: boolean;
  dryRun?: 'none' | 'server';
}

interface Victim {
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
  /** Found by listing: a 404 then means someone else deleted it first. */
  listed: boolean;
}

const isNamespaceResource = (r: ResourceInfo): boolean => r.group === '' && r.plural === 'namespaces';

async function victimsOf(target: TargetLike, api: ApiResources, args: string[], flags: DeleteFlags, namespace: string): Promise<Victim[]> {
  if (flags.filename && flags.filename.length > 0) {
    if (args.length > 0) throw new Error('pass either resources or -f FILE, not both');
    const victims = readManifests(flags.filename, { recursive: flags.recursive ?? false }).map((m) => {
      const resource = api.forKind(m.object.apiVersion, m.object.kind);
      const ns = resource.namespaced ? m.object.metadata.namespace || namespace : undefined;
      return { resource, namespace: ns, name: m.object.metadata.name!, listed: false };
    });
    // Namespaces last: deleting one deletes what is in it, which would make the others 404.
    return [...victims.filter((v) => !isNamespaceResource(v.resource)), ...victims.filter((v) => isNamespaceResource(v.resource))];
  }
  const victims: Victim[] = [];
  for (const req of parseResourceArgs(args, api)) {
    const r = req.resource;
    if (req.names.length > 0) {
      if (flags.all || flags.selector) throw new Error('names cannot be combined with --all or -l');
      for (const name of req.names) victims.push({ resource: r, namespace: r.namespaced ? namespace : undefined, name, listed: false });
      continue;
    }
    if (!flags.all && !flags.selector) throw new Error(`resource(s) were provided, but no name was specified: pass NAME, -l SELECTOR or --all`);
    const ns = r.namespaced && !flags.allNamespaces ? namespace : undefined;
    const list = await gatewayRequest<KubeList>(target, 'GET', `${resourcePath(r, ns)}${listQuery({ labelSelector: flags.selector })}`);
    for (const o of list.items ?? []) victims.push({ resource: r, namespace: o.metadata.namespace, name: o.metadata.name ?? '', listed: true });
  }
  return victims;
}

/** Resolves when the object is gone (404, or replaced by a new one with another uid); throws after `deadline`. */
async function waitGone(target: TargetLike, v: Victim, uid: string | undefined, deadline: number): Promise<void> {
  const path = resourcePath(v.resource, v.namespace, v.name);
  for (;;) {
    try {
      const o = await gatewayRequest<KubeObject>(target, 'GET', path);
      if (uid && o.metadata?.uid !== uid) return;
    } catch (err) {
      if (isNotFoundAnswer(err)) return;
      throw err;
    }
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${kindGroup(v.resource)} "${v.name}" to be deleted`);
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}

/** The action of `fedgate delete`. */
export async function deleteCommand(args: string[], flags: DeleteFlags): Promise<void> {
  const timeoutMs = parseDuration(flags.timeout, '--timeout') * 1000;
  const target = resolveTarget(flags);
  const api = await ApiResources.discover(target);
  const namespace = namespaceOf(flags.namespace, target);
  const victims = await victimsOf(target, api, args, flags, namespace);
  if (victims.length === 0) {
    process.stderr.write('No resources found\n');
    return;
  }
  const dryRun = flags.dryRun === 'server';
  const query = listQuery({ propagationPolicy: CASCADE_POLICIES[flags.cascade], ...(dryRun ? { dryRun: 'All' } : {}) });
  let failed = 0;
  const deleted: { victim: Victim; uid: string | undefined }[] = [];
  for (const v of victims) {
    const label = `${kindGroup(v.resource)} "${v.name}"`;
    try {
      const gone = await gatewayRequest<KubeObject | undefined>(target, 'DELETE', `${resourcePath(v.resource, v.namespace, v.name)}${query}`);
      process.stdout.write(`${label} deleted${dryRun ? ' (server dry run)' : ''}\n`);
      deleted.push({ victim: v, uid: gone?.metadata?.uid });
    } catch (err) {
      if (isNotFoundAnswer(err) && (flags.ignoreNotFound || v.listed)) continue;
      failed++;
      const prefix = err instanceof GatewayRequestError ? `Error from server${err.reason ? ` (${err.reason})` : ''}` : 'error';
      process.stderr.write(`${prefix}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (flags.wait && !dryRun) {
    const deadline = Date.now() + timeoutMs;
    for (const { victim, uid } of deleted) {
      try {
        await waitGone(target, victim, uid, deadline);
      } catch (err) {
        failed++;
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }
  if (failed > 0) process.exitCode = 1;
}
