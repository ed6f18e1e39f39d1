/**
 * The federation's own kinds (`cluster.fedgate.io`, `policy.fedgate.io`,
 * `networking.fedgate.io`) and the marks the gateway puts on what it propagates. Policy
 * field shapes follow Karmada's `policy.karmada.io/v1alpha1`, so a team moving from Karmada
 * changes only the apiVersion.
 */
import type { LabelSelectorObject } from './label-selector.js';
import type { KubeObject } from './object.js';

// ---- marks on propagated objects --------------------------------------------------------

/** Label on every object the gateway puts into a member: who manages it there. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Value of MANAGED_BY_LABEL for objects fedgate manages. */
export const MANAGED_BY_VALUE = 'fedgate';
/** Annotation: the template's metadata.generation the member copy was rendered from. */
export const TEMPLATE_GENERATION_ANNOTATION = 'fedgate.io/template-generation';
/** Annotation: the template's uid on the gateway. */
export const TEMPLATE_UID_ANNOTATION = 'fedgate.io/template-uid';
/** Label: the member cluster an object was rendered for. */
export const CLUSTER_LABEL = 'fedgate.io/cluster';
/** Namespace of the gateway's own objects (bootstrap tokens). */
export const SYSTEM_NAMESPACE = 'fedgate-system';

// ---- Cluster ---------------------------------------------------------------------------

/** A taint on a cluster (corev1.Taint). */
export interface ClusterTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

/** Cluster.spec. */
export interface ClusterSpec {
  region?: string;
  zone?: string;
  zones?: string[];
  provider?: string;
  /** Static weight used when a policy asks for none (default 1). */
  weight?: number;
  taints?: ClusterTaint[];
  /** The member's local API. */
  apiEndpoint?: string;
  /**
   * The CA bundle that signed the serving certificate of `apiEndpoint`: base64 of PEM, like
   * a kubeconfig's `certificate-authority-data`. Absent for a plain-HTTP API.
   */
  apiCABundle?: string;
  /** External addresses of the member's LoadBalancer Services (what DNS answers with). */
  endpoints?: string[];
  syncMode?: 'Push' | 'Pull';
}

/** A condition of a Cluster or of a federated object. */
export interface FederationCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

/** Ready endpoints of one Service in one member. */
export interface ServiceEndpointCount {
  namespace: string;
  name: string;
  readyEndpoints: number;
  totalEndpoints: number;
}

/** Free resources of one member node (for dynamic weights by available replicas). */
export interface NodeSummary {
  name: string;
  ready: boolean;
  allocatable: Record<string, string>;
  free: Record<string, string>;
}

/** Cluster.status, written by the gateway from the member's heartbeats. */
export interface ClusterStatus {
  conditions?: FederationCondition[];
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  available?: Record<string, string>;
  nodes?: { ready: number; total: number };
  nodeSummaries?: NodeSummary[];
  services?: ServiceEndpointCount[];
  lastHeartbeatTime?: string;
  kubernetesVersion?: string;
}

/** `Cluster` (cluster.fedgate.io/v1alpha1, cluster-scoped). */
export type Cluster = KubeObject<ClusterSpec, ClusterStatus> & { spec?: ClusterSpec };

/** Condition types of a Cluster. */
export const ClusterConditions = { Ready: 'Ready', Joined: 'Joined' } as const;

// ---- PropagationPolicy / ClusterPropagationPolicy ---------------------------------------

/** Which templates a policy selects. */
export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: LabelSelectorObject;
}

/** Selects clusters: by name, labels, fields (region/zone/provider), minus exclusions. */
export interface ClusterAffinity {
  clusterNames?: string[];
  labelSelector?: LabelSelectorObject;
  fieldSelector?: { matchExpressions?: { key: 'region' | 'zone' | 'provider' | string; operator: 'In' | 'NotIn'; values?: string[] }[] };
  exclude?: string[];
}

/** Tolerates cluster taints (corev1.Toleration). */
export interface ClusterToleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

/** Spread over groups of clusters (by region, zone, provider or cluster). */
export interface SpreadConstraint {
  spreadByField?: 'cluster' | 'region' | 'zone' | 'provider';
  spreadByLabel?: string;
  minGroups?: number;
  maxGroups?: number;
}

/** One entry of a static weight list. */
export interface StaticClusterWeight {
  targetCluster: ClusterAffinity;
  weight: number;
}

/** How replicas are scheduled. */
export interface ReplicaSchedulingStrategy {
  replicaSchedulingType?: 'Duplicated' | 'Divided';
  replicaDivisionPreference?: 'Weighted' | 'Aggregated';
  weightPreference?: {
    staticWeightList?: StaticClusterWeight[];
    dynamicWeight?: 'AvailableReplicas';
  };
  /** fedgate: per-cluster bounds on a Divided share. */
  minReplicasPerCluster?: number;
  maxReplicasPerCluster?: number;
}

/** Placement of a policy. */
export interface Placement {
  clusterAffinity?: ClusterAffinity;
  clusterTolerations?: ClusterToleration[];
  spreadConstraints?: SpreadConstraint[];
  replicaScheduling?: ReplicaSchedulingStrategy;
}

/** Failover behaviour (Karmada's FailoverBehavior, application part). */
export interface FailoverBehavior {
  application?: {
    decisionConditions?: { tolerationSeconds?: number };
    purgeMode?: 'Immediately' | 'Graciously' | 'Never';
  };
  /** fedgate: how long a cluster may stay NotReady before its Divided replicas move (default 30). */
  tolerationSeconds?: number;
}

/** PropagationPolicy / ClusterPropagationPolicy spec. */
export interface PropagationSpec {
  resourceSelectors: ResourceSelector[];
  placement?: Placement;
  priority?: number;
  conflictResolution?: 'Abort' | 'Overwrite';
  failover?: FailoverBehavior;
  /** Propagate ConfigMaps, Secrets, ServiceAccounts the pod template uses, and matching Services. */
  propagateDeps?: boolean;
}

/** `PropagationPolicy` (namespaced) or `ClusterPropagationPolicy` (cluster-scoped). */
export type PropagationPolicy = KubeObject<PropagationSpec> & { spec: PropagationSpec };

// ---- OverridePolicy --------------------------------------------------------------------

/** One override rule: for which clusters, what to change. */
export interface OverrideRule {
  targetCluster?: ClusterAffinity;
  overriders: {
    imageOverrider?: { component: 'Registry' | 'Repository' | 'Tag'; operator: 'add' | 'remove' | 'replace'; value?: string; predicate?: { path: string } }[];
    argsOverrider?: { containerName: string; operator: 'add' | 'remove'; value?: string[] }[];
    commandOverrider?: { containerName: string; operator: 'add' | 'remove'; value?: string[] }[];
    labelsOverrider?: { operator: 'add' | 'remove' | 'replace'; value?: Record<string, string> }[];
    annotationsOverrider?: { operator: 'add' | 'remove' | 'replace'; value?: Record<string, string> }[];
    plaintext?: { path: string; operator: 'add' | 'remove' | 'replace'; value?: unknown }[];
  };
}

/** OverridePolicy spec. */
export interface OverrideSpec {
  resourceSelectors?: ResourceSelector[];
  overrideRules?: OverrideRule[];
}

/** `OverridePolicy` (namespaced). */
export type OverridePolicy = KubeObject<OverrideSpec> & { spec: OverrideSpec };

// ---- TrafficPolicy ---------------------------------------------------------------------

/** TrafficPolicy spec: how DNS answers for one Service. */
export interface TrafficSpec {
  serviceRef: { name: string };
  strategy?: 'weighted' | 'failover' | 'roundRobin' | 'geo';
  weights?: Record<string, number>;
  primaryClusters?: string[];
  ttl?: number;
  whenAllUnhealthy?: 'lastHealthy' | 'empty';
}

/** `TrafficPolicy` (networking.fedgate.io/v1alpha1, namespaced). */
export type TrafficPolicy = KubeObject<TrafficSpec> & { spec: TrafficSpec };

// ---- status of a federated object --------------------------------------------------------

/** One member's view of a federated object, in the template's `status.clusters`. */
export interface MemberObjectStatus {
  cluster: string;
  /** Replicas placed in this cluster (Divided), or spec.replicas (Duplicated). */
  replicas?: number;
  /** The member acknowledged the current rendering. */
  applied: boolean;
  /** Template generation the member last acknowledged. */
  appliedGeneration?: number;
  /** The member object's own status.observedGeneration vs its generation caught up. */
  synced?: boolean;
  /** The member object's status, as the member reported it. */
  status?: unknown;
  lastError?: string;
  reason?: string;
  lastUpdateTime?: string;
}

/** Where a template's replicas moved because a cluster failed. */
export interface FailoverRecord {
  from: string;
  reason: string;
  since: string;
}
