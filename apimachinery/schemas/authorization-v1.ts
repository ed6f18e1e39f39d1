/** Schemas of `authorization.k8s.io/v1`: SelfSubjectAccessReview, SelfSubjectRulesReview (k8s.io/api/authorization/v1). */
import type { SchemaObject } from 'ajv';
import { describe, objectSchema, openObject, str } from './meta-v1.js';

const resourceAttributes: SchemaObject = {
  type: 'object',
  description: 'A resource request: verb on group/resource[/subresource], in a namespace, by name.',
  properties: {
    namespace: str,
    verb: str,
    group: str,
    version: str,
    resource: str,
    subresource: str,
    name: str,
    fieldSelector: openObject,
    labelSelector: openObject,
  },
};

const nonResourceAttributes: SchemaObject = {
  type: 'object',
  description: 'A request to a non-resource path such as /healthz.',
  properties: { path: str, verb: str },
};

/** Schemas of the authorization group, by kind. */
export const authorizationV1Schemas: Readonly<Record<string, SchemaObject>> = {
  SelfSubjectAccessReview: objectSchema(
    describe('Exactly one of resourceAttributes and nonResourceAttributes.', { type: 'object', properties: { resourceAttributes, nonResourceAttributes } }),
    { specRequired: true, description: 'Asks whether the caller may perform an action (kubectl auth can-i).' },
  ),
  SelfSubjectRulesReview: objectSchema(
    describe('The namespace whose rules to list.', { type: 'object', properties: { namespace: describe('Namespace to evaluate rules for.', str) } }),
    { specRequired: true, description: 'Lists what the caller may do in a namespace (kubectl auth can-i --list).' },
  ),
};
