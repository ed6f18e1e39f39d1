/**
 * Column definitions of every served kind, in one place: what `kubectl get` and
 * `fedgate get` print, after kube-apiserver's printers (pkg/printers/internalversion) for
 * Kubernetes' kinds and fedgate's own choice for the federation's. Each column reads the
 * object defensively: a missing field prints as kubectl prints it (`<none>`, `0`). Priority 1
 * columns appear with `-o wide`.
 *
 * On the federation gateway, templates (Deployments, Services, ConfigMaps, Secrets, Jobs)
 * get a CLUSTERS column: per member cluster, ready/desired replicas for workloads, the cluster
 * name for the rest, `pending` before the member applied the current generation, `error`
 * when it refused it — `eu-west 2/2, us-east 1/1`.
 */
import { humanDuration, type KubeObject, type MemberObjectStatus, type ResourceInfo } from '../apimachinery/index.js';

/** metav1.TableColumnDefinition. */
export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** What a cell function may need besides the object. */
export interface PrintContext {
  now: Date;
}

/** One column: its definition and how to compute its cell. */
export interface PrintColumn {
  definition: TableColumnDefinition;
  cell: (obj: KubeObject, ctx: PrintContext) => string | number | boolean;
}

/** The columns of a kind. */
export interface Printer {
  columns: readonly PrintColumn[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a dotted path, or undefined. */
function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function str(v: unknown, fallback = '<none>'): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** kubectl's age form (one definition, in apimachinery). */
export { humanDuration };

/** Time since an RFC 3339 timestamp, as an age; `<unknown>` without one. */
export function ageOf(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}

function column(name: string, cell: PrintColumn['cell'], opts: Partial<TableColumnDefinition> = {}): PrintColumn {
  return {
    definition: { name, type: opts.type ?? 'string', format: opts.format ?? '', description: opts.description ?? '', priority: opts.priority ?? 0 },
    cell,
  };
}

const NAME = column('Name', (o) => o.metadata.name ?? '', {
  format: 'name',
  description: 'Name must be unique within a namespace. It is required when creating resources.',
});
const AGE = column('Age', (o, c) => ageOf(o.metadata.creationTimestamp, c.now), {
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
});

function wide(name: string, cell: PrintColumn['cell'], description = ''): PrintColumn {
  return column(name, cell, { priority: 1, description });
}

/** `a=b,c=d` of a string map, `<none>` when empty. */
function mapText(v: unknown): string {
  if (!isObj(v)) return '<none>';
  const parts = Object.entries(v).map(([k, x]) => `${k}=${String(x)}`);
  return parts.length > 0 ? parts.join(',') : '<none>';
}

/** A label selector object (`matchLabels`, `matchExpressions`) as text. */
function selectorText(sel: unknown): string {
  if (!isObj(sel)) return '<none>';
  const parts: string[] = [];
  if (isObj(sel['matchLabels'])) for (const [k, v] of Object.entries(sel['matchLabels'])) parts.push(`${k}=${String(v)}`);
  for (const e of list(sel['matchExpressions'])) {
    if (!isObj(e)) continue;
    const key = String(e['key'] ?? '');
    const values = list(e['values']).map(String).join(',');
    switch (e['operator']) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return parts.length > 0 ? parts.join(',') : '<none>';
}

function podSpecOf(o: KubeObject): Obj | undefined {
  const spec = at(o, 'spec.template.spec') ?? at(o, 'spec.jobTemplate.spec.template.spec');
  return isObj(spec) ? spec : undefined;
}

const CONTAINERS = wide('Containers', (o) => list(podSpecOf(o)?.['containers']).map((c) => str(at(c, 'name'), '')).join(',') || '<none>', 'Names of each container in the template.');
const IMAGES = wide('Images', (o) => list(podSpecOf(o)?.['containers']).map((c) => str(at(c, 'image'), '')).join(',') || '<none>', 'Images referenced by each container in the template.');
const SELECTOR = wide('Selector', (o) => selectorText(at(o, 'spec.selector')), 'Label selector of the pods.');

const WORKLOAD_WIDE = [CONTAINERS, IMAGES, SELECTOR];

function conditionStatus(o: unknown, type: string): string | undefined {
  const c = list(at(o, 'status.conditions')).find((x) => isObj(x) && x['type'] === type);
  return isObj(c) && typeof c['status'] === 'string' ? c['status'] : undefined;
}

// ---- core ---------------------------------------------------------------------------------

function servicePorts(o: KubeObject): string {
  const ports = list(at(o, 'spec.ports')).filter(isObj);
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => {
      const proto = str(p['protocol'], 'TCP');
      const node = typeof p['nodePort'] === 'number' && p['nodePort'] > 0 ? `:${p['nodePort']}` : '';
      return `${String(p['port'] ?? '')}${node}/${proto}`;
    })
    .join(',');
}

function serviceExternalIP(o: KubeObject): string {
  const type = str(at(o, 'spec.type'), 'ClusterIP');
  const external = list(at(o, 'spec.externalIPs')).map(String);
  if (type === 'ExternalName') return str(at(o, 'spec.externalName'));
  if (type === 'LoadBalancer') {
    const ingress = list(at(o, 'status.loadBalancer.ingress'))
      .filter(isObj)
      .map((i) => str(i['ip'], '') || str(i['hostname'], ''))
      .filter(Boolean);
    const all = [...external, ...ingress];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : '<none>';
}

function countKeys(...maps: unknown[]): number {
  return maps.reduce<number>((n, m) => n + (isObj(m) ? Object.keys(m).length : 0), 0);
}

function involvedObject(o: KubeObject): string {
  const kind = str(at(o, 'involvedObject.kind'), '').toLowerCase();
  const name = str(at(o, 'involvedObject.name'), '');
  return kind ? `${kind}/${name}` : name;
}

// ---- pods ---------------------------------------------------------------------------------

function podStatusReason(o: KubeObject): string {
  let reason = str(at(o, 'status.reason'), '') || str(at(o, 'status.phase'), 'Unknown');
  const init = list(at(o, 'status.initContainerStatuses')).filter(isObj);
  for (const [i, s] of init.entries()) {
    const terminated = at(s, 'state.terminated');
    const waiting = at(s, 'state.waiting');
    if (isObj(terminated) && num(terminated['exitCode']) === 0) continue;
    if (isObj(terminated)) reason = str(terminated['reason'], '') ? `Init:${String(terminated['reason'])}` : `Init:ExitCode:${num(terminated['exitCode'])}`;
    else if (isObj(waiting) && str(waiting['reason'], '') && waiting['reason'] !== 'PodInitializing') reason = `Init:${String(waiting['reason'])}`;
    else reason = `Init:${i}/${list(at(o, 'spec.initContainers')).length}`;
    return reason;
  }
  let running = false;
  for (const s of list(at(o, 'status.containerStatuses')).filter(isObj).reverse()) {
    const waiting = at(s, 'state.waiting');
    const terminated = at(s, 'state.terminated');
    if (isObj(waiting) && str(waiting['reason'], '')) reason = String(waiting['reason']);
    else if (isObj(terminated) && str(terminated['reason'], '')) reason = String(terminated['reason']);
    else if (isObj(terminated)) reason = isObj(terminated) && num(terminated['signal']) !== 0 ? `Signal:${num(terminated['signal'])}` : `ExitCode:${num(terminated['exitCode'])}`;
    else if (isObj(at(s, 'state.running')) && s['ready'] === true) running = true;
  }
  if (reason === 'Completed' && running) reason = conditionStatus(o, 'Ready') === 'True' ? 'Running' : 'NotReady';
  if (o.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podRestarts(o: KubeObject, now: Date): string {
  let restarts = 0;
  let last: number | undefined;
  for (const s of list(at(o, 'status.containerStatuses')).filter(isObj)) {
    restarts += num(s['restartCount']);
    const finished = at(s, 'lastState.terminated.finishedAt');
    if (typeof finished === 'string') {
      const t = Date.parse(finished);
      if (!Number.isNaN(t) && (last === undefined || t > last)) last = t;
    }
  }
  return last !== undefined && restarts > 0 ? `${restarts} (${humanDuration(now.getTime() - last)} ago)` : String(restarts);
}

// ---- federation ---------------------------------------------------------------------------

/** The most clusters a CLUSTERS cell names before `+N more`. */
const MAX_CLUSTERS_IN_CELL = 5;

/**
 * Where a federated template runs, one entry per member cluster: `eu-west 2/2` (ready/desired
 * replicas of a workload), `eu-west` (applied), `eu-west pending` (the member has not applied
 * the current generation), `eu-west error` (it refused it); `<none>` when unplaced.
 */
export function clustersCell(o: KubeObject): string {
  const entries = list(at(o, 'status.clusters')).filter(isObj) as unknown as MemberObjectStatus[];
  if (entries.length === 0) return '<none>';
  const parts = entries.slice(0, MAX_CLUSTERS_IN_CELL).map((e) => {
    const name = String(e.cluster ?? '?');
    if (e.lastError) return `${name} error`;
    if (typeof e.replicas === 'number') {
      const ready = num(at(e.status, 'readyReplicas'));
      return `${name} ${ready}/${e.replicas}`;
    }
    return e.applied ? name : `${name} pending`;
  });
  if (entries.length > MAX_CLUSTERS_IN_CELL) parts.push(`+${entries.length - MAX_CLUSTERS_IN_CELL} more`);
  return parts.join(', ');
}

const CLUSTERS = column('Clusters', clustersCell, { description: 'Member clusters the template is placed in, with ready/desired replicas for workloads.' });

function resourceSelectorsText(o: KubeObject): string {
  const sels = list(at(o, 'spec.resourceSelectors')).filter(isObj);
  if (sels.length === 0) return '*';
  return sels
    .map((s) => {
      const kind = str(s['kind'], '*');
      if (typeof s['name'] === 'string' && s['name'] !== '') return `${kind}/${s['name']}`;
      if (isObj(s['labelSelector'])) return `${kind}(${selectorText(s['labelSelector'])})`;
      return `${kind}/*`;
    })
    .join(', ');
}

function placementText(o: KubeObject): string {
  const rs = at(o, 'spec.placement.replicaScheduling');
  const type = str(at(rs, 'replicaSchedulingType'), 'Duplicated');
  if (type !== 'Divided') return type;
  const dynamic = at(rs, 'weightPreference.dynamicWeight');
  if (dynamic) return `Divided(${String(dynamic)})`;
  const pref = str(at(rs, 'replicaDivisionPreference'), '');
  return pref ? `Divided(${pref})` : 'Divided';
}

function affinityText(o: KubeObject): string {
  const aff = at(o, 'spec.placement.clusterAffinity');
  if (!isObj(aff)) return '*';
  const parts: string[] = [];
  const names = list(aff['clusterNames']).map(String);
  if (names.length > 0) parts.push(names.join(','));
  if (isObj(aff['labelSelector'])) parts.push(selectorText(aff['labelSelector']));
  for (const e of list(at(aff, 'fieldSelector.matchExpressions')).filter(isObj)) {
    parts.push(`${String(e['key'])} ${e['operator'] === 'NotIn' ? 'notin' : 'in'} (${list(e['values']).map(String).join(',')})`);
  }
  const exclude = list(aff['exclude']).map(String);
  if (exclude.length > 0) parts.push(`!${exclude.join(',!')}`);
  return parts.length > 0 ? parts.join(' ') : '*';
}

/** `available/allocatable` of one resource of a Cluster, `<unknown>` before the first heartbeat. */
function availableOf(o: KubeObject, resource: string): string {
  const available = at(o, `status.available.${resource}`);
  const allocatable = at(o, `status.allocatable.${resource}`);
  if (available === undefined && allocatable === undefined) return '<unknown>';
  return `${str(available, '?')}/${str(allocatable, '?')}`;
}

const POLICY_COLUMNS = [
  NAME,
  column('Resources', resourceSelectorsText, { description: 'The templates the policy selects.' }),
  column('Placement', placementText, { description: 'Duplicated, or Divided and how.' }),
  column('Clusters', affinityText, { description: 'Cluster affinity: names, labels, fields.' }),
  AGE,
  wide('Priority', (o) => num(at(o, 'spec.priority')), 'The highest-priority matching policy wins.'),
];

// ---- the table of printers -------------------------------------------------------------

const PRINTERS: Record<string, Printer> = {
  '/namespaces': { columns: [NAME, column('Status', (o) => str(at(o, 'status.phase'), 'Active'), { description: 'The phase of the namespace.' }), AGE] },
  '/configmaps': { columns: [NAME, column('Data', (o) => countKeys(o['data'], o['binaryData']), { type: 'integer' }), AGE] },
  '/secrets': {
    columns: [NAME, column('Type', (o) => str(o['type'], 'Opaque')), column('Data', (o) => countKeys(o['data'], o['stringData']), { type: 'integer' }), AGE],
  },
  '/serviceaccounts': { columns: [NAME, column('Secrets', (o) => list(o['secrets']).length, { type: 'integer' }), AGE] },
  '/services': {
    columns: [
      NAME,
      column('Type', (o) => str(at(o, 'spec.type'), 'ClusterIP')),
      column('Cluster-IP', (o) => str(at(o, 'spec.clusterIP'))),
      column('External-IP', serviceExternalIP),
      column('Port(s)', servicePorts),
      AGE,
      wide('Selector', (o) => mapText(at(o, 'spec.selector'))),
    ],
  },
  '/events': {
    columns: [
      column('Last Seen', (o, c) => ageOf(o['lastTimestamp'] ?? o['eventTime'] ?? o.metadata.creationTimestamp, c.now)),
      column('Type', (o) => str(o['type'], 'Normal')),
      column('Reason', (o) => str(o['reason'], '')),
      column('Object', involvedObject),
      column('Message', (o) => str(o['message'], '').trim()),
      wide('Subobject', (o) => str(at(o, 'involvedObject.fieldPath'), '')),
      wide('Source', (o) => str(at(o, 'source.component'), '') || str(o['reportingComponent'], '')),
      wide('First Seen', (o, c) => ageOf(o['firstTimestamp'] ?? o['eventTime'], c.now)),
      wide('Count', (o) => num(o['count'], 1)),
      wide('Name', (o) => o.metadata.name ?? ''),
    ],
  },
  '/pods': {
    columns: [
      NAME,
      column('Ready', (o) => {
        const statuses = list(at(o, 'status.containerStatuses')).filter(isObj);
        const total = list(at(o, 'spec.containers')).length;
        return `${statuses.filter((s) => s['ready'] === true).length}/${total}`;
      }, { description: 'The aggregate readiness state of this pod for accepting traffic.' }),
      column('Status', podStatusReason, { description: 'The aggregate status of the containers in this pod.' }),
      column('Restarts', (o, c) => podRestarts(o, c.now)),
      AGE,
      wide('IP', (o) => str(at(o, 'status.podIP'))),
      wide('Node', (o) => str(at(o, 'spec.nodeName'))),
      wide('Nominated Node', (o) => str(at(o, 'status.nominatedNodeName'))),
      wide('Readiness Gates', (o) => {
        const gates = list(at(o, 'spec.readinessGates')).filter(isObj);
        if (gates.length === 0) return '<none>';
        const ok = gates.filter((g) => conditionStatus(o, String(g['conditionType'])) === 'True').length;
        return `${ok}/${gates.length}`;
      }),
    ],
  },
  '/nodes': {
    columns: [
      NAME,
      column('Status', (o) => {
        const ready = conditionStatus(o, 'Ready');
        const base = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
        return at(o, 'spec.unschedulable') === true ? `${base},SchedulingDisabled` : base;
      }),
      column('Roles', (o) => {
        const roles = Object.keys(o.metadata.labels ?? {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length));
        return roles.length > 0 ? roles.sort().join(',') : '<none>';
      }),
      AGE,
      column('Version', (o) => str(at(o, 'status.nodeInfo.kubeletVersion'), '')),
      wide('Internal-IP', (o) => str((list(at(o, 'status.addresses')).find((a) => isObj(a) && a['type'] === 'InternalIP') as Obj | undefined)?.['address'])),
      wide('External-IP', (o) => str((list(at(o, 'status.addresses')).find((a) => isObj(a) && a['type'] === 'ExternalIP') as Obj | undefined)?.['address'])),
      wide('OS-Image', (o) => str(at(o, 'status.nodeInfo.osImage'), '<unknown>')),
      wide('Kernel-Version', (o) => str(at(o, 'status.nodeInfo.kernelVersion'), '<unknown>')),
      wide('Container-Runtime', (o) => str(at(o, 'status.nodeInfo.containerRuntimeVersion'), '<unknown>')),
    ],
  },
  '/endpoints': {
    columns: [
      NAME,
      column('Endpoints', (o) => {
        const out: string[] = [];
        for (const s of list(o['subsets']).filter(isObj)) {
          const ports = list(s['ports']).filter(isObj).map((p) => num(p['port']));
          for (const a of list(s['addresses']).filter(isObj)) {
            if (ports.length === 0) out.push(String(a['ip']));
            else for (const p of ports) out.push(`${String(a['ip'])}:${p}`);
          }
        }
        if (out.length === 0) return '<none>';
        return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
      }),
      AGE,
    ],
  },
  '/persistentvolumeclaims': {
    columns: [
      NAME,
      column('Status', (o) => str(at(o, 'status.phase'), 'Pending')),
      column('Volume', (o) => str(at(o, 'spec.volumeName'), '')),
      column('Capacity', (o) => str(at(o, 'status.capacity.storage'), '')),
      column('Access Modes', (o) =>
        list(at(o, 'status.accessModes') ?? at(o, 'spec.accessModes'))
          .map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[String(m)] ?? String(m))
          .join(','),
      ),
      column('StorageClass', (o) => str(at(o, 'spec.storageClassName'), '<unset>')),
      column('VolumeAttributesClass', (o) => str(at(o, 'spec.volumeAttributesClassName'), '<unset>')),
      AGE,
      wide('VolumeMode', (o) => str(at(o, 'spec.volumeMode'), 'Filesystem')),
    ],
  },
  'apps/deployments': {
    columns: [
      NAME,
      column('Ready', (o) => `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'), 1)}`, { description: 'Number of the pod with ready state' }),
      column('Up-to-date', (o) => num(at(o, 'status.updatedReplicas')), { type: 'integer', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' }),
      column('Available', (o) => num(at(o, 'status.availableReplicas')), { type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' }),
      AGE,
      ...WORKLOAD_WIDE,
    ],
  },
  'apps/replicasets': {
    columns: [
      NAME,
      column('Desired', (o) => num(at(o, 'spec.replicas'), 1), { type: 'integer' }),
      column('Current', (o) => num(at(o, 'status.replicas')), { type: 'integer' }),
      column('Ready', (o) => num(at(o, 'status.readyReplicas')), { type: 'integer' }),
      AGE,
      ...WORKLOAD_WIDE,
    ],
  },
  'apps/daemonsets': {
    columns: [
      NAME,
      column('Desired', (o) => num(at(o, 'status.desiredNumberScheduled')), { type: 'integer' }),
      column('Current', (o) => num(at(o, 'status.currentNumberScheduled')), { type: 'integer' }),
      column('Ready', (o) => num(at(o, 'status.numberReady')), { type: 'integer' }),
      column('Up-to-date', (o) => num(at(o, 'status.updatedNumberScheduled')), { type: 'integer' }),
      column('Available', (o) => num(at(o, 'status.numberAvailable')), { type: 'integer' }),
      column('Node Selector', (o) => mapText(at(o, 'spec.template.spec.nodeSelector'))),
      AGE,
      ...WORKLOAD_WIDE,
    ],
  },
  'apps/statefulsets': {
    columns: [NAME, column('Ready', (o) => `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'), 1)}`), AGE, CONTAINERS, IMAGES],
  },
  'apps/controllerrevisions': {
    columns: [
      NAME,
      column('Controller', (o) => {
        const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
        if (!owner) return '<none>';
        const group = owner.apiVersion.includes('/') ? `.${owner.apiVersion.split('/')[0]}` : '';
        return `${owner.kind.toLowerCase()}${group}/${owner.name}`;
      }),
      column('Revision', (o) => num(o['revision']), { type: 'integer' }),
      AGE,
    ],
  },
  'batch/jobs': {
    columns: [
      NAME,
      column('Status', (o) => {
        for (const t of ['Failed', 'Complete', 'SuccessCriteriaMet', 'FailureTarget']) if (conditionStatus(o, t) === 'True') return t;
        if (at(o, 'spec.suspend') === true) return 'Suspended';
        return o.metadata.deletionTimestamp ? 'Terminating' : 'Running';
      }),
      column('Completions', (o) => {
        const completions = at(o, 'spec.completions');
        const succeeded = num(at(o, 'status.succeeded'));
        return typeof completions === 'number' ? `${succeeded}/${completions}` : `${succeeded}/1 of ${num(at(o, 'spec.parallelism'), 1)}`;
      }),
      column('Duration', (o, c) => {
        const start = at(o, 'status.startTime');
        if (typeof start !== 'string') return '';
        const end = at(o, 'status.completionTime');
        const until = typeof end === 'string' ? Date.parse(end) : c.now.getTime();
        return humanDuration(until - Date.parse(start));
      }),
      AGE,
      ...WORKLOAD_WIDE,
    ],
  },
  'rbac.authorization.k8s.io/roles': { columns: [NAME, column('Created At', (o) => str(o.metadata.creationTimestamp, ''), { type: 'date' })] },
  'rbac.authorization.k8s.io/clusterroles': { columns: [NAME, column('Created At', (o) => str(o.metadata.creationTimestamp, ''), { type: 'date' })] },
  'rbac.authorization.k8s.io/rolebindings': {
    columns: [NAME, column('Role', (o) => `${str(at(o, 'roleRef.kind'), '')}/${str(at(o, 'roleRef.name'), '')}`), AGE, ...bindingSubjects()],
  },
  'rbac.authorization.k8s.io/clusterrolebindings': {
    columns: [NAME, column('Role', (o) => `${str(at(o, 'roleRef.kind'), '')}/${str(at(o, 'roleRef.name'), '')}`), AGE, ...bindingSubjects()],
  },
  'cluster.fedgate.io/clusters': {
    columns: [
      NAME,
      column('Ready', (o) => conditionStatus(o, 'Ready') ?? 'Unknown', { description: 'The Ready condition: heartbeats arrive and the member stream is up.' }),
      column('Region', (o) => str(at(o, 'spec.region'))),
      column('Weight', (o) => num(at(o, 'spec.weight'), 1), { type: 'integer', description: 'Static weight when a policy gives none.' }),
      column('Nodes', (o) => {
        const n = at(o, 'status.nodes');
        return isObj(n) ? `${num(n['ready'])}/${num(n['total'])}` : '<unknown>';
      }, { description: 'Ready nodes / all nodes of the member.' }),
      AGE,
      wide('Zone', (o) => str(at(o, 'spec.zone'))),
      wide('Provider', (o) => str(at(o, 'spec.provider'))),
      wide('CPU', (o) => availableOf(o, 'cpu'), 'Available / allocatable CPU.'),
      wide('Memory', (o) => availableOf(o, 'memory'), 'Available / allocatable memory.'),
      wide('API-Endpoint', (o) => str(at(o, 'spec.apiEndpoint'))),
    ],
  },
  'policy.fedgate.io/propagationpolicies': { columns: POLICY_COLUMNS },
  'policy.fedgate.io/clusterpropagationpolicies': { columns: POLICY_COLUMNS },
  'policy.fedgate.io/overridepolicies': {
    columns: [
      NAME,
      column('Resources', resourceSelectorsText),
      column('Rules', (o) => list(at(o, 'spec.overrideRules')).length + (isObj(at(o, 'spec.overriders')) ? 1 : 0), { type: 'integer' }),
      AGE,
    ],
  },
  'networking.fedgate.io/trafficpolicies': {
    columns: [
      NAME,
      column('Service', (o) => str(at(o, 'spec.serviceRef.name'))),
      column('Strategy', (o) => str(at(o, 'spec.strategy'), 'weighted')),
      column('TTL', (o) => {
        const ttl = at(o, 'spec.ttl');
        return typeof ttl === 'number' ? `${ttl}s` : '<default>';
      }),
      AGE,
      wide('Primary', (o) => list(at(o, 'spec.primaryClusters')).map(String).join(',') || '<none>'),
    ],
  },
};

function bindingSubjects(): PrintColumn[] {
  const of = (kind: string) => (o: KubeObject): string => {
    const names = list(o['subjects'])
      .filter((s) => isObj(s) && s['kind'] === kind)
      .map((s) => {
        const x = s as Obj;
        return kind === 'ServiceAccount' ? `${String(x['namespace'] ?? '')}/${String(x['name'] ?? '')}` : String(x['name'] ?? '');
      });
    return names.join(', ');
  };
  return [wide('Users', of('User')), wide('Groups', of('Group')), wide('ServiceAccounts', of('ServiceAccount'))];
}

const DEFAULT_PRINTER: Printer = { columns: [NAME, AGE] };

/** Kinds whose gateway copies are federation templates (they get the CLUSTERS column). */
const TEMPLATE_KINDS = new Set(['/services', '/configmaps', '/secrets', 'apps/deployments', 'batch/jobs']);

/**
 * The printer of a resource. `federated` (the federation gateway) adds the CLUSTERS column
 * to templates, before AGE.
 */
export function printerFor(r: Pick<ResourceInfo, 'group' | 'plural'>, federated = false): Printer {
  const key = `${r.group}/${r.plural}`;
  const base = PRINTERS[key] ?? DEFAULT_PRINTER;
  if (!federated || !TEMPLATE_KINDS.has(key)) return base;
  const columns = [...base.columns];
  const age = columns.indexOf(AGE);
  columns.splice(age < 0 ? columns.length : age, 0, CLUSTERS);
  return { columns };
}
