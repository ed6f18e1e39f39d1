/** Schemas of `cluster.fedgate.io/v1alpha1`: Cluster (field names after Karmada's cluster.karmada.io Cluster where they overlap). */
import type { SchemaObject } from 'ajv';
import { describe, nonNegativeInt32, objectSchema, str, stringList } from './meta-v1.js';

/** corev1.Taint, as Karmada's Cluster carries it. */
const taint: SchemaObject = {
  type: 'object',
  required: ['key', 'effect'],
  properties: {
    key: str,
    value: str,
    effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    timeAdded: str,
  },
};

const clusterSpec: SchemaObject = {
  type: 'object',
  description: 'Where a member cluster is and how the federation treats it.',
  properties: {
    id: str,
    provider: str,
    region: describe('Region of the cluster (placement by region, geo DNS).', str),
    zone: str,
    zones: stringList,
    weight: describe('Static weight when a policy gives none (default 1).', nonNegativeInt32),
    taints: describe('Keep templates away unless a policy tolerates them.', { type: 'array', items: taint }),
    apiEndpoint: describe("The member's local API.", str),
    apiCABundle: describe(
      "Base64 of the PEM CA bundle that signed the serving certificate of apiEndpoint (like a kubeconfig's certificate-authority-data); the gateway's clusters/proxy verifies the member's API against it.",
      { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' },
    ),
    endpoints: describe("External addresses of the member's LoadBalancer Services.", stringList),
    syncMode: { enum: ['Push', 'Pull'] },
  },
};

/** Schemas of the cluster group, by kind. */
export const clusterV1alpha1Schemas: Readonly<Record<string, SchemaObject>> = {
  Cluster: objectSchema(clusterSpec, { description: 'A member cluster of the federation; status comes from its heartbeats.' }),
};
