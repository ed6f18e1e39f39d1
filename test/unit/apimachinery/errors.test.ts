import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  asStatusError,
  CauseReason,
  fieldInvalid,
  invalid,
  isInvalid,
  isNotFound,
  notFound,
  reasonCodes,
  StatusReason,
} from '../../../apimachinery/index.js';

const apiDoc = readFileSync(resolve(import.meta.dirname, '..', '..', '..', 'docs', 'API.md'), 'utf8');

describe('errors', () => {
  it('docs/API.md documents every status reason with its code', () => {
    for (const reason of Object.values(StatusReason)) {
      assert.match(apiDoc, new RegExp(`\\| \`${reason}\` \\| ${reasonCodes[reason]} \\|`), `${reason} missing from docs/API.md`);
    }
  });

  it('docs/API.md documents every field reason', () => {
    for (const reason of Object.values(CauseReason)) assert.ok(apiDoc.includes(`\`${reason}\``), `${reason} missing from docs/API.md`);
  });

  it('invalid() renders causes as kube-apiserver does and keeps them in details', () => {
    const err = invalid('Deployment', 'web', [fieldInvalid('spec.replicas', 'three', 'must be an integer')], 'apps');
    assert.ok(isInvalid(err));
    assert.equal(err.message, 'Deployment "web" is invalid: spec.replicas: Invalid value: "three": must be an integer');
    assert.equal(err.toStatus().code, 422);
    assert.equal(err.toStatus().details?.causes?.[0]?.field, 'spec.replicas');
  });

  it('predicates and asStatusError', () => {
    assert.ok(isNotFound(notFound({ group: 'apps', resource: 'deployments', name: 'web' })));
    assert.equal(notFound({ group: 'apps', resource: 'deployments', name: 'web' }).message, 'deployments.apps "web" not found');
    const wrapped = asStatusError(new Error('boom'));
    assert.equal(wrapped.code, 500);
    assert.equal(wrapped.message, 'Internal error occurred: boom');
  });
});
