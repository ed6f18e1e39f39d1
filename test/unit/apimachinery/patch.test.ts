import assert from 'node:assert/strict';
import { applyJsonPatch, applyMergePatch, isBadRequest, isInvalid } from '../../../apimachinery/index.js';

/** Applies `fn` to deep copies and asserts the inputs came back unchanged. */
function pure<T>(a: unknown, b: unknown, fn: (a: unknown, b: unknown) => T): T {
  const a0 = structuredClone(a);
  const b0 = structuredClone(b);
  const out = fn(a, b);
  assert.deepEqual(a, a0, 'target mutated');
  assert.deepEqual(b, b0, 'patch mutated');
  return out;
}

describe('patch', () => {
  describe('applyMergePatch (RFC 7386)', () => {
    // RFC 7386 Appendix A, every example.
    const examples: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    examples.forEach(([target, patch, result], i) => {
      it(`Appendix A example ${i + 1}: ${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => {
        assert.deepEqual(pure(target, patch, applyMergePatch), result);
      });
    });

    it('returns a result sharing nothing with its inputs', () => {
      const target = { keep: { deep: [1] } };
      const patch = { added: { x: [2] } };
      const out = applyMergePatch(target, patch) as { keep: { deep: number[] }; added: { x: number[] } };
      out.keep.deep.push(9);
      out.added.x.push(9);
      assert.deepEqual(target, { keep: { deep: [1] } });
      assert.deepEqual(patch, { added: { x: [2] } });
    });

    it('keeps a "__proto__" key as data instead of changing the prototype', () => {
      const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.deepEqual(Object.keys(out), ['__proto__']);
    });

    it('rejects a patch that is not JSON data', () => {
      assert.throws(() => applyMergePatch({}, undefined), isBadRequest);
      assert.throws(() => applyMergePatch({}, { a: () => 1 }), isBadRequest);
      assert.throws(() => applyMergePatch({}, { a: Number.NaN }), isBadRequest);
    });
  });

  describe('applyJsonPatch (RFC 6902)', () => {
    // RFC 6902 Appendix A examples.
    const examples: [string, unknown, unknown, unknown][] = [
      ['A.1 add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
      ['A.2 add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
      ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
      ['A.4 remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
      ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
      [
        'A.6 move a value',
        { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
        [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
        { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
      ],
      ['A.7 move an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
      [
        'A.8 test a value (success)',
        { baz: 'qux', foo: ['a', 2, 'c'] },
        [
          { op: 'test', path: '/baz', value: 'qux' },
          { op: 'test', path: '/foo/1', value: 2 },
        ],
        { baz: 'qux', foo: ['a', 2, 'c'] },
      ],
      ['A.10 add a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
      ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
      ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
      ['copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
      ['replace the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
    ];
    for (const [name, target, ops, result] of examples) {
      it(name, () => {
        assert.deepEqual(pure(target, ops, applyJsonPatch), result);
      });
    }

    it('A.9 a failed test is 422 Invalid', () => {
      assert.throws(() => pure({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], applyJsonPatch), (err: unknown) => {
        assert.ok(isInvalid(err));
        assert.equal((err as { code: number }).code, 422);
        assert.match((err as Error).message, /operation 0 \(test "\/baz"\): test failed/);
        return true;
      });
    });

    it('A.12 adding under a nonexistent parent, removing or replacing a missing path is 422', () => {
      assert.throws(() => pure({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], applyJsonPatch), isInvalid);
      assert.throws(() => pure({ foo: 'bar' }, [{ op: 'remove', path: '/nope' }], applyJsonPatch), isInvalid);
      assert.throws(() => pure({ foo: 'bar' }, [{ op: 'replace', path: '/nope', value: 1 }], applyJsonPatch), isInvalid);
      assert.throws(() => pure({ foo: 'bar' }, [{ op: 'move', from: '/nope', path: '/x' }], applyJsonPatch), isInvalid);
      assert.throws(() => pure({ foo: [1] }, [{ op: 'add', path: '/foo/5', value: 1 }], applyJsonPatch), isInvalid);
    });

    it('leaves no partial result when a later operation fails', () => {
      const target = { a: 1 };
      assert.throws(
        () =>
          applyJsonPatch(target, [
            { op: 'replace', path: '/a', value: 2 },
            { op: 'test', path: '/a', value: 3 },
          ]),
        isInvalid,
      );
      assert.deepEqual(target, { a: 1 });
    });

    it('malformed documents are 400 BadRequest', () => {
      const malformed: unknown[] = [
        { op: 'add', path: '/a', value: 1 },
        'nope',
        [{ op: 'frobnicate', path: '/a' }],
        [{ op: 'add', value: 1 }],
        [{ op: 'add', path: 'a', value: 1 }],
        [{ op: 'add', path: '/a' }],
        [{ op: 'move', path: '/a' }],
        [{ op: '_get', path: '/a' }],
        [null],
      ];
      for (const ops of malformed) assert.throws(() => applyJsonPatch({ a: 1 }, ops), isBadRequest, JSON.stringify(ops));
    });

    it('the result shares no values with the operations', () => {
      const ops = [{ op: 'add', path: '/x', value: { list: [1] } }];
      const out = applyJsonPatch({}, ops) as { x: { list: number[] } };
      out.x.list.push(2);
      assert.deepEqual(ops[0]!.value, { list: [1] });
    });

    it('refuses prototype paths with 422', () => {
      assert.throws(() => applyJsonPatch({}, [{ op: 'add', path: '/__proto__/polluted', value: true }]), isInvalid);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });
  });
});
