import assert from 'node:assert/strict';
import { AnswerCache, answerFingerprint } from '../../../dns/answer-cache.js';

describe('AnswerCache', () => {
  const body = { perQuery: false as const, body: Buffer.from([1]) };

  it('empties itself when the version moves and ignores stores for an old version', () => {
    const cache = new AnswerCache();
    assert.equal(cache.get(1, 'k'), undefined);
    cache.set(1, 'k', body);
    assert.equal(cache.get(1, 'k'), body);
    assert.equal(cache.get(2, 'k'), undefined);
    cache.set(1, 'k', body);
    assert.equal(cache.get(2, 'k'), undefined);
  });

  it('evicts the oldest entry beyond its bound', () => {
    const cache = new AnswerCache(2);
    cache.get(1, 'a');
    cache.set(1, 'a', body);
    cache.set(1, 'b', body);
    cache.set(1, 'c', body);
    assert.equal(cache.size, 2);
    assert.equal(cache.get(1, 'a'), undefined);
    assert.equal(cache.get(1, 'c'), body);
  });

  it('fingerprints differ exactly when records differ', () => {
    const a = (address: string) => ({
      rcode: 'NOERROR' as const,
      authoritative: true,
      answers: [{ name: 'n', type: 'A' as const, ttl: 30, address }],
      authority: [],
      additional: [],
    });
    assert.equal(answerFingerprint(a('1.1.1.1')), answerFingerprint(a('1.1.1.1')));
    assert.notEqual(answerFingerprint(a('1.1.1.1')), answerFingerprint(a('1.1.1.2')));
  });
});
