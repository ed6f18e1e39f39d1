import assert from 'node:assert/strict';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameRuleFor,
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
  validateObjectMeta,
  type StatusCause,
} from '../../../apimachinery/index.js';

function fields(causes: StatusCause[]): string[] {
  return causes.map((c) => `${c.field ?? ''}:${c.reason}`);
}

describe('names', () => {
  describe('isDNS1123Label', () => {
    it('accepts lowercase alphanumerics and inner dashes up to 63 characters', () => {
      for (const ok of ['a', '0', 'web', 'a-b', 'a--b', '123-abc', 'a'.repeat(63)]) assert.deepEqual(isDNS1123Label(ok), [], ok);
    });

    it('rejects 64 characters with the length message', () => {
      assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
    });

    it('rejects uppercase, leading/trailing dashes, underscores and the empty string with the regex message', () => {
      for (const bad of ['Web', '-web', 'web-', 'a_b', '', 'a b', 'ä']) {
        const errs = isDNS1123Label(bad);
        assert.equal(errs.length, 1, bad);
        assert.equal(
          errs[0],
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        );
      }
    });

    it('says "must not contain dots" for a subdomain that is not a label', () => {
      assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    });
  });

  describe('isDNS1123Subdomain', () => {
    it('accepts dotted labels up to 253 characters', () => {
      const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
      assert.equal(long.length, 253);
      for (const ok of ['example.com', 'a', 'a.b.c', 'my-app.v1', long]) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
    });

    it('rejects 254 characters', () => {
      assert.deepEqual(isDNS1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`), [
        'must be no more than 253 characters',
      ]);
    });

    it('rejects uppercase, empty labels and edge dashes, with the Kubernetes message', () => {
      for (const bad of ['Example.com', 'a..b', '.a', 'a.', '-a.b', 'a-.b', '']) {
        assert.deepEqual(
          isDNS1123Subdomain(bad),
          [
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          ],
          bad,
        );
      }
    });
  });

  describe('isQualifiedName', () => {
    it('accepts names with and without a DNS prefix, mixed case, dots and underscores', () => {
      for (const ok of ['app', 'App_Name', 'my.name', 'example.com/MyName', 'fedgate.io/cluster', 'a'.repeat(63)]) {
        assert.deepEqual(isQualifiedName(ok), [], ok);
      }
    });

    it('rejects bad prefixes, empty parts, long names and extra slashes', () => {
      assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
      assert.match(isQualifiedName('Example.com/a')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
      assert.equal(isQualifiedName('example.com/')[0], 'name part must be non-empty');
      assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
      assert.match(isQualifiedName('a/b/c')[0]!, /^a qualified name must consist of/);
      assert.match(isQualifiedName('-a')[0]!, /^name part must consist of alphanumeric characters/);
    });
  });

  describe('isValidLabelValue', () => {
    it('accepts empty and 63-character values', () => {
      for (const ok of ['', 'v1', 'my_value', 'A.b-C', 'x'.repeat(63)]) assert.deepEqual(isValidLabelValue(ok), [], ok);
    });

    it('rejects 64 characters, slashes, spaces and edge punctuation', () => {
      assert.deepEqual(isValidLabelValue('x'.repeat(64)), ['must be no more than 63 characters']);
      for (const bad of ['a/b', 'a b', '-a', 'a.', '_a']) assert.equal(isValidLabelValue(bad).length, 1, bad);
    });
  });

  it('isConfigMapKey accepts file-like keys and rejects dots-only and slashes', () => {
    for (const ok of ['a', 'tls.crt', 'KEY_NAME', '.dockerconfigjson']) assert.deepEqual(isConfigMapKey(ok), [], ok);
    assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
    assert.deepEqual(isConfigMapKey('..a'), ["must not start with '..'"]);
    assert.equal(isConfigMapKey('a/b').length, 1);
  });

  it('nameRuleFor: Namespace and Service are labels, everything else subdomains', () => {
    assert.equal(nameRuleFor('Namespace'), 'label');
    assert.equal(nameRuleFor('Service'), 'label');
    for (const kind of ['Deployment', 'ConfigMap', 'Cluster', 'PropagationPolicy']) assert.equal(nameRuleFor(kind), 'subdomain');
  });

  describe('validateObjectMeta', () => {
    it('accepts a complete namespaced meta', () => {
      const causes = validateObjectMeta(
        {
          name: 'web.v1',
          namespace: 'shop',
          labels: { app: 'web', 'fedgate.io/tier': 'front' },
          annotations: { 'Example.com/Note': 'anything at all: { }' },
          finalizers: ['fedgate.io/cleanup'],
          ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: true }],
        },
        true,
      );
      assert.deepEqual(causes, []);
    });

    it('requires name unless generateName is set, and validates generateName as a prefix', () => {
      assert.deepEqual(fields(validateObjectMeta({ namespace: 'a' }, true)), ['metadata.name:FieldValueRequired']);
      assert.deepEqual(validateObjectMeta({ generateName: 'web-', namespace: 'a' }, true), []);
      assert.deepEqual(fields(validateObjectMeta({ generateName: 'Web-', namespace: 'a' }, true)), [
        'metadata.generateName:FieldValueInvalid',
      ]);
    });

    it('applies the name rule: dots are fine for subdomains, not for labels', () => {
      assert.deepEqual(validateObjectMeta({ name: 'a.b' }, false, 'subdomain'), []);
      const causes = validateObjectMeta({ name: 'a.b' }, false, 'label');
      assert.deepEqual(fields(causes), ['metadata.name:FieldValueInvalid']);
      assert.equal(causes[0]!.message, 'Invalid value: "a.b": must not contain dots');
    });

    it('requires a namespace for namespaced kinds and forbids it for cluster-scoped ones', () => {
      assert.deepEqual(fields(validateObjectMeta({ name: 'a' }, true)), ['metadata.namespace:FieldValueRequired']);
      assert.deepEqual(fields(validateObjectMeta({ name: 'a', namespace: 'x' }, false)), ['metadata.namespace:FieldValueForbidden']);
      assert.deepEqual(fields(validateObjectMeta({ name: 'a', namespace: 'Bad_NS' }, true)), ['metadata.namespace:FieldValueInvalid']);
    });

    it('reports bad label keys and values at metadata.labels', () => {
      const causes = validateObjectMeta({ name: 'a', labels: { 'bad key': 'v', ok: 'bad value', n: 5 } }, false);
      assert.deepEqual(fields(causes), ['metadata.labels:FieldValueInvalid', 'metadata.labels:FieldValueInvalid', 'metadata.labels[n]:FieldValueInvalid']);
    });

    it('caps the total annotation size at 256 KiB', () => {
      const half = 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2);
      assert.deepEqual(validateObjectMeta({ name: 'a', annotations: { a: half.slice(1), b: half.slice(1) } }, false), []);
      const causes = validateObjectMeta({ name: 'a', annotations: { a: half, b: half } }, false);
      assert.deepEqual(fields(causes), ['metadata.annotations:FieldValueTooLong']);
    });

    it('rejects a non-object meta and a second controller reference', () => {
      assert.deepEqual(fields(validateObjectMeta(undefined, false)), ['metadata:FieldValueRequired']);
      assert.deepEqual(fields(validateObjectMeta('x', false)), ['metadata:FieldValueInvalid']);
      const ref = { apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: true };
      assert.deepEqual(fields(validateObjectMeta({ name: 'a', ownerReferences: [ref, { ...ref, uid: 'v' }] }, false)), [
        'metadata.ownerReferences:FieldValueInvalid',
      ]);
      assert.deepEqual(fields(validateObjectMeta({ name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x' }] }, false)), [
        'metadata.ownerReferences[0].uid:FieldValueRequired',
      ]);
    });
  });
});
