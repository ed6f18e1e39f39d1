import assert from 'node:assert/strict';
import { compareKeys, prefixEnd } from '../../../store/key-range.js';

describe('key-range', () => {
  it('prefixEnd bounds exactly the keys with the prefix', () => {
    assert.equal(prefixEnd('/a/'), '/a0');
    assert.equal(prefixEnd('abc'), 'abd');
    assert.equal(prefixEnd(''), undefined);
    assert.equal(prefixEnd('a\u{10FFFF}'), 'b');
    assert.equal(prefixEnd('\u{10FFFF}'), undefined);
    assert.equal(prefixEnd('a\uD7FF'), 'a\uE000', 'skips the surrogate range');
    const end = prefixEnd('/a/')!;
    for (const k of ['/a/', '/a/x', '/a/\u{1F600}']) assert.ok(k >= '/a/' && compareKeys(k, end) < 0, k);
    for (const k of ['/ab', '/a0', '/a']) assert.ok(!(compareKeys(k, '/a/') >= 0 && compareKeys(k, end) < 0), k);
  });

  it('compareKeys sorts by code point, as UTF-8 bytes sort', () => {
    const keys = ['b', 'a', '\u{1F600}', '\uFFFD', 'ab', 'a', ''];
    const sorted = [...keys].sort(compareKeys);
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual(sorted, byBytes);
    assert.equal(compareKeys('x', 'x'), 0);
  });
});
