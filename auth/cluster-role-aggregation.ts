/**
 * ClusterRole aggregation (Kubernetes' clusterrole-aggregation controller): a ClusterRole
 * with `aggregationRule.clusterRoleSelectors` gets as `rules` the rules of every other
 * ClusterRole whose labels match one of the selectors — in name order, each distinct rule
 * once. That is how the bootstrap `admin`, `edit` and `view` grow: label a ClusterRole
 * `rbac.authorization.k8s.io/aggregate-to-edit: "true"` and everyone bound to `edit` gets
 * its rules.
 *
 * It runs beside the API server (GatewayAuth), reads ClusterRoles from the shared informer
 * and writes straight into the store by compare-and-swap on the revision it read; a lost
 * race is followed by the informer's event for the newer version, which recomputes. Several
 * API servers on one store compute the same rules, so they agree.
 */
import { RBAC_GROUP, labelSelectorFromObject, type ClusterRole, type LabelSelector, type PolicyRule } from '../apimachinery/index.js';
import { silentLogger, type Informer, type Logger, type SharedInformerFactory } from '../controller/index.js';
import type { Store } from '../store/index.js';
import { resourceOfKind, updateStoredObject } from './stored-objects.js';

/** One rule in a canonical text form, so equal rules compare equal whatever their key order. */
function ruleKey(rule: PolicyRule): string {
  const list = (v: readonly string[] | undefined): string[] | undefined => (v === undefined ? undefined : [...v]);
  return JSON.stringify([list(rule.verbs), list(rule.apiGroups), list(rule.resources), list(rule.resourceNames), list(rule.nonResourceURLs)]);
}

/** The selectors of an aggregated role; undefined when it is not one, or a selector is invalid (logged). */
function selectorsOf(role: Readonly<ClusterRole>, logger: Logger): LabelSelector[] | undefined {
  const raw = role.aggregationRule?.clusterRoleSelectors;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  try {
    return raw.map((s) => labelSelectorFromObject(s));
  } catch (err) {
    logger.warn({ err, clusterRole: role.metadata.name }, 'ClusterRole has an invalid aggregationRule; not aggregating it');
    return undefined;
  }
}

/** The rules `role` aggregates from `all` (itself excluded), or undefined when it aggregates nothing. */
export function aggregatedRules(role: Readonly<ClusterRole>, all: readonly Readonly<ClusterRole>[], logger: Logger = silentLogger): PolicyRule[] | undefined {
  const selectors = selectorsOf(role, logger);
  if (!selectors) return undefined;
  const sources = all
    .filter((other) => other.metadata.name !== role.metadata.name && selectors.some((s) => s.matches(other.metadata.labels)))
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  const seen = new Set<string>();
  const rules: PolicyRule[] = [];
  for (const source of sources) {
    for (const rule of Array.isArray(source.rules) ? source.rules : []) {
      const key = ruleKey(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(structuredClone(rule));
    }
  }
  return rules;
}

/** True when both lists hold the same distinct rules, in any order. */
function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  const x = new Set(a.map(ruleKey));
  const y = new Set(b.map(ruleKey));
  return x.size === y.size && [...x].every((k) => y.has(k)) && a.length === x.size;
}

/** Options of ClusterRoleAggregator. */
export interface ClusterRoleAggregatorOptions {
  store: Store;
  factory: SharedInformerFactory;
  logger?: Logger;
}

/** Keeps the rules of aggregated ClusterRoles equal to the union of the roles they select. */
export class ClusterRoleAggregator {
  private readonly clusterRoles: Informer<ClusterRole>;
  private readonly logger: Logger;
  private removeHandler: (() => void) | undefined;
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: ClusterRoleAggregatorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clusterRoles = options.factory.informerFor<ClusterRole>(`clusterroles.${RBAC_GROUP}`);
  }

  /** Starts reacting to ClusterRole changes and aggregates once (the informer must have synced). */
  start(): void {
    if (!this.removeHandler) {
      const schedule = (): void => this.schedule();
      this.removeHandler = this.clusterRoles.addEventHandler({ onAdd: schedule, onUpdate: schedule, onDelete: schedule });
    }
    this.schedule();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.removeHandler?.();
    return this.running;
  }

  /** Resolves once the pending pass (if any) has written what it had to. */
  idle(): Promise<void> {
    return this.running;
  }

  /** Coalesces a burst of events into one pass. */
  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.running = this.running.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            this.scheduled = false;
            this.aggregateAll().then(resolve, (err: unknown) => {
              this.logger.warn({ err }, 'ClusterRole aggregation failed; the next ClusterRole change retries');
              resolve();
            });
          }),
        ),
    );
  }

  private async aggregateAll(): Promise<void> {
    if (this.stopped) return;
    const all = this.clusterRoles.list();
    const resource = resourceOfKind('ClusterRole');
    for (const role of all) {
      const rules = aggregatedRules(role, all, this.logger);
      if (rules === undefined || sameRules(Array.isArray(role.rules) ? role.rules : [], rules)) continue;
      const updated = { ...structuredClone(role as ClusterRole), rules };
      try {
        await updateStoredObject(this.options.store, resource, updated, Number(role.metadata.resourceVersion));
        this.logger.info({ clusterRole: role.metadata.name, rules: rules.length }, 'aggregated ClusterRole rules');
      } catch (err) {
        // A newer version arrives through the informer and schedules another pass.
        this.logger.debug({ err, clusterRole: role.metadata.name }, 'ClusterRole changed while aggregating');
      }
    }
  }
}
