/** Schemas of `batch/v1`: Job. */
import type { SchemaObject } from 'ajv';
import { podTemplateSpec } from './core-v1.js';
import { bool, labelSelector, nonNegativeInt32, objectSchema, openObject, str } from './meta-v1.js';

const jobSpec: SchemaObject = {
  type: 'object',
  required: ['template'],
  properties: {
    parallelism: nonNegativeInt32,
    completions: nonNegativeInt32,
    backoffLimit: nonNegativeInt32,
    activeDeadlineSeconds: { type: 'integer', minimum: 1 },
    ttlSecondsAfterFinished: nonNegativeInt32,
    completionMode: { enum: ['NonIndexed', 'Indexed'] },
    suspend: bool,
    manualSelector: bool,
    selector: labelSelector,
    // A Job's pods must not restart in place forever: Kubernetes accepts only these two.
    template: podTemplateSpec(['OnFailure', 'Never'], true),
    podFailurePolicy: openObject,
    successPolicy: openObject,
    backoffLimitPerIndex: nonNegativeInt32,
    maxFailedIndexes: nonNegativeInt32,
    podReplacementPolicy: { enum: ['TerminatingOrFailed', 'Failed'] },
    managedBy: str,
  },
};

/** Schemas of `batch/v1`, by kind. */
export const batchV1Schemas: Readonly<Record<string, SchemaObject>> = {
  Job: objectSchema(jobSpec, { specRequired: true, description: 'Runs pods until a number of them complete.' }),
};
