/**
 * Status aggregation (pure): what each member reported for one template becomes the
 * template's `status.clusters` and the kind's aggregate status, so tools that judge health
 * from a Deployment's status (Argo CD, kubectl rollout status) judge the federated one right.
 *
 * The rule that matters most: a Deployment's aggregate `observedGeneration` becomes the
 * template's generation ONLY when every target cluster acknowledged that generation and its
 * member object's controller caught up (status.observedGeneration ≥ its generation);
 * otherwise the previous value stays, so the rollout reads as still in progress.
 */
import type { FederationCondition, KubeObject, MemberObjectStatus } from '../../apimachinery/index.js';

/** What the gateway knows about one template's copy in one cluster. */
export interface ClusterObjectState {
  cluster: string;
  /** The last acknowledgement of an Apply. */
  ack?: { templateGeneration?: number; observedGeneration: number; error?: string; reason?: string; time: number };
  /** The template generation the member last applied without error. */
  appliedGeneration?: number;
  /** The member's last status report of its copy. */
  report?: { status: unknown; generation: number; observedGeneration: number; time: number };
}

/** One placed cluster, as aggregation sees it. */
export interface PlacedCluster {
  name: string;
  replicas?: number;
  /** Counts in the aggregate (scheduled); false for a failed-over cluster holding its last copy or a cluster a dependent pulled in. */
  target: boolean;
}

type Json = Record<string, unknown>;

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function asObject(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function conditionOf(status: unknown, type: string): { status?: string; reason?: string; message?: string } | undefined {
  const conditions = asObject(status)['conditions'];
  if (!Array.isArray(conditions)) return undefined;
  return conditions.map(asObject).find((c) => c['type'] === type) as { status?: string; reason?: string; message?: string } | undefined;
}

/** The member's copy caught up with what we last applied (its controller observed it). */
export function isSynced(state: ClusterObjectState | undefined): boolean {
  const r = state?.report;
  if (!r) return false;
  return r.observedGeneration >= r.generation && r.observedGeneration >= (state.ack?.error ? 0 : (state.ack?.observedGeneration ?? 0));
}

/** `status.clusters`: one entry per placed cluster, in cluster-name order. */
export function memberObjectStatuses(placed: readonly PlacedCluster[], states: ReadonlyMap<string, ClusterObjectState>, templateGeneration: number): MemberObjectStatus[] {
  return [...placed]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => {
      const s = states.get(p.name);
      const entry: MemberObjectStatus = { cluster: p.name, applied: s?.appliedGeneration === templateGeneration && !s.ack?.error };
      if (p.replicas !== undefined) entry.replicas = p.replicas;
      if (s?.appliedGeneration !== undefined) entry.appliedGeneration = s.appliedGeneration;
      entry.synced = isSynced(s);
      if (s?.report?.status !== undefined) entry.status = s.report.status;
      if (s?.ack?.error) {
        entry.lastError = s.ack.error;
        if (s.ack.reason) entry.reason = s.ack.reason;
      }
      const t = Math.max(s?.ack?.time ?? -Infinity, s?.report?.time ?? -Infinity);
      if (Number.isFinite(t)) entry.lastUpdateTime = new Date(t).toISOString();
      return entry;
    });
}

/** Every target acknowledged `generation` without error and its member copy caught up. */
export function allTargetsCaughtUp(placed: readonly PlacedCluster[], entries: readonly MemberObjectStatus[], generation: number): boolean {
  const byCluster = new Map(entries.map((e) => [e.cluster, e]));
  const targets = placed.filter((p) => p.target);
  return targets.length > 0 && targets.every((p) => {
    const e = byCluster.get(p.name);
    return e !== undefined && e.applied && e.appliedGeneration === generation && e.synced === true;
  });
}

function condition(type: string, ok: boolean, reason: string, message: string, previous: readonly FederationCondition[] | undefined, now: string): FederationCondition {
  const status = ok ? 'True' : 'False';
  const old = previous?.find((c) => c.type === type);
  // The transition time moves only when the status does, so an unchanged status writes nothing.
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
  return { type, status, reason, message, lastTransitionTime };
}

/** Aggregate status of a Deployment template (the template's `status` minus placement and clusters). */
export function aggregateDeployment(template: Readonly<KubeObject>, placed: readonly PlacedCluster[], entries: readonly MemberObjectStatus[], now: string): Json {
  const generation = template.metadata.generation ?? 1;
  const previous = asObject(template.status);
  const targets = new Set(placed.filter((p) => p.target).map((p) => p.name));
  const targetEntries = entries.filter((e) => targets.has(e.cluster));
  const sum = (field: string): number => targetEntries.reduce((n, e) => n + num(asObject(e.status)[field]), 0);
  const wanted = placed.filter((p) => p.target).reduce((n, p) => n + (p.replicas ?? 0), 0);
  const caughtUp = allTargetsCaughtUp(placed, entries, generation);
  const out: Json = {
    replicas: sum('replicas'),
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
    updatedReplicas: sum('updatedReplicas'),
  };
  const unavailable = Math.max(0, wanted - num(out['availableReplicas']));
  if (unavailable > 0) out['unavailableReplicas'] = unavailable;
  if (caughtUp) out['observedGeneration'] = generation;
  else if (previous['observedGeneration'] !== undefined) out['observedGeneration'] = previous['observedGeneration'];
  const prevConditions = previous['conditions'] as FederationCondition[] | undefined;
  const failed = targetEntries.filter((e) => e.lastError);
  const memberAvailable = targetEntries.map((e) => conditionOf(e.status, 'Available')?.status);
  const available = targetEntries.length > 0 && (memberAvailable.every((s) => s !== undefined) ? memberAvailable.every((s) => s === 'True') : num(out['availableReplicas']) >= wanted);
  const complete = caughtUp && num(out['updatedReplicas']) >= wanted && num(out['availableReplicas']) >= wanted && num(out['replicas']) === num(out['updatedReplicas']);
  const deadline = targetEntries.find((e) => conditionOf(e.status, 'Progressing')?.reason === 'ProgressDeadlineExceeded');
  const conditions: FederationCondition[] = [
    condition('Available', available, available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', `${num(out['availableReplicas'])} of ${wanted} replicas available`, prevConditions, now),
  ];
  if (failed.length > 0) {
    conditions.push(condition('Progressing', false, 'ApplyFailed', failed.map((e) => `${e.cluster}: ${e.lastError}`).join('; '), prevConditions, now));
  } else if (deadline) {
    conditions.push(condition('Progressing', false, 'ProgressDeadlineExceeded', `cluster ${deadline.cluster} exceeded its progress deadline`, prevConditions, now));
  } else {
    conditions.push(condition('Progressing', true, complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', complete ? 'rollout complete in every cluster' : 'rolling out to the member clusters', prevConditions, now));
  }
  out['conditions'] = conditions;
  return out;
}

/** Aggregate status of a Job template: counts summed, Complete when every target completed. */
export function aggregateJob(template: Readonly<KubeObject>, placed: readonly PlacedCluster[], entries: readonly MemberObjectStatus[], now: string): Json {
  const previous = asObject(template.status);
  const targets = new Set(placed.filter((p) => p.target).map((p) => p.name));
  const targetEntries = entries.filter((e) => targets.has(e.cluster));
  const sum = (field: string): number => targetEntries.reduce((n, e) => n + num(asObject(e.status)[field]), 0);
  const out: Json = { active: sum('active'), succeeded: sum('succeeded'), failed: sum('failed') };
  const starts = targetEntries.map((e) => asObject(e.status)['startTime']).filter((t): t is string => typeof t === 'string').sort();
  if (starts.length > 0) out['startTime'] = starts[0];
  const prevConditions = previous['conditions'] as FederationCondition[] | undefined;
  const complete = targetEntries.length === targets.size && targets.size > 0 && targetEntries.every((e) => conditionOf(e.status, 'Complete')?.status === 'True');
  const failedIn = targetEntries.filter((e) => conditionOf(e.status, 'Failed')?.status === 'True').map((e) => e.cluster);
  const conditions: FederationCondition[] = [];
  if (complete) {
    conditions.push(condition('Complete', true, 'Completed', 'the job completed in every cluster', prevConditions, now));
    const ends = targetEntries.map((e) => asObject(e.status)['completionTime']).filter((t): t is string => typeof t === 'string').sort();
    if (ends.length > 0) out['completionTime'] = ends.at(-1);
  }
  if (failedIn.length > 0) conditions.push(condition('Failed', true, 'BackoffLimitExceeded', `failed in ${failedIn.join(', ')}`, prevConditions, now));
  if (conditions.length > 0) out['conditions'] = conditions;
  return out;
}

/** Aggregate status of a Service template: the union of the members' load-balancer ingresses. */
export function aggregateService(_template: Readonly<KubeObject>, placed: readonly PlacedCluster[], entries: readonly MemberObjectStatus[]): Json {
  const targets = new Set(placed.map((p) => p.name));
  const seen = new Set<string>();
  const ingress: Json[] = [];
  for (const e of entries) {
    if (!targets.has(e.cluster)) continue;
    const list = asObject(asObject(asObject(e.status)['loadBalancer']))['ingress'];
    if (!Array.isArray(list)) continue;
    for (const item of list.map(asObject)) {
      const id = JSON.stringify([item['ip'] ?? '', item['hostname'] ?? '']);
      if (seen.has(id)) continue;
      seen.add(id);
      ingress.push(item);
    }
  }
  ingress.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return { loadBalancer: ingress.length > 0 ? { ingress } : {} };
}

/** The kind's aggregate status, or an empty object for kinds without one (ConfigMap, Secret, Namespace). */
export function aggregateStatus(template: Readonly<KubeObject>, placed: readonly PlacedCluster[], entries: readonly MemberObjectStatus[], now: string): Json {
  switch (template.kind) {
    case 'Deployment':
      return aggregateDeployment(template, placed, entries, now);
    case 'Job':
      return aggregateJob(template, placed, entries, now);
    case 'Service':
      return aggregateService(template, placed, entries);
    default:
      return {};
  }
}
