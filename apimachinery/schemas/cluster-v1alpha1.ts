/** Schemas of `cluster.fedgate.io/v1alpha1`: Cluster (field names after Karmada's cluster.karmada.io Cluster where they overlap). */
import type { SchemaObject } from 'ajv';
import { nonNegativeInt32, objectSchema, str, stringList } from './meta-v1.js';

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
  properties: {
    id: str,
    provider: str,
    region: str,
    zone: str,
    zones: stringList,
    weight: nonNegativeInt32,
    taints: { type: 'array', items: taint },
    apiEndpoint: str,
    endpoints: stringList,
    syncMode: { enum: ['Push', 'Pull'] },
  },
};

/** Schemas of the cluster group, by kind. */
export const clusterV1alpha1Schemas: Readonly<Record<string, SchemaObject>> = {
  Cluster: objectSchema(clusterSpec),
};
