/**
 * `fedgate clusters`: the member clusters of the federation, one line each — readiness,
 * where they are, their weight, nodes and capacity, as their heartbeats last reported.
 */
import { Groups, type Cluster, type KubeList } from '../../apimachinery/index.js';
import { gatewayRequest } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import { ageOf, asList, formatColumns, formatObject, withTypeMeta } from '../printers.js';
import { listQuery } from '../resource-args.js';

/** Flags of `fedgate clusters`. */
export interface ClustersFlags extends TargetFlags {
  selector?: string;
  output?: 'wide' | 'yaml' | 'json' | 'name';
}

/** REST path of the Cluster collection. */
export const CLUSTERS_PATH = `/apis/${Groups.cluster}/v1alpha1/clusters`;

/** The Ready condition's status: True, False or Unknown. */
export function clusterReady(c: Cluster): string {
  return c.status?.conditions?.find((x) => x.type === 'Ready')?.status ?? 'Unknown';
}

/** The table `fedgate clusters` prints (header first); WEIGHT only when a cluster sets one. */
export function clusterRows(clusters: readonly Cluster[], now: number, wide = false): string[][] {
  const weights = clusters.some((c) => c.spec?.weight !== undefined);
  const header = ['NAME', 'READY', 'REGION', 'ZONE', ...(weights ? ['WEIGHT'] : []), 'NODES', 'CPU', 'MEMORY', 'AGE', ...(wide ? ['API ENDPOINT', 'VERSION'] : [])];
  const rows = clusters.map((c) => {
    const st = c.status ?? {};
    return [
      c.metadata.name ?? '',
      clusterReady(c),
      c.spec?.region ?? '<none>',
      c.spec?.zone ?? (c.spec?.zones?.join(',') || '<none>'),
      ...(weights ? [c.spec?.weight === undefined ? '<none>' : String(c.spec.weight)] : []),
      st.nodes ? `${st.nodes.ready}/${st.nodes.total}` : '<none>',
      st.capacity?.['cpu'] ?? '<none>',
      st.capacity?.['memory'] ?? '<none>',
      ageOf(c.metadata.creationTimestamp, now),
      ...(wide ? [c.spec?.apiEndpoint ?? '<none>', st.kubernetesVersion ?? '<none>'] : []),
    ];
  });
  return [header, ...rows];
}

/** The action of `fedgate clusters`. */
export async function clustersCommand(flags: ClustersFlags): Promise<void> {
  const target = resolveTarget(flags);
  const list = await gatewayRequest<KubeList<Cluster>>(target, 'GET', `${CLUSTERS_PATH}${listQuery({ labelSelector: flags.selector })}`);
  const clusters = withTypeMeta(list.items ?? [], { group: Groups.cluster, version: 'v1alpha1', kind: 'Cluster' }) as Cluster[];
  if (flags.output === 'json' || flags.output === 'yaml') {
    process.stdout.write(formatObject(asList(clusters), flags.output));
    return;
  }
  if (flags.output === 'name') {
    for (const c of clusters) process.stdout.write(`cluster.${Groups.cluster}/${c.metadata.name ?? ''}\n`);
    return;
  }
  if (clusters.length === 0) {
    process.stderr.write('No clusters have joined the federation (fedgate token create prints how to join one)\n');
    return;
  }
  process.stdout.write(formatColumns(clusterRows(clusters, Date.now(), flags.output === 'wide')));
}
