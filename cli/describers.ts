/**
 * `fedgate describe` texts (pure: object in, text out), laid out as kubectl describes:
 * aligned `Key:  value` lines, then per kind a summary of the spec, then the status — for a
 * federated template its placement and each member cluster's state — and its conditions.
 */
import { stringify } from 'yaml';
import type { Cluster, FederationCondition, KubeObject, MemberObjectStatus, ResourceInfo } from '../apimachinery/index.js';
import { formatColumns, humanDuration } from './printers.js';
import { LAST_APPLIED_ANNOTATION } from './three-way-merge.js';

/** Spaces between a key and its value (kubectl's describe tabwriter padding). */
const KEY_PADDING = 2;

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown, none = '<none>'): string {
  if (v === undefined || v === null || v === '') return none;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

type Line = { level: number; key: string; values: string[] } | { level: number; raw: string[] };

/** Collects `Key: value` lines and preformatted blocks; aligns values per indentation level. */
class DescribeText {
  private readonly lines: Line[] = [];

  /** `Key:  value`; several values continue on the next lines, aligned; none prints `Key:` alone. */
  item(level: number, key: string, value?: string | readonly string[]): this {
    const values = value === undefined ? [] : typeof value === 'string' ? [value] : value.length > 0 ? [...value] : ['<none>'];
    this.lines.push({ level, key, values });
    return this;
  }

  /** Lines printed as they are, indented to `level`. */
  raw(level: number, text: string | readonly string[]): this {
    const lines = typeof text === 'string' ? text.replace(/\n$/, '').split('\n') : [...text];
    this.lines.push({ level, raw: lines });
    return this;
  }

  /** A table (header first) indented to `level`. */
  table(level: number, rows: readonly (readonly string[])[]): this {
    return this.raw(level, formatColumns(rows));
  }

  toString(): string {
    const width = new Map<number, number>();
    for (const l of this.lines) if ('key' in l && l.values.length > 0) width.set(l.level, Math.max(width.get(l.level) ?? 0, l.key.length + 1));
    const out: string[] = [];
    for (const l of this.lines) {
      const indent = ' '.repeat(l.level * 2);
      if ('raw' in l) {
        for (const r of l.raw) out.push(`${indent}${r}`.trimEnd());
        continue;
      }
      if (l.values.length === 0) {
        out.push(`${indent}${l.key}:`);
        continue;
      }
      const pad = (width.get(l.level) ?? 0) + KEY_PADDING;
      out.push(`${indent}${`${l.key}:`.padEnd(pad)}${l.values[0]}`.trimEnd());
      for (const v of l.values.slice(1)) out.push(`${indent}${' '.repeat(pad)}${v}`.trimEnd());
    }
    return `${out.join('\n')}\n`;
  }
}

function keyValues(map: unknown, skip: readonly string[] = []): string[] {
  return Object.entries(obj(map))
    .filter(([k]) => !skip.includes(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${str(v, '')}`);
}

function selectorText(selector: unknown): string {
  const s = obj(selector);
  const labels = keyValues(s['matchLabels'] ?? (s['matchExpressions'] === undefined ? s : {}));
  const exprs = list(s['matchExpressions']).map((e) => {
    const x = obj(e);
    const values = list(x['values']).map(String).join(',');
    return `${str(x['key'], '')} ${str(x['operator'], '')}${values ? ` (${values})` : ''}`;
  });
  const all = [...labels, ...exprs];
  return all.length > 0 ? all.join(',') : '<none>';
}

function yamlBlock(v: unknown): string {
  return stringify(v, { lineWidth: 0 }).replace(/\n$/, '');
}

/** Resource quantities as `cpu: 4, memory: 8Gi`. */
function quantities(map: unknown): string {
  const entries = Object.entries(obj(map));
  return entries.length > 0 ? entries.map(([k, v]) => `${k}: ${str(v, '')}`).join(', ') : '<none>';
}

function describeMetadata(d: DescribeText, o: KubeObject, r: ResourceInfo, now: number, generic: boolean): void {
  const m = o.metadata ?? {};
  d.item(0, 'Name', str(m.name));
  if (r.namespaced) d.item(0, 'Namespace', str(m.namespace));
  d.item(0, 'Labels', keyValues(m.labels));
  d.item(0, 'Annotations', keyValues(m.annotations, [LAST_APPLIED_ANNOTATION]));
  if (generic) {
    d.item(0, 'API Version', str(o.apiVersion));
    d.item(0, 'Kind', str(o.kind));
  }
  if (m.creationTimestamp) {
    const t = Date.parse(m.creationTimestamp);
    d.item(0, 'CreationTimestamp', Number.isNaN(t) ? m.creationTimestamp : `${new Date(t).toUTCString()} (${humanDuration(now - t)} ago)`);
  }
  if (m.deletionTimestamp) d.item(0, 'Deletion Timestamp', m.deletionTimestamp);
  if (m.finalizers && m.finalizers.length > 0) d.item(0, 'Finalizers', m.finalizers.join(', '));
  const owner = m.ownerReferences?.find((x) => x.controller) ?? m.ownerReferences?.[0];
  if (owner) d.item(0, 'Controlled By', `${owner.kind}/${owner.name}`);
  if (m.generation !== undefined) d.item(0, 'Generation', String(m.generation));
}

function describeContainers(d: DescribeText, level: number, containers: unknown[]): void {
  d.item(level, 'Containers');
  for (const c of containers.map(obj)) {
    d.item(level + 1, str(c['name'], '<unnamed>'));
    d.item(level + 2, 'Image', str(c['image']));
    const ports = list(c['ports']).map((p) => `${str(obj(p)['containerPort'], '?')}/${str(obj(p)['protocol'], 'TCP')}`);
    d.item(level + 2, 'Ports', ports.length > 0 ? ports.join(', ') : '<none>');
    if (c['command']) d.item(level + 2, 'Command', list(c['command']).map(String));
    if (c['args']) d.item(level + 2, 'Args', list(c['args']).map(String));
    const res = obj(c['resources']);
    if (res['requests']) d.item(level + 2, 'Requests', quantities(res['requests']));
    if (res['limits']) d.item(level + 2, 'Limits', quantities(res['limits']));
    const env = list(c['env']).map((e) => {
      const x = obj(e);
      return `${str(x['name'], '?')}=${x['value'] !== undefined ? str(x['value'], '') : '<set from a reference>'}`;
    });
    d.item(level + 2, 'Environment', env);
    const mounts = list(c['volumeMounts']).map((v) => `${str(obj(v)['mountPath'], '?')} from ${str(obj(v)['name'], '?')}`);
    if (mounts.length > 0) d.item(level + 2, 'Mounts', mounts);
  }
}

function describePodTemplate(d: DescribeText, template: unknown): void {
  const t = obj(template);
  d.item(0, 'Pod Template');
  d.item(1, 'Labels', keyValues(obj(t['metadata'])['labels']));
  const spec = obj(t['spec']);
  describeContainers(d, 1, list(spec['containers']));
  const volumes = list(spec['volumes']).map((v) => str(obj(v)['name'], '?'));
  if (volumes.length > 0) d.item(1, 'Volumes', volumes);
  if (spec['nodeSelector']) d.item(1, 'Node-Selectors', keyValues(spec['nodeSelector']));
}

function describeDeployment(d: DescribeText, o: KubeObject): void {
  const spec = obj(o.spec);
  const st = obj(o.status);
  const desired = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  d.item(0, 'Selector', selectorText(spec['selector']));
  d.item(
    0,
    'Replicas',
    `${desired} desired | ${str(st['updatedReplicas'], '0')} updated | ${str(st['replicas'], '0')} total | ${str(st['availableReplicas'], '0')} available | ${str(st['unavailableReplicas'], '0')} unavailable`,
  );
  const strategy = obj(spec['strategy']);
  d.item(0, 'StrategyType', str(strategy['type'], 'RollingUpdate'));
  const rolling = obj(strategy['rollingUpdate']);
  if (strategy['type'] !== 'Recreate') d.item(0, 'RollingUpdateStrategy', `${str(rolling['maxUnavailable'], '25%')} max unavailable, ${str(rolling['maxSurge'], '25%')} max surge`);
  describePodTemplate(d, spec['template']);
}

function describeJob(d: DescribeText, o: KubeObject): void {
  const spec = obj(o.spec);
  const st = obj(o.status);
  d.item(0, 'Parallelism', str(spec['parallelism'], '1'));
  d.item(0, 'Completions', str(spec['completions'], '1'));
  if (spec['backoffLimit'] !== undefined) d.item(0, 'Backoff Limit', str(spec['backoffLimit']));
  if (st['startTime']) d.item(0, 'Start Time', str(st['startTime']));
  if (st['completionTime']) d.item(0, 'Completed At', str(st['completionTime']));
  d.item(0, 'Pods Statuses', `${str(st['active'], '0')} Active / ${str(st['succeeded'], '0')} Succeeded / ${str(st['failed'], '0')} Failed`);
  describePodTemplate(d, spec['template']);
}

function describeService(d: DescribeText, o: KubeObject): void {
  const spec = obj(o.spec);
  d.item(0, 'Selector', keyValues(spec['selector']).join(',') || '<none>');
  d.item(0, 'Type', str(spec['type'], 'ClusterIP'));
  d.item(0, 'IP', str(spec['clusterIP']));
  for (const p of list(spec['ports']).map(obj)) {
    const name = str(p['name'], '<unset>');
    d.item(0, 'Port', `${name}  ${str(p['port'], '?')}/${str(p['protocol'], 'TCP')}`);
    d.item(0, 'TargetPort', `${str(p['targetPort'] ?? p['port'], '?')}/${str(p['protocol'], 'TCP')}`);
    if (p['nodePort'] !== undefined) d.item(0, 'NodePort', `${name}  ${str(p['nodePort'])}/${str(p['protocol'], 'TCP')}`);
  }
  const ingress = list(obj(obj(o.status)['loadBalancer'])['ingress']).map((i) => str(obj(i)['ip'] ?? obj(i)['hostname']));
  if (ingress.length > 0) d.item(0, 'LoadBalancer Ingress', ingress.join(', '));
}

function describeData(d: DescribeText, o: KubeObject, secret: boolean): void {
  if (secret) d.item(0, 'Type', str(o['type'], 'Opaque'));
  d.item(0, 'Data');
  const data = obj(o['data']);
  const keys = Object.keys(data).sort();
  if (keys.length === 0) d.raw(0, '<none>');
  for (const k of keys) {
    // Secret values are never printed, only their sizes (as kubectl does).
    if (secret) d.item(0, k, `${Buffer.from(str(data[k], ''), 'base64').length} bytes`);
    else d.raw(0, [`${k}:`, '----', str(data[k], ''), '']);
  }
  const binary = Object.keys(obj(o['binaryData'])).sort();
  if (binary.length > 0) {
    d.item(0, 'BinaryData');
    for (const k of binary) d.item(0, k, `${Buffer.from(str(obj(o['binaryData'])[k], ''), 'base64').length} bytes`);
  }
}

function conditionOf(c: Cluster, type: string): FederationCondition | undefined {
  return c.status?.conditions?.find((x) => x.type === type);
}

function describeCluster(d: DescribeText, c: Cluster, now: number): void {
  const spec = c.spec ?? {};
  const st = c.status ?? {};
  d.item(0, 'Region', str(spec.region));
  d.item(0, 'Zone', str(spec.zone ?? spec.zones?.join(', ')));
  if (spec.provider) d.item(0, 'Provider', spec.provider);
  if (spec.weight !== undefined) d.item(0, 'Weight', String(spec.weight));
  d.item(0, 'API Endpoint', str(spec.apiEndpoint));
  d.item(0, 'Endpoints', spec.endpoints && spec.endpoints.length > 0 ? spec.endpoints.join(', ') : '<none>');
  d.item(0, 'Taints', (spec.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`));
  const ready = conditionOf(c, 'Ready');
  d.item(0, 'Ready', ready ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'Unknown');
  d.item(0, 'Nodes', st.nodes ? `${st.nodes.ready} ready of ${st.nodes.total}` : '<none>');
  if (st.kubernetesVersion) d.item(0, 'Kubernetes Version', st.kubernetesVersion);
  if (st.lastHeartbeatTime) {
    const t = Date.parse(st.lastHeartbeatTime);
    d.item(0, 'Last Heartbeat', Number.isNaN(t) ? st.lastHeartbeatTime : `${st.lastHeartbeatTime} (${humanDuration(now - t)} ago)`);
  }
  const names = [...new Set([...Object.keys(st.capacity ?? {}), ...Object.keys(st.allocatable ?? {}), ...Object.keys(st.available ?? {})])].sort();
  if (names.length > 0) {
    d.item(0, 'Resources');
    d.table(1, [['RESOURCE', 'CAPACITY', 'ALLOCATABLE', 'AVAILABLE'], ...names.map((n) => [n, str(st.capacity?.[n], '-'), str(st.allocatable?.[n], '-'), str(st.available?.[n], '-')])]);
  }
  if (st.services && st.services.length > 0) {
    d.item(0, 'Services');
    d.table(1, [['SERVICE', 'READY ENDPOINTS'], ...st.services.map((s) => [`${s.namespace}/${s.name}`, `${s.readyEndpoints}/${s.totalEndpoints}`])]);
  }
}

/** `Ready` of a member's copy, from the status it reported: ready/desired replicas, a Job's completions. */
function memberReady(kind: string, entry: MemberObjectStatus): string {
  const st = obj(entry.status);
  if (kind === 'Deployment') return `${str(st['readyReplicas'], '0')}/${str(entry.replicas ?? st['replicas'], '0')}`;
  if (kind === 'Job') return `${str(st['succeeded'], '0')} succeeded`;
  if (kind === 'Service') {
    const ingress = list(obj(st['loadBalancer'])['ingress']).map((i) => str(obj(i)['ip'] ?? obj(i)['hostname']));
    return ingress.length > 0 ? ingress.join(',') : '-';
  }
  return '-';
}

function describeFederation(d: DescribeText, o: KubeObject, now: number): boolean {
  const st = obj(o.status);
  const placement = obj(st['placement']);
  const clusters = list(st['clusters']) as MemberObjectStatus[];
  if (Object.keys(placement).length === 0 && clusters.length === 0) return false;
  if (Object.keys(placement).length > 0) {
    d.item(0, 'Placement');
    d.item(1, 'Policy', str(placement['policy']));
    const placed = list(placement['clusters']).map((c) => {
      const x = obj(c);
      return x['replicas'] === undefined ? str(x['name']) : `${str(x['name'])} (${str(x['replicas'])} ${x['replicas'] === 1 ? 'replica' : 'replicas'})`;
    });
    d.item(1, 'Clusters', placed.length > 0 ? placed.join(', ') : '<none>');
    const excluded = list(placement['excluded']).map((e) => `${str(obj(e)['name'])}: ${str(obj(e)['reason'])}`);
    if (excluded.length > 0) d.item(1, 'Excluded', excluded);
    if (placement['error']) d.item(1, 'Error', str(placement['error']));
    const warnings = list(placement['warnings']).map((w) => str(w));
    if (warnings.length > 0) d.item(1, 'Warnings', warnings);
    const failover = list(placement['failover']).map((f) => `${str(obj(f)['from'])} since ${str(obj(f)['since'])}: ${str(obj(f)['reason'])}`);
    if (failover.length > 0) d.item(1, 'Failed Over', failover);
  }
  if (clusters.length > 0) {
    d.item(0, 'Member Clusters');
    d.table(1, [
      ['CLUSTER', 'REPLICAS', 'APPLIED', 'SYNCED', 'READY', 'LAST UPDATE', 'MESSAGE'],
      ...clusters.map((c) => [
        c.cluster,
        c.replicas === undefined ? '-' : String(c.replicas),
        c.applied ? 'True' : 'False',
        c.synced ? 'True' : 'False',
        memberReady(o.kind, c),
        c.lastUpdateTime && !Number.isNaN(Date.parse(c.lastUpdateTime)) ? `${humanDuration(now - Date.parse(c.lastUpdateTime))} ago` : '-',
        c.lastError ? `${c.reason ? `${c.reason}: ` : ''}${c.lastError}` : '',
      ]),
    ]);
  }
  return true;
}

function describeConditions(d: DescribeText, conditions: unknown): void {
  const rows = list(conditions).map(obj);
  if (rows.length === 0) return;
  d.item(0, 'Conditions');
  d.table(1, [['TYPE', 'STATUS', 'REASON', 'MESSAGE'], ...rows.map((c) => [str(c['type'], ''), str(c['status'], ''), str(c['reason'], ''), str(c['message'], '')])]);
}

/** Kinds with a describer of their own (others print their spec and status as YAML). */
const DESCRIBED_KINDS = new Set(['Deployment', 'Job', 'Service', 'ConfigMap', 'Secret', 'Namespace', 'Cluster']);

/** The describe text of one object. */
export function describeObject(o: KubeObject, r: ResourceInfo, now: number): string {
  const d = new DescribeText();
  const known = DESCRIBED_KINDS.has(r.kind) && (r.group === '' || r.group === 'apps' || r.group === 'batch' || r.group === 'cluster.fedgate.io');
  describeMetadata(d, o, r, now, !known);
  const kind = known ? r.kind : '';
  switch (kind) {
    case 'Deployment':
      describeDeployment(d, o);
      break;
    case 'Job':
      describeJob(d, o);
      break;
    case 'Service':
      describeService(d, o);
      break;
    case 'ConfigMap':
      describeData(d, o, false);
      break;
    case 'Secret':
      describeData(d, o, true);
      break;
    case 'Namespace':
      d.item(0, 'Status', str(obj(o.status)['phase'], 'Active'));
      break;
    case 'Cluster':
      describeCluster(d, o as Cluster, now);
      break;
    default:
      if (o.spec !== undefined) {
        d.item(0, 'Spec');
        d.raw(1, yamlBlock(o.spec));
      }
  }
  describeFederation(d, o, now);
  const st = obj(o.status);
  describeConditions(d, st['conditions']);
  if (!known) {
    const { conditions: _c, clusters: _cl, placement: _p, ...rest } = st;
    if (Object.keys(rest).length > 0) {
      d.item(0, 'Status');
      d.raw(1, yamlBlock(rest));
    }
  }
  return d.toString();
}
