/**
 * The binding controller: for every propagatable template (Namespaces, ConfigMaps, Secrets,
 * Services, Deployments, Jobs) it computes where the template goes (matchPolicy → schedule)
 * and renders one object per cluster into the desired state the dispatcher sends.
 *
 * Level-triggered: `reconcile(key)` re-reads the template, the policies and the clusters
 * from the informers and recomputes everything for that template. Rules:
 * - no matching policy: not propagated (unless it is a dependency of a propagated workload,
 *   or a namespace something propagated lives in);
 * - dependencies (ConfigMaps, Secrets, ServiceAccounts a pod template uses, Services that
 *   select it) go to every cluster their workload goes to, in addition to their own placement;
 * - a namespace goes to every cluster that receives something in it;
 * - a scheduling error or an empty result keeps the previous placement (never deletes);
 * - a failed-over cluster keeps its last rendering (nothing is deleted there); only the
 *   division of replicas over the healthy clusters changes;
 * - the decision is persisted on the template as `status.placement` (compared first, so the
 *   controller's own write does not start it again).
 */
import {
  deepCopy,
  storeKey,
  type Cluster,
  type FailoverRecord,
  type KubeObject,
  type OverridePolicy,
  type PropagationPolicy,
  type ResourceInfo,
  type ResourceRegistry,
} from '../../apimachinery/index.js';
import {
  ControllerRunner,
  WorkQueue,
  systemClock,
  silentLogger,
  type Clock,
  type Informer,
  type Logger,
  type SharedInformerFactory,
} from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import { refKey, refOf, parseRefKey, type DesiredObject, type DesiredState } from '../dispatch/index.js';
import { failoverDecision, type FailbackRecord } from '../health/failover.js';
import {
  clusterViewOf,
  explainPlacement,
  matchPolicy,
  schedule,
  type ClusterView,
  type PlacementExplanation,
  type ScheduleResult,
} from '../placement/index.js';
import { dependenciesOf, renderForCluster } from '../render/index.js';
import { jsonEqual, writeObjectStatus } from '../status/status-write.js';

/** Plurals of the kinds the gateway propagates (core and apps/batch groups). */
export const TEMPLATE_RESOURCES = ['namespaces', 'configmaps', 'secrets', 'services', 'deployments.apps', 'jobs.batch'] as const;

/** Kinds whose dependencies follow them. */
const WORKLOAD_KINDS = new Set(['Deployment', 'Job']);
/** Failback records kept on a template. */
const FAILBACK_HISTORY = 5;

/** `status.placement` of a template: the persisted, visible placement decision. */
export interface PlacementStatus {
  /** The policy that placed the template (`namespace/name`, or the name of a cluster policy). */
  policy?: string;
  clusters: { name: string; replicas?: number }[];
  excluded: { name: string; reason: string }[];
  failover: FailoverRecord[];
  failback?: FailbackRecord[];
  /** Why the last scheduling attempt kept the previous placement. */
  error?: string;
  warnings?: string[];
}

/** The in-memory placement of one template. */
export interface TemplatePlacement {
  /** Scheduled clusters → replicas (undefined for kinds without replicas). */
  scheduled: ReadonlyMap<string, number | undefined>;
  /** Failed-over clusters keeping their last rendering → the replicas they had. */
  held: ReadonlyMap<string, number | undefined>;
  /** Every cluster the template is desired in (scheduled, held, pulled in by dependents). */
  effective: ReadonlySet<string>;
}

interface Binding extends TemplatePlacement {
  deps: string[];
}

/** Options of the BindingController. */
export interface BindingControllerOptions {
  store: Store;
  registry: ResourceRegistry;
  factory: SharedInformerFactory;
  desired: DesiredState;
  clock?: Clock;
  logger?: Logger;
  /** How long a failed-over cluster must be Ready before replicas return, ms. */
  failbackDelayMs?: number;
  /** Called when a template's placement changed (status aggregation listens). */
  onPlacement?: (key: string) => void;
}

function objectWithoutStatus(obj: Readonly<KubeObject>): unknown {
  const { status: _status, ...rest } = obj;
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return { ...rest, metadata: meta };
}

function readyOf(c: Readonly<Cluster>): string | undefined {
  return c.status?.conditions?.find((x) => x.type === 'Ready')?.status;
}

function replicasOf(template: Readonly<KubeObject>): number | undefined {
  if (template.kind !== 'Deployment') return undefined;
  const r = (template.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof r === 'number' && Number.isInteger(r) && r >= 0 ? r : 1;
}

/** The replica counts of a placement (kinds without replicas have none). */
function counted(placement: ReadonlyMap<string, number | undefined>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, replicas] of placement) if (replicas !== undefined) out.set(name, replicas);
  return out;
}

function policyName(p: PropagationPolicy): string {
  return p.metadata.namespace ? `${p.metadata.namespace}/${p.metadata.name}` : (p.metadata.name ?? '');
}

/** Places templates and renders the desired state per cluster. */
export class BindingController {
  private readonly options: BindingControllerOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly queue: WorkQueue;
  private readonly runner: ControllerRunner;
  private readonly templates = new Map<string, Informer<KubeObject>>();
  private readonly clusters: Informer<Cluster>;
  private readonly policies: Informer<PropagationPolicy>;
  private readonly clusterPolicies: Informer<PropagationPolicy>;
  private readonly overrides: Informer<OverridePolicy>;
  private readonly bindings = new Map<string, Binding>();
  /** Dependency key → the workloads that use it. */
  private readonly pulledBy = new Map<string, Set<string>>();
  private readonly unsubscribe: (() => void)[] = [];
  private readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private started = false;

  constructor(options: BindingControllerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.queue = new WorkQueue({ name: 'binding', clock: this.clock });
    this.runner = new ControllerRunner({ name: 'binding', queue: this.queue, reconcile: (key) => this.reconcile(key), logger: this.logger, maxRetries: Infinity });
    const f = options.factory;
    for (const r of TEMPLATE_RESOURCES) this.templates.set(r, f.informerFor<KubeObject>(r));
    this.clusters = f.informerFor<Cluster>('clusters.cluster.fedgate.io');
    this.policies = f.informerFor<PropagationPolicy>('propagationpolicies.policy.fedgate.io');
    this.clusterPolicies = f.informerFor<PropagationPolicy>('clusterpropagationpolicies.policy.fedgate.io');
    this.overrides = f.informerFor<OverridePolicy>('overridepolicies.policy.fedgate.io');
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
  }

  /** Resolves once every template present at start was bound: the desired state is complete. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * Registers handlers, waits for the informers (the caller starts the factory), binds every
   * template once, then runs the queue.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const informer of this.templates.values()) {
      this.unsubscribe.push(
        informer.addEventHandler({
          onAdd: (o) => this.templateChanged(o),
          onUpdate: (a, b) => {
            if (a === b || !jsonEqual(objectWithoutStatus(a), objectWithoutStatus(b))) this.templateChanged(b);
          },
          onDelete: (o) => this.templateChanged(o),
        }),
      );
    }
    const all = (): void => this.enqueueAll();
    for (const p of [this.policies, this.clusterPolicies, this.overrides]) {
      this.unsubscribe.push(p.addEventHandler({ onAdd: all, onUpdate: (a, b) => a !== b && all(), onDelete: all }));
    }
    this.unsubscribe.push(
      this.clusters.addEventHandler({
        onAdd: all,
        onDelete: all,
        onUpdate: (a, b) => {
          // Heartbeat writes change only capacity: placement looks again when what it filters on changed.
          if (!jsonEqual(a.spec, b.spec) || !jsonEqual(a.metadata.labels, b.metadata.labels) || readyOf(a) !== readyOf(b)) all();
        },
      }),
    );
    const informers = [...this.templates.values(), this.clusters, this.policies, this.clusterPolicies, this.overrides];
    await Promise.all(informers.map((i) => i.waitForSync(signal)));
    // Initial binding in dependency order: workloads first so their dependencies and
    // namespaces see who pulls them, then namespaces last.
    const keys = this.allKeys().sort((a, b) => this.initialRank(a) - this.initialRank(b));
    for (const key of keys) {
      try {
        await this.reconcile(key);
      } catch (err) {
        this.logger.warn({ key, err }, 'initial binding failed; retrying in the queue');
        this.queue.addRateLimited(key);
      }
    }
    this.resolveReady();
    this.runner.start();
  }

  /** Stops the workers. */
  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.runner.stop();
  }

  /** Binds every template again (policies or clusters changed, a cluster's readiness moved). */
  enqueueAll(): void {
    for (const key of this.allKeys()) this.queue.add(key);
  }

  /** The placement of a template (by `refKey`), if it is propagated. */
  placementOf(key: string): TemplatePlacement | undefined {
    return this.bindings.get(key);
  }

  /** The cached template of `key`. */
  templateOf(key: string): Readonly<KubeObject> | undefined {
    const ref = parseRefKey(key);
    const info = this.options.registry.byKind(ref.apiVersion, ref.kind);
    if (!info) return undefined;
    return this.informerOf(info)?.getByName(ref.namespace, ref.name);
  }

  /** The store key of the template `key`, when its kind has a status to write (not ConfigMap, Secret). */
  statusKeyOf(key: string): string | undefined {
    const ref = parseRefKey(key);
    const info = this.options.registry.byKind(ref.apiVersion, ref.kind);
    return info?.hasStatus ? storeKey(info, ref.namespace, ref.name) : undefined;
  }

  /**
   * What scheduling `template` would do now (for dry runs): the matching policy, the views
   * of the clusters and the schedule result. No state changes.
   */
  preview(template: KubeObject): { policy?: PropagationPolicy; clusters: ClusterView[]; result?: ScheduleResult } {
    const now = this.clock.now();
    const clusterObjs = this.liveClusters();
    const clusters = clusterObjs.map((c) => clusterViewOf(c, now));
    const policy = this.policyFor(template);
    if (!policy) return { clusters };
    const key = refKey(refOf(template));
    const previous = this.previousOf(key, template);
    const failover = failoverDecision({ clusters: clusterObjs, policy, now, previous: this.statusOf(template)?.failover, failbackDelayMs: this.options.failbackDelayMs });
    const result = schedule({ template, replicas: replicasOf(template), policy, clusters, previous: counted(previous), unavailable: failover.unavailable });
    return { policy, clusters, result };
  }

  /** A dry run's answer: where `template` would go now and what rendering would apply there. */
  explain(template: KubeObject): PlacementExplanation & { policy?: string } {
    const { policy, clusters, result } = this.preview(template);
    if (!policy || !result) {
      return { ...explainPlacement({ clusters: [], excluded: [], error: 'no PropagationPolicy or ClusterPropagationPolicy selects this object' }) };
    }
    const views = new Map(clusters.map((c) => [c.name, c]));
    const rendered = new Map<string, { overrides: string[] }>();
    const overrides = this.overridesIn(template.metadata.namespace);
    for (const c of result.clusters) {
      const view = views.get(c.name);
      if (!view) continue;
      try {
        rendered.set(c.name, { overrides: renderForCluster(template, view, overrides, { replicas: c.replicas }).overrides });
      } catch (err) {
        rendered.set(c.name, { overrides: [`error: ${err instanceof Error ? err.message : String(err)}`] });
      }
    }
    return { ...explainPlacement(result, rendered), policy: policyName(policy) };
  }

  // ---- reconcile ----

  /** Recomputes placement and rendering of one template (`refKey`). */
  async reconcile(key: string): Promise<void> {
    const ref = parseRefKey(key);
    const info = this.options.registry.byKind(ref.apiVersion, ref.kind);
    const informer = info && this.informerOf(info);
    if (!info || !informer) return;
    const template = informer.getByName(ref.namespace, ref.name);
    const old = this.bindings.get(key);
    if (!template || template.metadata.deletionTimestamp) {
      // Positively removed: its objects leave every cluster's desired set.
      this.bindings.delete(key);
      this.setDeps(key, old?.deps ?? [], []);
      this.options.desired.setObject(key, new Map());
      if (old) this.neighboursChanged(key, old.deps);
      this.options.onPlacement?.(key);
      return;
    }
    const now = this.clock.now();
    const clusterObjs = this.liveClusters();
    const views = new Map(clusterObjs.map((c) => [c.metadata.name ?? '', clusterViewOf(c, now)]));
    const policy = this.policyFor(template);
    const statusBefore = this.statusOf(template);

    const scheduled = new Map<string, number | undefined>();
    const held = new Map<string, number | undefined>();
    let placement: PlacementStatus | undefined;
    if (policy) {
      const previous = this.previousOf(key, template);
      const decision = failoverDecision({ clusters: clusterObjs, policy, now, previous: statusBefore?.failover, failbackDelayMs: this.options.failbackDelayMs });
      const result = schedule({ template: deepCopy(template) as KubeObject, replicas: replicasOf(template), policy, clusters: [...views.values()], previous: counted(previous), unavailable: decision.unavailable });
      const kept = result.error !== undefined || result.clusters.length === 0;
      if (kept) {
        for (const [name, replicas] of previous) if (views.has(name)) scheduled.set(name, replicas);
      } else {
        for (const c of result.clusters) scheduled.set(c.name, c.replicas);
      }
      // A failed-over cluster keeps what it had: its workloads are not deleted.
      for (const name of decision.unavailable) {
        if (previous.has(name) && views.has(name) && !scheduled.has(name)) held.set(name, previous.get(name));
      }
      const relevant = new Set([...previous.keys(), ...scheduled.keys(), ...(statusBefore?.failover ?? []).map((r) => r.from)]);
      const failback = [...(statusBefore?.failback ?? [])];
      for (const name of decision.failedBack) failback.push({ cluster: name, time: new Date(now).toISOString() });
      placement = {
        policy: policyName(policy),
        clusters: [...scheduled, ...held].map(([name, replicas]) => (replicas === undefined ? { name } : { name, replicas })).sort((a, b) => (a.name < b.name ? -1 : 1)),
        excluded: result.excluded.filter((e) => !scheduled.has(e.name)),
        failover: decision.records.filter((r) => relevant.has(r.from)),
      };
      if (failback.length > 0) placement.failback = failback.slice(-FAILBACK_HISTORY);
      if (kept) placement.error = result.error ?? 'no cluster fits; keeping the previous placement';
      if (result.warnings?.length) placement.warnings = result.warnings;
      if (decision.recheckAt !== undefined) this.queue.addAfter(key, Math.max(0, decision.recheckAt - now));
    }

    // Clusters pulled in by dependents (workloads using this object, or anything in this namespace).
    const pulled = new Set<string>();
    if (template.kind === 'Namespace') {
      for (const [k, b] of this.bindings) {
        if (k !== key && parseRefKey(k).namespace === template.metadata.name) for (const c of b.effective) pulled.add(c);
      }
    } else {
      for (const w of this.pulledBy.get(key) ?? []) for (const c of this.bindings.get(w)?.effective ?? []) pulled.add(c);
    }

    const deps =
      policy && WORKLOAD_KINDS.has(template.kind) && policy.spec.propagateDeps !== false
        ? dependenciesOf(template as KubeObject, { services: this.servicesIn(template.metadata.namespace) }).map((d) => refKey(d)).filter((d) => d !== key)
        : [];
    this.setDeps(key, old?.deps ?? [], deps);

    const effective = new Set([...scheduled.keys(), ...held.keys(), ...pulled].filter((c) => views.has(c)));
    const perCluster = new Map<string, DesiredObject>();
    const overrides = this.overridesIn(template.metadata.namespace);
    const generation = template.metadata.generation ?? 1;
    const uid = template.metadata.uid ?? '';
    for (const cluster of [...effective].sort()) {
      const replicas = scheduled.has(cluster) ? scheduled.get(cluster) : held.get(cluster);
      let object: KubeObject;
      try {
        object = renderForCluster(deepCopy(template) as KubeObject, views.get(cluster)!, overrides, { replicas }).object;
      } catch (err) {
        // A broken override must not take the object away: the cluster keeps its last rendering.
        this.logger.warn({ key, cluster, err }, 'rendering failed; keeping the last rendering');
        const last = this.options.desired.get(cluster, key);
        if (last) perCluster.set(cluster, last);
        continue;
      }
      delete object.status;
      delete object.metadata.resourceVersion;
      const d: DesiredObject = { object, templateGeneration: generation, templateUid: uid };
      if (policy?.spec.conflictResolution === 'Overwrite') d.overwrite = true;
      perCluster.set(cluster, d);
    }
    const binding: Binding = { scheduled, held, effective, deps };
    const placementMoved = !old || !jsonEqual([...old.effective].sort(), [...effective].sort()) || !jsonEqual([...old.scheduled], [...scheduled]);
    if (effective.size > 0 || policy) this.bindings.set(key, binding);
    else this.bindings.delete(key);
    this.options.desired.setObject(key, perCluster);
    if (placementMoved || !jsonEqual(old?.deps ?? [], deps)) {
      this.neighboursChanged(key, [...new Set([...(old?.deps ?? []), ...deps])]);
      this.options.onPlacement?.(key);
    }
    await this.persistPlacement(info, template, placement);
  }

  // ---- parts ----

  private templateChanged(obj: Readonly<KubeObject>): void {
    const key = refKey(refOf(obj));
    this.queue.add(key);
    // A Service may start or stop selecting a workload: its namespace's workloads look again.
    if (obj.kind === 'Service' && obj.metadata.namespace) {
      for (const r of ['deployments.apps', 'jobs.batch']) {
        for (const w of this.templates.get(r as (typeof TEMPLATE_RESOURCES)[number])!.byIndex('byNamespace', obj.metadata.namespace)) this.queue.add(refKey(refOf(w)));
      }
    }
  }

  /** Dependencies and the namespace see the new cluster set of `key`. */
  private neighboursChanged(key: string, deps: readonly string[]): void {
    for (const d of deps) this.queue.add(d);
    const ns = parseRefKey(key).namespace;
    if (ns) this.queue.add(refKey({ apiVersion: 'v1', kind: 'Namespace', name: ns }));
  }

  private setDeps(key: string, before: readonly string[], after: readonly string[]): void {
    for (const d of before) {
      const users = this.pulledBy.get(d);
      users?.delete(key);
      if (users?.size === 0) this.pulledBy.delete(d);
    }
    for (const d of after) {
      let users = this.pulledBy.get(d);
      if (!users) this.pulledBy.set(d, (users = new Set()));
      users.add(key);
    }
  }

  private async persistPlacement(info: ResourceInfo, template: Readonly<KubeObject>, placement: PlacementStatus | undefined): Promise<void> {
    // Kinds without status (ConfigMap, Secret) keep their placement in memory only.
    if (!info.hasStatus) return;
    const before = this.statusOf(template);
    if (jsonEqual(before, placement)) return;
    const key = storeKey(info, template.metadata.namespace, template.metadata.name ?? '');
    await writeObjectStatus<KubeObject>(this.options.store, key, (obj) => {
      if (obj.metadata.uid !== template.metadata.uid) return false;
      const status = (obj.status ?? {}) as Record<string, unknown>;
      if (jsonEqual(status['placement'], placement)) return false;
      if (placement) status['placement'] = placement;
      else delete status['placement'];
      obj.status = status;
      return true;
    });
  }

  private statusOf(template: Readonly<KubeObject>): PlacementStatus | undefined {
    return (template.status as { placement?: PlacementStatus } | undefined)?.placement;
  }

  /** The last placement: in memory, or after a restart what the template's status says. */
  private previousOf(key: string, template: Readonly<KubeObject>): Map<string, number | undefined> {
    const b = this.bindings.get(key);
    if (b && (b.scheduled.size > 0 || b.held.size > 0)) return new Map([...b.scheduled, ...b.held]);
    return new Map((this.statusOf(template)?.clusters ?? []).map((c) => [c.name, c.replicas]));
  }

  private policyFor(template: Readonly<KubeObject>): PropagationPolicy | undefined {
    const ns = template.metadata.namespace;
    const live = (p: Readonly<PropagationPolicy>): boolean => !p.metadata.deletionTimestamp;
    const namespaced = ns ? (this.policies.byIndex('byNamespace', ns) as PropagationPolicy[]).filter(live) : [];
    return matchPolicy(template as KubeObject, namespaced, (this.clusterPolicies.list() as PropagationPolicy[]).filter(live));
  }

  private liveClusters(): Readonly<Cluster>[] {
    return this.clusters.list().filter((c) => !c.metadata.deletionTimestamp);
  }

  private servicesIn(ns: string | undefined): KubeObject[] {
    return ns ? (this.templates.get('services')!.byIndex('byNamespace', ns) as KubeObject[]) : [];
  }

  private overridesIn(ns: string | undefined): OverridePolicy[] {
    return ns ? (this.overrides.byIndex('byNamespace', ns) as OverridePolicy[]) : [];
  }

  private informerOf(info: ResourceInfo): Informer<KubeObject> | undefined {
    for (const informer of this.templates.values()) if (informer.resource === info) return informer;
    return undefined;
  }

  private allKeys(): string[] {
    const keys: string[] = [];
    for (const informer of this.templates.values()) for (const o of informer.list()) keys.push(refKey(refOf(o)));
    // Bindings of templates no longer cached are removed by reconciling them.
    const seen = new Set(keys);
    for (const k of this.bindings.keys()) if (!seen.has(k)) keys.push(k);
    return keys;
  }

  private initialRank(key: string): number {
    const kind = parseRefKey(key).kind;
    return WORKLOAD_KINDS.has(kind) ? 0 : kind === 'Namespace' ? 2 : 1;
  }
}
