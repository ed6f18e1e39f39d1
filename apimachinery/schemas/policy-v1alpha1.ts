/**
 * Schemas of `policy.fedgate.io/v1alpha1`: PropagationPolicy, ClusterPropagationPolicy and
 * OverridePolicy, in the field shapes of Karmada's `policy.karmada.io/v1alpha1` so that a
 * manifest moves over by changing only its apiVersion.
 */
import type { SchemaObject } from 'ajv';
import { toleration } from './core-v1.js';
import { anyObject, bool, describe, labelSelector, nonNegativeInt32, objectSchema, openObject, shared, str, stringList, stringMap } from './meta-v1.js';

const nonEmptyString: SchemaObject = { type: 'string', minLength: 1 };

/** policyv1alpha1.ResourceSelector. */
const resourceSelector: SchemaObject = shared('ResourceSelector', {
  type: 'object',
  required: ['apiVersion', 'kind'],
  properties: { apiVersion: nonEmptyString, kind: nonEmptyString, namespace: str, name: str, labelSelector },
});

const clusterAffinityProperties: Record<string, SchemaObject> = {
  clusterNames: stringList,
  exclude: stringList,
  labelSelector,
  fieldSelector: {
    type: 'object',
    properties: {
      matchExpressions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['key', 'operator'],
          properties: {
            key: { enum: ['provider', 'region', 'zone'] },
            operator: { enum: ['In', 'NotIn'] },
            values: stringList,
          },
        },
      },
    },
  },
};

/** policyv1alpha1.ClusterAffinity: which clusters, by name, labels or fields (region, zone, provider). */
const clusterAffinity: SchemaObject = shared('ClusterAffinity', { type: 'object', properties: clusterAffinityProperties });

const placement: SchemaObject = shared('Placement', {
  type: 'object',
  properties: {
    clusterAffinity,
    clusterAffinities: {
      type: 'array',
      items: { type: 'object', required: ['affinityName'], properties: { affinityName: nonEmptyString, ...clusterAffinityProperties } },
    },
    clusterTolerations: { type: 'array', items: toleration },
    spreadConstraints: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          spreadByField: { enum: ['cluster', 'region', 'zone', 'provider'] },
          spreadByLabel: str,
          maxGroups: nonNegativeInt32,
          minGroups: nonNegativeInt32,
        },
      },
    },
    replicaScheduling: {
      type: 'object',
      properties: {
        replicaSchedulingType: { enum: ['Duplicated', 'Divided'] },
        replicaDivisionPreference: { enum: ['Aggregated', 'Weighted'] },
        weightPreference: {
          type: 'object',
          properties: {
            staticWeightList: {
              type: 'array',
              items: {
                type: 'object',
                required: ['targetCluster', 'weight'],
                properties: { targetCluster: clusterAffinity, weight: { type: 'integer', minimum: 1 } },
              },
            },
            dynamicWeight: { enum: ['AvailableReplicas'] },
          },
        },
        minReplicasPerCluster: describe('fedgate: a Divided share is at least this many replicas.', nonNegativeInt32),
        maxReplicasPerCluster: describe('fedgate: a Divided share is at most this many replicas.', nonNegativeInt32),
      },
    },
  },
});

const failover: SchemaObject = {
  type: 'object',
  properties: {
    application: {
      type: 'object',
      properties: {
        decisionConditions: { type: 'object', properties: { tolerationSeconds: nonNegativeInt32 } },
        purgeMode: { enum: ['Immediately', 'Graciously', 'Never'] },
        gracePeriodSeconds: { type: 'integer', minimum: 1 },
        statePreservation: openObject,
      },
    },
    tolerationSeconds: describe('fedgate: seconds a cluster may be NotReady before its Divided replicas move (default 30).', nonNegativeInt32),
  },
};

const propagationSpec: SchemaObject = {
  type: 'object',
  description: 'Which templates to propagate (resourceSelectors) and to which clusters (placement).',
  required: ['resourceSelectors'],
  properties: {
    resourceSelectors: describe('Templates this policy applies to, by apiVersion, kind and name or labels.', { type: 'array', minItems: 1, items: resourceSelector }),
    placement: describe('Which clusters receive the templates and how replicas are divided among them.', placement),
    priority: describe('The highest-priority matching policy wins.', { type: 'integer' }),
    preemption: { enum: ['Always', 'Never'] },
    conflictResolution: { enum: ['Abort', 'Overwrite'] },
    propagateDeps: bool,
    dependentOverrides: stringList,
    schedulerName: str,
    failover,
    suspension: anyObject,
    activationPreference: { enum: ['', 'Lazy'] },
  },
};

const operator3: SchemaObject = { enum: ['add', 'remove', 'replace'] };

const overriders: SchemaObject = shared('Overriders', {
  type: 'object',
  properties: {
    plaintext: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'operator'],
        // `value` is any JSON (apiextensions JSON); the path is a JSON pointer.
        properties: { path: { type: 'string', pattern: '^/' }, operator: operator3, value: {} },
      },
    },
    imageOverrider: {
      type: 'array',
      items: {
        type: 'object',
        required: ['component', 'operator'],
        properties: {
          predicate: { type: 'object', required: ['path'], properties: { path: { type: 'string', pattern: '^/' } } },
          component: { enum: ['Registry', 'Repository', 'Tag'] },
          operator: operator3,
          value: str,
        },
      },
    },
    commandOverrider: {
      type: 'array',
      items: {
        type: 'object',
        required: ['containerName', 'operator'],
        properties: { containerName: nonEmptyString, operator: { enum: ['add', 'remove'] }, value: stringList },
      },
    },
    argsOverrider: {
      type: 'array',
      items: {
        type: 'object',
        required: ['containerName', 'operator'],
        properties: { containerName: nonEmptyString, operator: { enum: ['add', 'remove'] }, value: stringList },
      },
    },
    labelsOverrider: { type: 'array', items: { type: 'object', required: ['operator'], properties: { operator: operator3, value: stringMap } } },
    annotationsOverrider: {
      type: 'array',
      items: { type: 'object', required: ['operator'], properties: { operator: operator3, value: stringMap } },
    },
  },
});

const overrideSpec: SchemaObject = {
  type: 'object',
  properties: {
    // nil selects every resource, as in Karmada.
    resourceSelectors: { type: 'array', items: resourceSelector },
    overrideRules: {
      type: 'array',
      items: { type: 'object', required: ['overriders'], properties: { targetCluster: clusterAffinity, overriders } },
    },
    targetCluster: clusterAffinity,
    overriders,
  },
};

/** Schemas of the policy group, by kind. */
export const policyV1alpha1Schemas: Readonly<Record<string, SchemaObject>> = {
  PropagationPolicy: objectSchema(propagationSpec, { specRequired: true, description: 'Propagates templates of its namespace to member clusters.' }),
  ClusterPropagationPolicy: objectSchema(propagationSpec, { specRequired: true, description: 'Propagates templates of any namespace, and cluster-scoped ones, to member clusters.' }),
  OverridePolicy: objectSchema(overrideSpec, { specRequired: true, description: 'Changes what a template becomes in particular clusters.' }),
};
