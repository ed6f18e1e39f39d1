import assert from 'node:assert/strict';
import {
  everythingSelector,
  isBadRequest,
  labelSelectorFromObject,
  nothingSelector,
  parseLabelSelector,
  selectorFromSet,
  StatusError,
  validateLabelSelectorObject,
  type LabelSelectorObject,
} from '../../../apimachinery/index.js';

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isBadRequest(err), `expected BadRequest, got ${String(err)}`);
    assert.equal((err as StatusError).code, 400);
    return (err as StatusError).message;
  }
  assert.fail('expected a BadRequest');
}

describe('label selectors', () => {
  describe('parseLabelSelector', () => {
    it('parses every operator into requirements', () => {
      const sel = parseLabelSelector('a=1, b==2,c!=3, d in (x, y), e notin (z), f, !g, h>4, i<5');
      assert.deepEqual(
        sel.requirements.map((r) => [r.key, r.operator, [...r.values]]),
        [
          ['a', '=', ['1']],
          ['b', '==', ['2']],
          ['c', '!=', ['3']],
          ['d', 'in', ['x', 'y']],
          ['e', 'notin', ['z']],
          ['f', 'exists', []],
          ['g', '!', []],
          ['h', 'gt', ['4']],
          ['i', 'lt', ['5']],
        ],
      );
    });

    it('prints the canonical form, sorted by key, that parses back to the same selector', () => {
      const sel = parseLabelSelector('z in (b,a), !y,  x!=1,w');
      assert.equal(sel.toString(), 'w,x!=1,!y,z in (a,b)');
      assert.equal(parseLabelSelector(sel.toString()).toString(), sel.toString());
    });

    it('treats the empty string (and whitespace) as select-everything', () => {
      for (const s of ['', '   ']) {
        const sel = parseLabelSelector(s);
        assert.ok(sel.isEmpty());
        assert.ok(sel.matches(undefined));
        assert.ok(sel.matches({ any: 'thing' }));
        assert.equal(sel.toString(), '');
      }
    });

    it('reads in/notin as values in value position and allows empty values', () => {
      assert.deepEqual([...parseLabelSelector('a in (in,notin)').requirements[0]!.values], ['in', 'notin']);
      assert.deepEqual([...parseLabelSelector('a=').requirements[0]!.values], ['']);
      assert.deepEqual([...parseLabelSelector('a in ()').requirements[0]!.values], ['']);
      assert.deepEqual([...parseLabelSelector('a in (,x)').requirements[0]!.values], ['', 'x']);
      assert.ok(parseLabelSelector('example.com/tier=front').matches({ 'example.com/tier': 'front' }));
    });

    it('rejects bad syntax with a BadRequest that says what was found', () => {
      assert.match(badRequestMessage(() => parseLabelSelector('a in (')), /found '', expected: ',', '\)' or identifier/);
      assert.match(badRequestMessage(() => parseLabelSelector('=b')), /found '=', expected: !, identifier, or 'end of string'/);
      assert.match(badRequestMessage(() => parseLabelSelector('a in x')), /found 'x' expected: '\('/);
      assert.match(badRequestMessage(() => parseLabelSelector('a in (x')), /found '', expected: ',' or '\)'/);
      assert.match(badRequestMessage(() => parseLabelSelector('a b')), /found 'b', expected: in, notin, =, ==, !=, gt, lt/);
      assert.match(badRequestMessage(() => parseLabelSelector('a,')), /found '', expected: identifier after ','/);
      assert.match(badRequestMessage(() => parseLabelSelector('a=b c')), /found 'c', expected: ',' or 'end of string'/);
      assert.match(badRequestMessage(() => parseLabelSelector('!a=b')), /found '='/);
      assert.match(badRequestMessage(() => parseLabelSelector('a=(b)')), /found '\(', expected: identifier/);
    });

    it('rejects invalid keys and values, and non-integer bounds', () => {
      assert.match(badRequestMessage(() => parseLabelSelector('-a=b')), /key: Invalid value: "-a"/);
      assert.match(badRequestMessage(() => parseLabelSelector('a=-b')), /values\[0\]: Invalid value: "-b"/);
      assert.match(badRequestMessage(() => parseLabelSelector(`a=${'x'.repeat(64)}`)), /must be no more than 63 characters/);
      assert.match(badRequestMessage(() => parseLabelSelector('a>x')), /the value must be an integer/);
    });
  });

  describe('matching', () => {
    const labels = { app: 'web', tier: 'front', gen: '7' };
    const cases: [string, boolean][] = [
      ['app=web', true],
      ['app==web', true],
      ['app=db', false],
      ['app!=db', true],
      ['app!=web', false],
      ['missing!=x', true],
      ['app in (db,web)', true],
      ['app in (db)', false],
      ['missing in (x)', false],
      ['app notin (db)', true],
      ['app notin (web)', false],
      ['missing notin (x)', true],
      ['app', true],
      ['missing', false],
      ['!missing', true],
      ['!app', false],
      ['gen>6', true],
      ['gen>7', false],
      ['gen<8', true],
      ['app>1', false],
      ['missing<1', false],
      ['app=web,tier=front', true],
      ['app=web,tier=back', false],
    ];
    for (const [selector, expected] of cases) {
      it(`${selector} → ${expected}`, () => {
        assert.equal(parseLabelSelector(selector).matches(labels), expected);
      });
    }

    it('matches undefined labels as the empty set', () => {
      assert.equal(parseLabelSelector('!a').matches(undefined), true);
      assert.equal(parseLabelSelector('a').matches(undefined), false);
    });
  });

  describe('structured form', () => {
    it('null and undefined select nothing; {} selects everything (metav1.LabelSelectorAsSelector)', () => {
      for (const nil of [null, undefined]) {
        const sel = labelSelectorFromObject(nil);
        assert.equal(sel.matches({}), false);
        assert.equal(sel.matches({ app: 'web' }), false);
        assert.equal(sel.isEmpty(), false);
        assert.equal(sel, nothingSelector);
      }
      const all = labelSelectorFromObject({});
      assert.ok(all.isEmpty());
      assert.ok(all.matches({}));
      assert.ok(all.matches({ app: 'web' }));
      assert.ok(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).isEmpty());
    });

    it('combines matchLabels and matchExpressions', () => {
      const sel = labelSelectorFromObject({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'edge'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'region', operator: 'Exists' },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
        ],
      });
      assert.ok(sel.matches({ app: 'web', tier: 'edge', region: 'eu', zone: 'a' }));
      assert.ok(!sel.matches({ app: 'web', tier: 'edge', region: 'eu', zone: 'b' }));
      assert.ok(!sel.matches({ app: 'web', tier: 'edge', region: 'eu', canary: 'yes' }));
      assert.ok(!sel.matches({ app: 'web', tier: 'edge' }));
      assert.equal(sel.toString(), 'app=web,!canary,region,tier in (edge,front),zone notin (b)');
    });

    it('throws BadRequest with causes on an invalid operator or values', () => {
      const bad = { matchExpressions: [{ key: 'a', operator: 'Near', values: ['x'] }] } as unknown as LabelSelectorObject;
      assert.throws(
        () => labelSelectorFromObject(bad),
        (err: unknown) => err instanceof StatusError && err.code === 400 && err.details.causes?.[0]?.field === 'matchExpressions[0].operator',
      );
      assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), isBadRequest);
      assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), isBadRequest);
    });

    it('validateLabelSelectorObject reports causes at the given field path', () => {
      const causes = validateLabelSelectorObject(
        {
          matchLabels: { 'bad key': 'v' },
          matchExpressions: [
            { key: 'a', operator: 'In' },
            { key: 'b', operator: 'Exists', values: ['x'] },
            { key: 'c', operator: 'Gt', values: ['1'] },
            { operator: 'Exists' },
            { key: 'd', operator: 'In', values: ['-bad'] },
          ],
        },
        'spec.selector',
      );
      assert.deepEqual(
        causes.map((c) => `${c.field}:${c.reason}`),
        [
          'spec.selector.matchLabels:FieldValueInvalid',
          'spec.selector.matchExpressions[0].values:FieldValueRequired',
          'spec.selector.matchExpressions[1].values:FieldValueForbidden',
          'spec.selector.matchExpressions[2].operator:FieldValueNotSupported',
          'spec.selector.matchExpressions[3].key:FieldValueRequired',
          'spec.selector.matchExpressions[4].values[0]:FieldValueInvalid',
        ],
      );
      assert.deepEqual(validateLabelSelectorObject(undefined, 'x'), []);
      assert.deepEqual(validateLabelSelectorObject({}, 'x'), []);
      assert.equal(validateLabelSelectorObject('app=web', 'x')[0]?.field, 'x');
    });
  });

  it('selectorFromSet and everythingSelector', () => {
    assert.ok(selectorFromSet({ a: '1' }).matches({ a: '1', b: '2' }));
    assert.ok(!selectorFromSet({ a: '1' }).matches({ a: '2' }));
    assert.ok(selectorFromSet({}).isEmpty());
    assert.ok(everythingSelector.matches(undefined));
    assert.throws(() => selectorFromSet({ a: 'b c' }), isBadRequest);
  });
});
