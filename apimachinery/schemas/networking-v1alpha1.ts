/** Schemas of `networking.fedgate.io/v1alpha1`: TrafficPolicy, how the DNS answers for one Service. */
import type { SchemaObject } from 'ajv';
import { describe, objectSchema, str, stringList } from './meta-v1.js';

/** Longest TTL a TrafficPolicy may ask for: one day. */
export const MAX_TRAFFIC_TTL_SECONDS = 86400;

const trafficSpec: SchemaObject = {
  type: 'object',
  description: 'How the federation DNS answers for one Service.',
  required: ['serviceRef'],
  properties: {
    serviceRef: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, namespace: str } },
    strategy: describe('weighted (default), failover, roundRobin or geo.', { enum: ['weighted', 'failover', 'roundRobin', 'geo'] }),
    weights: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    primaryClusters: stringList,
    ttl: { type: 'integer', minimum: 1, maximum: MAX_TRAFFIC_TTL_SECONDS },
    whenAllUnhealthy: { enum: ['lastHealthy', 'empty'] },
  },
};

/** Schemas of the networking group, by kind. */
export const networkingV1alpha1Schemas: Readonly<Record<string, SchemaObject>> = {
  TrafficPolicy: objectSchema(trafficSpec, { specRequired: true, description: 'DNS answering policy of a federated Service.' }),
};
