/**
 * `fedgate describe KIND [NAME...]`: a human description of objects — metadata, a summary
 * of the spec, and the status; for a federated template, where it is placed and how each
 * member cluster's copy is doing. Without a name, every object of the kind (`-l` to filter).
 */
import type { KubeList, KubeObject } from '../../apimachinery/index.js';
import { ApiResources, resourcePath } from '../api-discovery.js';
import { describeObject } from '../describers.js';
import { gatewayRequest, GatewayRequestError } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { listQuery, parseResourceArgs } from '../resource-args.js';
import { namespaceOf } from '../target-flags.js';

/** Flags of `fedgate describe`. */
export interface DescribeFlags extends TargetFlags {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
}

/** The action of `fedgate describe`. */
export async function describeCommand(args: string[], flags: DescribeFlags): Promise<void> {
  const target = resolveTarget(flags);
  const api = await ApiResources.discover(target);
  const requests = parseResourceArgs(args, api);
  const namespace = flags.allNamespaces ? undefined : namespaceOf(flags.namespace, target);
  const texts: string[] = [];
  let missing = 0;
  for (const { resource: r, names } of requests) {
    const ns = r.namespaced ? namespace : undefined;
    if (names.length === 0) {
      const items = (await gatewayRequest<KubeList>(target, 'GET', `${resourcePath(r, ns)}${listQuery({ labelSelector: flags.selector })}`)).items ?? [];
      for (const o of items) texts.push(describeObject(o, r, Date.now()));
      continue;
    }
    if (flags.allNamespaces && r.namespaced) throw new Error('a name cannot be combined with --all-namespaces: pass -n NAMESPACE');
    for (const name of names) {
      try {
        texts.push(describeObject(await gatewayRequest<KubeObject>(target, 'GET', resourcePath(r, ns, name)), r, Date.now()));
      } catch (err) {
        if (!(err instanceof GatewayRequestError && err.status === 404)) throw err;
        missing++;
        process.stderr.write(`Error from server (NotFound): ${err.message}\n`);
      }
    }
  }
  process.stdout.write(texts.join('\n'));
  if (texts.length === 0 && missing === 0) {
    process.stderr.write(namespace !== undefined && requests.every((q) => q.resource.namespaced) ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
  }
  if (missing > 0) process.exitCode = 1;
}
