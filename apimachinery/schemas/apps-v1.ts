/** Schemas of `apps/v1`: Deployment, and the kinds a member cluster adds (ReplicaSet, DaemonSet, StatefulSet, ControllerRevision). */
import type { SchemaObject } from 'ajv';
import { persistentVolumeClaimSpec, podTemplateSpec } from './core-v1.js';
import { atomicList, bool, describe, intOrString, labelSelector, nonNegativeInt32, objectMeta, objectSchema, openObject, str } from './meta-v1.js';

const selector = describe('Which pods belong to the workload; must match the template labels.', labelSelector);
const template = describe('The pods the workload creates.', podTemplateSpec());
const minReadySeconds = describe('Seconds a new pod must be ready before it counts as available.', nonNegativeInt32);
const revisionHistoryLimit = describe('Old revisions kept for rollback.', nonNegativeInt32);

const deploymentSpec: SchemaObject = {
  type: 'object',
  description: 'The desired state of a Deployment: how many replicas of which pod template, and how to roll out changes.',
  required: ['selector', 'template'],
  properties: {
    replicas: describe('Number of desired pods (default 1). On the gateway, the total over every cluster a policy places it in.', nonNegativeInt32),
    selector,
    template,
    strategy: describe('How old pods are replaced by new ones.', {
      type: 'object',
      'x-kubernetes-patch-strategy': 'retainKeys',
      properties: {
        type: describe('RollingUpdate (default) or Recreate.', { enum: ['RollingUpdate', 'Recreate'] }),
        rollingUpdate: {
          type: 'object',
          properties: {
            maxSurge: describe('Pods above the desired count during an update (number or percent).', intOrString),
            maxUnavailable: describe('Pods below the desired count during an update (number or percent).', intOrString),
          },
        },
      },
    }),
    minReadySeconds,
    revisionHistoryLimit,
    progressDeadlineSeconds: describe('Seconds before a stalled rollout is reported as failed.', nonNegativeInt32),
    paused: describe('Stops rolling out changes of the template.', bool),
  },
};

const replicaSetSpec: SchemaObject = {
  type: 'object',
  required: ['selector'],
  properties: { replicas: nonNegativeInt32, minReadySeconds, selector, template },
};

const daemonSetSpec: SchemaObject = {
  type: 'object',
  required: ['selector', 'template'],
  properties: {
    selector,
    template,
    updateStrategy: {
      type: 'object',
      'x-kubernetes-patch-strategy': 'retainKeys',
      properties: {
        type: { enum: ['RollingUpdate', 'OnDelete'] },
        rollingUpdate: { type: 'object', properties: { maxUnavailable: intOrString, maxSurge: intOrString } },
      },
    },
    minReadySeconds,
    revisionHistoryLimit,
  },
};

const statefulSetSpec: SchemaObject = {
  type: 'object',
  required: ['selector', 'template'],
  properties: {
    replicas: nonNegativeInt32,
    selector,
    template,
    serviceName: str,
    podManagementPolicy: { enum: ['OrderedReady', 'Parallel'] },
    updateStrategy: {
      type: 'object',
      'x-kubernetes-patch-strategy': 'retainKeys',
      properties: {
        type: { enum: ['RollingUpdate', 'OnDelete'] },
        rollingUpdate: { type: 'object', properties: { partition: nonNegativeInt32, maxUnavailable: intOrString } },
      },
    },
    volumeClaimTemplates: atomicList({ type: 'object', properties: { apiVersion: str, kind: str, metadata: objectMeta, spec: persistentVolumeClaimSpec } }),
    persistentVolumeClaimRetentionPolicy: {
      type: 'object',
      properties: { whenDeleted: { enum: ['Retain', 'Delete'] }, whenScaled: { enum: ['Retain', 'Delete'] } },
    },
    ordinals: { type: 'object', properties: { start: nonNegativeInt32 } },
    minReadySeconds,
    revisionHistoryLimit,
  },
};

/** Schemas of `apps/v1`, by kind. */
export const appsV1Schemas: Readonly<Record<string, SchemaObject>> = {
  Deployment: objectSchema(deploymentSpec, { specRequired: true, description: 'Declarative updates of a set of identical pods.' }),
  ReplicaSet: objectSchema(replicaSetSpec, { specRequired: true, description: 'Keeps a number of identical pods running.' }),
  DaemonSet: objectSchema(daemonSetSpec, { specRequired: true, description: 'One pod on every eligible node.' }),
  StatefulSet: objectSchema(statefulSetSpec, { specRequired: true, description: 'Pods with stable names and storage, started and stopped in order.' }),
  ControllerRevision: objectSchema(undefined, {
    description: 'An immutable snapshot of a workload template.',
    extra: { data: openObject, revision: { type: 'integer' } },
  }),
};
