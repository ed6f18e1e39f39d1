/** Schemas of `authentication.k8s.io/v1`: SelfSubjectReview, TokenReview, TokenRequest (k8s.io/api/authentication/v1). */
import type { SchemaObject } from 'ajv';
import { atomicList, objectSchema, str } from './meta-v1.js';

/** Schemas of the authentication group, by kind. */
export const authenticationV1Schemas: Readonly<Record<string, SchemaObject>> = {
  SelfSubjectReview: objectSchema(undefined, { description: 'Asks who the caller is (kubectl auth whoami).' }),
  TokenReview: objectSchema(
    { type: 'object', properties: { token: str, audiences: atomicList(str) } },
    { specRequired: true, description: 'Asks whether a bearer token is valid and whose it is.' },
  ),
  // Go clients send TokenRequestSpec's unset fields as null (they have no omitempty).
  TokenRequest: objectSchema(
    {
      type: 'object',
      properties: {
        audiences: { type: ['array', 'null'], items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
        expirationSeconds: { type: ['integer', 'null'] },
        boundObjectRef: { type: ['object', 'null'], properties: { kind: str, apiVersion: str, name: str, uid: str } },
      },
    },
    { specRequired: true, description: 'Requests a token for a ServiceAccount (kubectl create token).' },
  ),
};
