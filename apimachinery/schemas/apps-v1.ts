/** Schemas of `apps/v1`: Deployment. */
import type { SchemaObject } from 'ajv';
import { podTemplateSpec } from './core-v1.js';
import { bool, intOrString, labelSelector, nonNegativeInt32, objectSchema } from './meta-v1.js';

const deploymentSpec: SchemaObject = {
  type: 'object',
  required: ['selector', 'template'],
  properties: {
    replicas: nonNegativeInt32,
    selector: labelSelector,
    template: podTemplateSpec(),
    strategy: {
      type: 'object',
      properties: {
        type: { enum: ['RollingUpdate', 'Recreate'] },
        rollingUpdate: { type: 'object', properties: { maxSurge: intOrString, maxUnavailable: intOrString } },
      },
    },
    minReadySeconds: nonNegativeInt32,
    revisionHistoryLimit: nonNegativeInt32,
    progressDeadlineSeconds: nonNegativeInt32,
    paused: bool,
  },
};

/** Schemas of `apps/v1`, by kind. */
export const appsV1Schemas: Readonly<Record<string, SchemaObject>> = {
  Deployment: objectSchema(deploymentSpec, { specRequired: true }),
};
